package com.example.lakehouse.table;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.delta.tables.DeltaTable;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Registers tables (see {@link Tables}) in the session's catalog; a job creates the Delta tables it
 * writes, at their location, the first time. Tables are path-based (the catalog only maps names to folders), so any
 * session pointed at the same table root sees the same data, and Trino can register the same folders.
 */
public final class SessionTables {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTables.class);
    /**
     * Commits between two checkpoints Delta writes itself, in the commit that reaches one. A table a stream writes
     * is checkpointed by its sink instead, off the stream's thread, every tenth commit ({@code DeltaSink}); Delta's
     * own, inside a commit, then comes once in a thousand, for a writer other than the sink.
     */
    private static final String CHECKPOINT_INTERVAL = "delta.checkpointInterval";
    /** The columns Delta keeps file statistics of: a table's {@link TableDef#statsColumns}. */
    private static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

    private SessionTables() {
    }

    /**
     * Registers those of {@code tables} that exist under {@code tableRoot} (each costs a read of its Delta log), and
     * creates none: a command that only reads leaves the root as it found it.
     */
    public static void registerExisting(SparkSession spark, String tableRoot, Collection<TableDef> tables) {
        spark.sql("CREATE DATABASE IF NOT EXISTS " + Tables.DATABASE);
        for (TableDef table : tables) {
            if (DeltaTable.isDeltaTable(spark, table.location(tableRoot))) {
                spark.sql("CREATE TABLE IF NOT EXISTS " + table.qualifiedName() + " USING delta LOCATION "
                        + quotedLocation(table, tableRoot));
            }
        }
        spark.sql("USE " + Tables.DATABASE);
    }

    /**
     * Creates the {@code tables} a job writes that do not exist yet, empty, with their schema, partitioning and
     * {@link #propertiesOf properties}; a table made before gets the properties it lacks, and keeps any a user set.
     */
    public static void createMissing(SparkSession spark, String tableRoot, List<TableDef> tables) {
        for (TableDef table : tables) {
            spark.sql(createStatement(table, tableRoot));
            Map<String, String> lacking = new LinkedHashMap<>(propertiesOf(table));
            if (lacking.isEmpty()) {
                continue;
            }
            lacking.keySet().removeAll(CollectionConverters.asJava(DeltaLog.forTable(spark, table.location(tableRoot))
                    .update(false, Option.empty(), Option.empty()).metadata().configuration()).keySet());
            if (!lacking.isEmpty()) {
                spark.sql("ALTER TABLE " + table.qualifiedName() + " SET TBLPROPERTIES (" + propertiesSql(lacking) + ")");
            }
        }
    }

    /**
     * The Delta properties the pipeline gives {@code table}: for a table a stream writes, {@link #CHECKPOINT_INTERVAL};
     * for one whose entry names {@code stats_columns}, {@link #STATS_COLUMNS}.
     */
    static Map<String, String> propertiesOf(TableDef table) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (!table.isBuiltBySql()) {
            properties.put(CHECKPOINT_INTERVAL, "1000");
        }
        if (!table.statsColumns().isEmpty()) {
            properties.put(STATS_COLUMNS, String.join(",", table.statsColumns()));
        }
        return properties;
    }

    private static String propertiesSql(Map<String, String> properties) {
        return properties.entrySet().stream().map(property -> "'" + property.getKey() + "' = '" + property.getValue() + "'")
                .collect(Collectors.joining(", "));
    }

    /** Fails with one line naming the first of {@code tables} that nothing has written yet under the root. */
    public static void requireExisting(SparkSession spark, String tableRoot, TableDef... tables) {
        for (TableDef table : tables) {
            if (!spark.catalog().tableExists(table.qualifiedName())) {
                throw missing(table.name(), tableRoot);
            }
        }
    }

    /** The one-line answer to a query that read a table that does not exist under the root, or the error as it was. */
    public static RuntimeException explainMissing(AnalysisException error, String tableRoot) {
        if ("TABLE_OR_VIEW_NOT_FOUND".equals(error.getCondition())) {
            String name = error.getMessageParameters().getOrDefault("relationName", "?").replace("`", "");
            return missing(name.substring(name.lastIndexOf('.') + 1), tableRoot);
        }
        return new IllegalStateException(error.getMessage(), error);
    }

    private static IllegalStateException missing(String table, String tableRoot) {
        return new IllegalStateException("table " + table + " does not exist under " + tableRoot
                + ": nothing has written it yet (run the ingest or the job that builds it first)");
    }

    static String createStatement(TableDef table, String tableRoot) {
        Map<String, String> properties = propertiesOf(table);
        return "CREATE TABLE IF NOT EXISTS " + table.qualifiedName() + " (" + table.columns() + ") USING delta"
                + (table.partitionedBy().isEmpty() ? "" : " PARTITIONED BY (" + String.join(", ", table.partitionedBy()) + ")")
                + " LOCATION " + quotedLocation(table, tableRoot)
                + " COMMENT 'key: " + String.join(", ", table.key()) + "'"
                + (properties.isEmpty() ? "" : " TBLPROPERTIES (" + propertiesSql(properties) + ")");
    }

    private static String quotedLocation(TableDef table, String tableRoot) {
        return "'" + table.location(tableRoot).replace("'", "\\'") + "'";
    }

    /**
     * The mirror's row schema after adding the {@code sourceColumns} it lacks: a column added to the
     * source table becomes a STRING column of the mirror (Maxwell's JSON carries no column types, and
     * text holds any value exactly), so no value is dropped. Rows written before have NULL there.
     */
    public static StructType evolveMirror(SparkSession spark, MirrorTable mirror, Collection<String> sourceColumns) {
        StructType schema = DeltaTable.forName(spark, mirror.table().qualifiedName()).toDF().schema();
        Set<String> known = Arrays.stream(schema.fieldNames()).map(name -> name.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        Set<String> added = sourceColumns.stream().filter(column -> !known.contains(column.toLowerCase(Locale.ROOT)))
                .collect(Collectors.toCollection(TreeSet::new));
        if (added.isEmpty()) {
            return mirror.rowSchema(schema);
        }
        LOG.warn("{} gains the column(s) {} that the source table {} now has (typed STRING)",
                mirror.table().name(), added, mirror.sourceTable());
        spark.sql("ALTER TABLE " + mirror.table().qualifiedName() + " ADD COLUMNS ("
                + added.stream().map(column -> quoted(column) + " STRING COMMENT 'added from the source'")
                        .collect(Collectors.joining(", ")) + ")");
        return mirror.rowSchema(DeltaTable.forName(spark, mirror.table().qualifiedName()).toDF().schema());
    }

    private static String quoted(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
