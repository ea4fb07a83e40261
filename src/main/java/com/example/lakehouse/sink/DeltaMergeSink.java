package com.example.lakehouse.sink;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.table.TableDef;

import io.delta.tables.DeltaTable;

/**
 * Idempotent writes into Delta: rows whose natural key is already in the table are left alone, new
 * ones are inserted. Replaying a topic therefore changes nothing, and no dedup state is kept anywhere
 * but in the table itself.
 */
public final class DeltaMergeSink {
    private DeltaMergeSink() {
    }

    /**
     * Insert-only MERGE of {@code rows} (unique on the table's key) into {@code table}. The match
     * condition also names the partition values present in {@code rows}, so Delta reads only those
     * partitions of the target: the cost of a batch follows the batch, not the size of the table.
     */
    public static void insertNew(SparkSession spark, TableDef table, Dataset<Row> rows) {
        Column condition = null;
        for (String partitionColumn : table.partitionedBy()) {
            Object[] values = rows.select(partitionColumn).distinct().collectAsList().stream()
                    .map(row -> row.get(0)).toArray();
            if (values.length == 0) {
                return; // an empty batch
            }
            condition = and(condition, col("t." + partitionColumn).isin(values));
        }
        for (String keyColumn : table.key()) {
            condition = and(condition, col("t." + keyColumn).equalTo(col("s." + keyColumn)));
        }
        DeltaTable.forName(spark, table.qualifiedName()).as("t")
                .merge(rows.as("s"), condition)
                .whenNotMatched().insertAll()
                .execute();
    }

    private static Column and(Column left, Column right) {
        return left == null ? right : left.and(right);
    }
}
