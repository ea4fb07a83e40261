package com.example.lakehouse.sink;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.unix_micros;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import com.example.lakehouse.table.MirrorTable;
import com.example.lakehouse.table.TableCatalog;
import com.example.lakehouse.table.TableDef;

import io.delta.tables.DeltaMergeBuilder;
import io.delta.tables.DeltaTable;

/**
 * Idempotent writes into Delta: rows whose natural key is already in the table are left alone, new
 * ones are inserted. Replaying a topic therefore changes nothing, and no dedup state is kept anywhere
 * but in the table itself.
 */
public final class DeltaMergeSink implements TableSink {
    private static final String SOURCE = "s";
    private static final String TARGET = "t";
    /** The grain of a batch's key-time ranges, in microseconds: a minute. */
    private static final long TIME_GRAIN_MICROS = 60_000_000L;
    /** More ranges would make the condition long; fewer, wider ones only read more files. */
    private static final int MAX_TIME_RANGES = 64;

    private final SparkSession spark;
    private final String tableRoot;

    /** The Delta tables under {@code tableRoot}, registered in {@code spark}'s catalog. */
    public DeltaMergeSink(SparkSession spark, String tableRoot) {
        this.spark = spark;
        this.tableRoot = tableRoot;
    }

    @Override
    public void createMissing(List<TableDef> tables) {
        TableCatalog.createMissing(spark, tableRoot, tables);
    }

    @Override
    public StructType evolveMirror(MirrorTable mirror, Collection<String> sourceColumns) {
        return TableCatalog.evolveMirror(spark, mirror, sourceColumns);
    }

    /**
     * Insert-only MERGE of {@code rows} (unique on the table's key) into {@code table}. The match
     * condition also names the partition values present in {@code rows}, and a key-time table's time
     * ranges, so Delta reads only the target files that could hold a key of the batch: the cost of a batch
     * follows the batch, not the size of the table or of today's partition.
     */
    @Override
    public void insertNew(TableDef table, Dataset<Row> rows) {
        merge(table, rows, table.keyTime(), merge -> merge.whenNotMatched().insertAll());
    }

    /**
     * A MERGE with an update clause guarded by {@code sourceIsNewer}, pruned to the batch's partitions as in
     * {@link #insertNew} but not to key-time ranges: an update may move a row's time.
     */
    @Override
    public void upsertNewer(TableDef table, Dataset<Row> rows, BiFunction<String, String, Column> sourceIsNewer) {
        merge(table, rows, Optional.empty(), merge -> merge.whenMatched(sourceIsNewer.apply(SOURCE, TARGET)).updateAll()
                .whenNotMatched().insertAll());
    }

    /**
     * Runs one MERGE with the given clauses. The rows are read twice (for their partition values, then by
     * the MERGE), so they are cached for the call unless the caller has cached them already.
     */
    private void merge(TableDef table, Dataset<Row> rows, Optional<String> keyTime, UnaryOperator<DeltaMergeBuilder> clauses) {
        boolean cachedHere = rows.storageLevel().equals(StorageLevel.NONE());
        Dataset<Row> source = cachedHere ? rows.persist() : rows;
        try {
            matchCondition(table, source, keyTime).ifPresent(condition -> DeltaConflicts.retry("MERGE into " + table.name(),
                    () -> clauses.apply(DeltaTable.forName(spark, table.qualifiedName()).as(TARGET)
                            .merge(source.as(SOURCE), condition)).execute()));
        } finally {
            if (cachedHere) {
                source.unpersist();
            }
        }
    }

    /**
     * Key equality plus what the batch says about where its keys can be in the target: the partition
     * values present in it, and given a key time, the time ranges its rows fall in (whole minutes, at most
     * {@value #MAX_TIME_RANGES}). Both only narrow the target to rows that could hold a key of the
     * batch, so the result is the same, while Delta skips the files outside them. One Spark job collects
     * both. Empty for an empty batch.
     */
    private static Optional<Column> matchCondition(TableDef table, Dataset<Row> rows, Optional<String> keyTime) {
        List<Column> described = new ArrayList<>(table.partitionedBy().stream().map(functions::col).toList());
        keyTime.ifPresent(time -> described.add(minuteOf(col(time))));
        Column condition = null;
        if (described.isEmpty()) {
            if (rows.isEmpty()) {
                return Optional.empty();
            }
        } else {
            List<Row> distinct = rows.select(described.toArray(Column[]::new)).distinct().collectAsList();
            if (distinct.isEmpty()) {
                return Optional.empty();
            }
            for (int i = 0; i < table.partitionedBy().size(); i++) {
                int column = i;
                Object[] values = distinct.stream().map(row -> row.get(column)).distinct().toArray();
                condition = and(condition, col(TARGET + "." + table.partitionedBy().get(i)).isin(values));
            }
            if (keyTime.isPresent()) {
                int column = table.partitionedBy().size();
                // a row without a time could meet a duplicate anywhere: no time ranges then
                if (distinct.stream().noneMatch(row -> row.isNullAt(column))) {
                    long[] minutes = distinct.stream().mapToLong(row -> row.getLong(column)).distinct().sorted().toArray();
                    condition = and(condition, withinRanges(col(TARGET + "." + keyTime.get()), minutes));
                }
            }
        }
        for (String keyColumn : table.key()) {
            condition = and(condition, col(TARGET + "." + keyColumn).equalTo(col(SOURCE + "." + keyColumn)));
        }
        return Optional.of(condition);
    }

    /**
     * {@code time} within the given minutes (sorted, distinct), as few ranges: adjacent minutes make one
     * range, and beyond {@value #MAX_TIME_RANGES} ranges the smallest gaps are closed, which only widens them.
     */
    public static Column withinRanges(Column time, long[] minutes) {
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < minutes.length; i++) {
            if (minutes[i] > minutes[i - 1] + 1) {
                cuts.add(i);
            }
        }
        if (cuts.size() >= MAX_TIME_RANGES) {
            cuts = cuts.stream().sorted(Comparator.comparingLong((Integer i) -> minutes[i] - minutes[i - 1]).reversed())
                    .limit(MAX_TIME_RANGES - 1).sorted().toList();
        }
        List<Integer> ends = new ArrayList<>(cuts);
        ends.add(minutes.length);
        Column within = null;
        int start = 0;
        for (int end : ends) {
            Column range = time.geq(lit(minuteStart(minutes[start]))).and(time.lt(lit(minuteStart(minutes[end - 1] + 1))));
            within = within == null ? range : within.or(range);
            start = end;
        }
        return within;
    }

    /**
     * The minute a timestamp falls in, counted from the epoch, in whole numbers: the micros less their
     * remainder, divided exactly, so no rounding moves a time into the next minute.
     */
    public static Column minuteOf(Column time) {
        Column micros = unix_micros(time);
        return micros.minus(pmod(micros, lit(TIME_GRAIN_MICROS))).divide(TIME_GRAIN_MICROS).cast("long");
    }

    /** An Instant literal: no calendar rebasing, unlike java.sql.Timestamp before 1582. */
    private static Instant minuteStart(long minute) {
        return Instant.EPOCH.plus(minute * TIME_GRAIN_MICROS, ChronoUnit.MICROS);
    }

    private static Column and(Column left, Column right) {
        return left == null ? right : left.and(right);
    }
}
