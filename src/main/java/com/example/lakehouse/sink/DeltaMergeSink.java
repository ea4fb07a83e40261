package com.example.lakehouse.sink;

import static org.apache.spark.sql.functions.col;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
     * condition also names the partition values present in {@code rows}, so Delta reads only those
     * partitions of the target: the cost of a batch follows the batch, not the size of the table.
     */
    @Override
    public void insertNew(TableDef table, Dataset<Row> rows) {
        merge(table, rows, merge -> merge.whenNotMatched().insertAll());
    }

    /** A MERGE with an update clause guarded by {@code sourceIsNewer}; partition pruning as in {@link #insertNew}. */
    @Override
    public void upsertNewer(TableDef table, Dataset<Row> rows, BiFunction<String, String, Column> sourceIsNewer) {
        merge(table, rows, merge -> merge.whenMatched(sourceIsNewer.apply(SOURCE, TARGET)).updateAll()
                .whenNotMatched().insertAll());
    }

    /**
     * Runs one MERGE with the given clauses. The rows are read twice (for their partition values, then by
     * the MERGE), so they are cached for the call unless the caller has cached them already.
     */
    private void merge(TableDef table, Dataset<Row> rows, UnaryOperator<DeltaMergeBuilder> clauses) {
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
