package com.example.lakehouse.table;

import java.util.List;

import org.apache.spark.sql.types.StructType;

/**
 * One Delta table: its columns (Spark DDL), natural key and partition columns. Tables built by a SQL job
 * have {@code sql/<layer>/<name>.sql}; the ods tables are written by streaming ingest.
 */
public record TableDef(String name, Layer layer, String columns, List<String> key, List<String> partitionedBy) {

    public StructType schema() {
        return StructType.fromDDL(columns);
    }

    /** The table's folder under the configured table root. */
    public String location(String tableRoot) {
        return tableRoot + "/" + name;
    }

    public String qualifiedName() {
        return Tables.DATABASE + "." + name;
    }

    /** Classpath resource of the SQL job that builds this table (sql/ is packaged into the jar). */
    public String sqlResource() {
        return "sql/" + layer.folder() + "/" + name + ".sql";
    }

    /** A table partitioned by dt is built one day at a time; any other derived table is rebuilt whole. */
    public boolean isDaily() {
        return partitionedBy().contains("dt");
    }

    public boolean isBuiltBySql() {
        return layer != Layer.ODS;
    }
}
