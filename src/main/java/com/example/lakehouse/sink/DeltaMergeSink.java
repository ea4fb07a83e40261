package com.example.lakehouse.sink;

import static org.apache.spark.sql.functions.col;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import com.example.lakehouse.table.TableDef;

import io.delta.tables.DeltaMergeBuilder;
import io.delta.tables.DeltaTable;

/**
 * Idempotent writes into Delta: rows whose natural key is already in the table are left alone, new
 * ones are inserted. Replaying a topic therefore changes nothing, and no dedup state is kept anywhere
 * but in the table itself.
 */
public final class DeltaMergeSink {
    private static final String SOURCE = "s";
    private static final String TARGET = "t";

    private DeltaMergeSink() {
    }

    /**
     * Insert-only MERGE of {@code rows} (unique on the table's key) into {@code table}. The match
     * condition also names the partition values present in {@code rows}, so Delta reads only those
     * partitions of the target: the cost of a batch follows the batch, not the size of the table.
     */
    public static void insertNew(SparkSession spark, TableDef table, Dataset<Row> rows) {
        merge(spark, table, rows, merge -> merge.whenNotMatched().insertAll());
    }

    /**
     * Upsert of {@code rows} (unique on the table's key) into {@code table}: a new key is inserted, an
     * existing row is replaced only where {@code sourceIsNewer} holds, so a duplicate or an older change
     * never overwrites a newer one. {@code sourceIsNewer} gets the aliases the MERGE gives the incoming
     * row and the table's row, in that order. Partition pruning as in {@link #insertNew}.
     */
    public static void upsertNewer(SparkSession spark, TableDef table, Dataset<Row> rows,
                                   BiFunction<String, String, Column> sourceIsNewer) {
        merge(spark, table, rows, merge -> merge.whenMatched(sourceIsNewer.apply(SOURCE, TARGET)).updateAll()
                .whenNotMatched().insertAll());
    }

    /**
     * Runs one MERGE with the given clauses. The rows are read twice (for their partition values, then by
     * the MERGE), so they are cached for the call unless the caller has cached them already.
     */
    private static void merge(SparkSession spark, TableDef table, Dataset<Row> rows,
                              UnaryOperator<DeltaMergeBuilder> clauses) {
        boolean cachedHere = rows.storageLevel().equals(StorageLevel.NONE());
        Dataset<Row> source = cachedHere ? rows.persist() : rows;
        try {
            matchCondition(table, source).ifPresent(condition -> DeltaConflicts.retry("MERGE into " + table.name(),
                    () -> clauses.apply(DeltaTable.forName(spark, table.qualifiedName()).as(TARGET)
                            .merge(source.as(SOURCE), condition)).execute()));
        } finally {
            if (cachedHere) {
                source.unpersist();
            }
        }
    }

    /** Key equality plus the batch's partition values; empty for an empty batch. */
    private static Optional<Column> matchCondition(TableDef table, Dataset<Row> rows) {
        Column condition = null;
        for (String partitionColumn : table.partitionedBy()) {
            Object[] values = rows.select(partitionColumn).distinct().collectAsList().stream()
                    .map(row -> row.get(0)).toArray();
            if (values.length == 0) {
                return Optional.empty();
            }
            condition = and(condition, col(TARGET + "." + partitionColumn).isin(values));
        }
        if (table.partitionedBy().isEmpty() && rows.isEmpty()) {
            return Optional.empty();
        }
        for (String keyColumn : table.key()) {
            condition = and(condition, col(TARGET + "." + keyColumn).equalTo(col(SOURCE + "." + keyColumn)));
        }
        return Optional.of(condition);
    }

    private static Column and(Column left, Column right) {
        return left == null ? right : left.and(right);
    }
}
