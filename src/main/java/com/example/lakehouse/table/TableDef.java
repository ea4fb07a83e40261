package com.example.lakehouse.table;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.spark.sql.types.StructType;

/**
 * One Delta table as its entry {@code sql/<layer>/<name>.sql} declares it (see {@link TableEntry}): its
 * columns (Spark DDL), natural key, partition columns, what writes it, and its data-quality checks.
 * A table built by SQL has the SELECT that builds it; an ods table is written by a streaming ingest.
 *
 * @param writer      "sql", or the streaming job that writes the table
 * @param pipeline    declared by the tables a stream writes ("dau", "orders"); a table built by SQL
 *                    belongs to the pipeline of the stream tables it reads
 * @param checks      name → a SELECT of the rows that break the rule (none is a pass), with ${dt}
 * @param warningChecks the checks whose failure is reported, and does not stop the run: a reconciliation that
 *                    the source's own data can break (an order without lines), not the pipeline
 * @param select      the SELECT that builds the table, with ${dt}; for a table a stream writes, none or
 *                    the SELECT the stream applies to each micro-batch
 * @param rowsOf      the table whose SELECT, for one day, gives this table's rows (its entry's rows_of)
 * @param mirrorOf    the source table whose rows this ods table mirrors (see {@link MirrorTable})
 * @param keyTime     a TIMESTAMP column the key determines: two rows with the same key have the same value
 *                    (ods_app_log's key hashes the message's bytes, which hold its ts). A keyed write then reads
 *                    only the target files whose range of it meets the batch's times, so a batch's cost
 *                    does not grow with the day's partition
 * @param keepEarliest for a table a stream appends to without reading it: of the rows with one key, the table's
 *                    row is the earliest by these columns (in order). Such a result cannot be changed by a
 *                    replay or a duplicate, so the stream appends each batch's candidates and the sink folds a
 *                    partition to its earliest rows from time to time; readers read {@link #currentRows}
 * @param earlierDaysRead for a table built a day at a time: how many days before {@code dt} its SELECT reads of
 *                    the daily tables it reads (0: day dt only; ads_dau_hourly compares with the day before;
 *                    {@link #ALL_EARLIER_DAYS}: dwd_order_info looks for each user's first order ever). A change in
 *                    any of those days makes the day stale (see {@code DayBuilds})
 * @param statsColumns the columns whose minimum and maximum Delta records for each file it writes, for skipping
 *                    files when reading (Delta's {@code delta.dataSkippingStatsColumns}); empty: Delta's default,
 *                    the first 32 columns, nested fields counted one by one. Every write computes the statistics of
 *                    every row, so a table of wide rows names the few columns its readers filter on
 */
public record TableDef(String name, Layer layer, String columns, List<String> key, List<String> partitionedBy,
                       String writer, Optional<String> pipeline, Map<String, String> checks, Set<String> warningChecks,
                       Optional<String> select, Optional<String> rowsOf,
                       Optional<String> mirrorOf, Optional<String> keyTime, List<String> keepEarliest,
                       int earlierDaysRead, List<String> statsColumns) {
    public static final String BUILT_BY_SQL = "sql";
    /** {@link #earlierDaysRead} of a day that reads every earlier day of its inputs. */
    public static final int ALL_EARLIER_DAYS = Integer.MAX_VALUE;

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

    /** The entry that declares this table, as a path in the project and in the jar. */
    public String sqlResource() {
        return TableEntry.FOLDER + "/" + layer.folder() + "/" + name + ".sql";
    }

    /** A table partitioned by dt is built one day at a time; any other derived table is rebuilt whole. */
    public boolean isDaily() {
        return partitionedBy().contains("dt");
    }

    /** True for a table whose row of a key is its earliest (see {@link #keepEarliest}). */
    public boolean keepsEarliest() {
        return !keepEarliest.isEmpty();
    }

    /**
     * A SELECT of the table's current rows, one per key, from {@code tableReference} (its name as the engine
     * knows it): the earliest row of each key for a table that keeps the earliest, else every row. Plain
     * SQL that Spark and Trino both run, so the rule has one definition, this table's entry.
     */
    public String currentRows(String tableReference) {
        if (!keepsEarliest()) {
            return "SELECT * FROM " + tableReference;
        }
        return "SELECT " + String.join(", ", schema().fieldNames()) + " FROM (SELECT *, row_number() OVER (PARTITION BY "
                + String.join(", ", key) + " ORDER BY " + String.join(", ", keepEarliest) + ") AS earliest_rank FROM "
                + tableReference + ") ranked WHERE earliest_rank = 1";
    }

    /**
     * This table with the SELECT of day {@code ${dt}} of {@code source}'s rows: how an entry with {@code rows_of}
     * gets its SELECT, once every entry is read.
     */
    TableDef withRowsOf(TableDef source) {
        String select = "SELECT * FROM (\n" + source.select().orElseThrow() + "\n) WHERE dt = DATE'${dt}'";
        return new TableDef(name, layer, columns, key, partitionedBy, writer, pipeline, checks, warningChecks,
                Optional.of(select), rowsOf, mirrorOf, keyTime, keepEarliest, earlierDaysRead, statsColumns);
    }

    public boolean isBuiltBySql() {
        return writer.equals(BUILT_BY_SQL);
    }

    /**
     * True for a table a stream writes by key, a micro-batch at a time: each batch adds a file or a few, which
     * its sink compacts into larger ones as the stream writes (see {@code DeltaSink}). A table that keeps the
     * earliest is folded by its sink instead.
     */
    public boolean compactsWhileWritten() {
        return !isBuiltBySql() && !keepsEarliest();
    }
}
