package com.example.lakehouse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.source.KafkaSource;
import com.example.lakehouse.job.SparkSessions;

/**
 * A local[2] Spark session with Delta, its tables and checkpoints in a fresh temp folder per test
 * class, built by the same {@link SparkSessions} the jobs use. Also builds Kafka-shaped records.
 */
public abstract class SparkTestBase {
    @TempDir
    protected static Path workDir;
    protected static LakehouseConfig config;
    protected static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        config = LakehouseConfig.defaultConfig().with(Map.of(
                "spark.master", "local[2]",
                "spark.sql.shuffle.partitions", "2",
                "lakehouse.table-root", workDir.resolve("tables").toString(),
                "lakehouse.checkpoint-root", workDir.resolve("checkpoints").toString(),
                "lakehouse.run-dir", workDir.resolve("run").toString()));
        spark = SparkSessions.create(config, "test");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    /** Kafka records on partition 0 with consecutive offsets from {@code firstOffset}. */
    protected static Dataset<Row> kafkaRecords(long firstOffset, List<String> values) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            byte[] value = values.get(i) == null ? null : values.get(i).getBytes(StandardCharsets.UTF_8);
            rows.add(RowFactory.create(null, value, "app_log", 0, firstOffset + i, new Timestamp(0)));
        }
        return spark.createDataFrame(rows, KafkaSource.RECORD_SCHEMA);
    }
}
