package com.example.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.sink.DeltaSink;
import com.example.lakehouse.source.KafkaSource;
import com.example.lakehouse.table.SessionTables;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

/**
 * A local[2] Spark session with Delta, its tables (all created, empty) and checkpoints in a fresh temp
 * folder per test class, built by the same {@link SparkSessions} the jobs use. Also builds Kafka-shaped records.
 */
public abstract class SparkTestBase {
    /** The tables of the entries under sql/, read once for every test class. */
    protected static final Tables tables = Tables.load();
    /** The Spark setting that says whether a session's queries generate code or interpret their expressions. */
    protected static final String CODEGEN_FACTORY_MODE = "spark.sql.codegen.factoryMode";
    @TempDir
    protected static Path workDir;
    protected static LakehouseConfig config;
    protected static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        config = localConfig(workDir);
        spark = SparkSessions.create(config, "test", tables.all());
        SessionTables.createMissing(spark, config.storage().tableRoot(), tables.all());
    }

    @AfterAll
    static void stopSpark() {
        stop(spark);
    }

    /** The test configuration: local[2] Spark, tables, checkpoints and run files under {@code dir}. */
    public static LakehouseConfig localConfig(Path dir) {
        return LakehouseConfig.defaultConfig().toBuilder()
                .set("spark.master", "local[2]")
                .set("spark.sql.shuffle.partitions", "2")
                .tableRoot(dir.resolve("tables"))
                .checkpointRoot(dir.resolve("checkpoints"))
                .runDir(dir.resolve("run"))
                .build();
    }

    /** Stops a session so that the next test class builds its own, with its own configuration. */
    public static void stop(SparkSession session) {
        DeltaSink.finishBackgroundWork(); // no fold or compaction writing into the class's folder as JUnit deletes it
        session.stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        // Hadoop caches a file system per scheme and bucket for the whole JVM: without this, the next test
        // class's s3a://lakehouse would reach the S3 server (and port) of the class before, long stopped
        try {
            FileSystem.closeAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code action} with {@code listener} on the session's listener bus, until every event of it is delivered. */
    protected static void listening(SparkListener listener, Executable action) throws Throwable {
        spark.sparkContext().addSparkListener(listener);
        try {
            action.execute();
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
    }

    /** The jobs Spark started while {@code action} ran, every one of them delivered to the listener. */
    protected static List<SparkListenerJobStart> jobsStartedWhile(Executable action) throws Throwable {
        List<SparkListenerJobStart> jobs = new CopyOnWriteArrayList<>();
        listening(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart job) {
                jobs.add(job);
            }
        }, action);
        return jobs;
    }

    /** The values of a key column, checked to hold no duplicates. */
    public static Set<String> distinctKeys(SparkSession session, String table, String column) {
        List<Row> rows = session.table(table).select(column).collectAsList();
        Set<String> values = rows.stream().map(row -> row.getString(0)).collect(Collectors.toSet());
        assertThat(values).as("%s has no duplicate keys", table).hasSize(rows.size());
        return values;
    }

    /** A table's current rows as its readers see them: one per key, the earliest for a table that keeps the earliest. */
    public static Dataset<Row> currentRows(SparkSession session, String table) {
        TableDef def = tables.byName(table);
        return session.sql(def.currentRows(def.qualifiedName()));
    }

    /** Kafka records on partition 0 with consecutive offsets from {@code firstOffset}; a null value stays null. */
    protected static Dataset<Row> kafkaRecords(long firstOffset, List<String> values) {
        return kafkaRecordBytes(firstOffset, values.stream()
                .map(value -> value == null ? null : value.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** Kafka records with these exact bytes, on partition 0 with consecutive offsets from {@code firstOffset}. */
    protected static Dataset<Row> kafkaRecordBytes(long firstOffset, List<byte[]> values) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            rows.add(RowFactory.create(null, values.get(i), "app_log", 0, firstOffset + i, new Timestamp(0)));
        }
        return spark.createDataFrame(rows, KafkaSource.RECORD_SCHEMA);
    }
}
