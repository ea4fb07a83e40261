package com.example.lakehouse.table;


import org.apache.spark.sql.SparkSession;

/**
 * Registers every table of {@link Tables} in the session's catalog, creating the Delta table at its
 * location the first time. Tables are path-based (the catalog only maps names to folders), so any
 * session pointed at the same table root sees the same data, and Trino can register the same folders.
 */
public final class TableCatalog {
    private TableCatalog() {
    }

    public static void registerAll(SparkSession spark, String tableRoot) {
        spark.sql("CREATE DATABASE IF NOT EXISTS " + Tables.DATABASE);
        for (TableDef table : Tables.ALL) {
            spark.sql(createStatement(table, tableRoot));
        }
        spark.sql("USE " + Tables.DATABASE);
    }

    static String createStatement(TableDef table, String tableRoot) {
        return "CREATE TABLE IF NOT EXISTS " + table.qualifiedName() + " (" + table.columns() + ") USING delta"
                + (table.partitionedBy().isEmpty() ? "" : " PARTITIONED BY (" + String.join(", ", table.partitionedBy()) + ")")
                + " LOCATION '" + table.location(tableRoot).replace("'", "\\'") + "'"
                + " COMMENT 'key: " + String.join(", ", table.key()) + "'";
    }
}
