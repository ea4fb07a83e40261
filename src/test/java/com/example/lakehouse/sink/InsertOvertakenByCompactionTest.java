package com.example.lakehouse.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.SparkTestBase;

import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A keyed insert reads its table, writes the rows the table lacks, then commits. When a compaction commits in
 * between, only moving rows between files, the insert commits the files it wrote on a new transaction; when new
 * rows commit in between, it fails, so that it runs again on the rows the table now holds.
 */
class InsertOvertakenByCompactionTest extends SparkTestBase {
    private String path;
    private DeltaLog log;

    @BeforeEach
    void aDayInThreeFiles() {
        path = workDir.resolve("overtaken-" + UUID.randomUUID()).toString();
        for (String id : List.of("a1", "a2", "a3")) {
            append(List.of(id));
        }
        log = DeltaLog.forTable(spark, path);
    }

    @Test
    void anInsertThatOnlyACompactionOvertookCommitsTheFilesItWrote() {
        OptimisticTransaction insert = readingTheTable();
        List<Action> written = write(insert, List.of("b1", "b2"));
        spark.sql("OPTIMIZE delta.`" + path + "`");

        long version = DeltaSink.commitInsert(log, insert, written, this::readingTheTable);

        assertThat(version).as("after the compaction's commit").isEqualTo(insert.readVersion() + 2);
        assertThat(operationOf(version - 1)).isEqualTo("OPTIMIZE");
        assertThat(ids()).containsExactlyInAnyOrder("a1", "a2", "a3", "b1", "b2");
    }

    @Test
    void anInsertThatNewRowsOvertookFailsToRunAgain() {
        OptimisticTransaction insert = readingTheTable();
        List<Action> written = write(insert, List.of("b1", "b2"));
        append(List.of("b1"));

        assertThatThrownBy(() -> DeltaSink.commitInsert(log, insert, written, this::readingTheTable))
                .isInstanceOf(DeltaConcurrentModificationException.class);
        assertThat(ids()).containsExactlyInAnyOrder("a1", "a2", "a3", "b1");
    }

    private OptimisticTransaction readingTheTable() {
        OptimisticTransaction transaction = log.startTransaction(Option.empty(), Option.empty());
        transaction.filterFiles(); // records the read of every file, as the sink's keyed insert records its own
        return transaction;
    }

    private List<Action> write(OptimisticTransaction transaction, List<String> ids) {
        return new ArrayList<>(CollectionConverters.asJava(transaction.writeFiles(rows(ids))));
    }

    private void append(List<String> ids) {
        rows(ids).write().format("delta").mode("append").partitionBy("dt").save(path);
    }

    private static Dataset<Row> rows(List<String> ids) {
        return spark.createDataFrame(ids.stream().map(id -> RowFactory.create(id, "2024-03-01")).toList(),
                StructType.fromDDL("id STRING, dt STRING")).coalesce(1);
    }

    private List<String> ids() {
        return spark.read().format("delta").load(path).select("id").as(Encoders.STRING()).collectAsList();
    }

    private String operationOf(long version) {
        return spark.sql("DESCRIBE HISTORY delta.`" + path + "`").where("version = " + version)
                .select("operation").as(Encoders.STRING()).first();
    }
}
