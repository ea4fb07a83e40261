package com.example.lakehouse.sink;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.AddFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.SparkTestBase;

import scala.Option;

/**
 * A table's files as {@link TableFileLists} lists them, against Delta's own state rebuilt from the log, for a table
 * whose checksums list none of its files (the list's limit set to 0): after appends, a compaction, a delete, for an
 * earlier version, and for a table made again at the same place.
 */
class TableFileListsTest extends SparkTestBase {
    private static final String FILES_IN_CHECKSUM_THRESHOLD = DeltaSinkTest.FILES_IN_CHECKSUM_THRESHOLD;
    private String path;

    @BeforeEach
    void noFileListInChecksums() {
        spark.conf().set(FILES_IN_CHECKSUM_THRESHOLD, "0");
        path = workDir.resolve("file-lists-" + UUID.randomUUID()).toString();
    }

    @AfterEach
    void defaultThreshold() {
        spark.conf().unset(FILES_IN_CHECKSUM_THRESHOLD);
    }

    @Test
    void theFilesOfEachVersionAreDeltasOwnAfterAppendsACompactionAndADelete() {
        append(0, 20);
        assertListedAsDeltaDoes(latest());
        append(20, 40);
        append(40, 60);
        assertListedAsDeltaDoes(latest());
        spark.sql("OPTIMIZE delta.`" + path + "`");
        append(60, 80);
        assertListedAsDeltaDoes(latest());
        spark.sql("DELETE FROM delta.`" + path + "` WHERE id < 10");
        assertListedAsDeltaDoes(latest());
        assertListedAsDeltaDoes(DeltaLog.forTable(spark, path).getSnapshotAt(2, Option.empty(), Option.empty()));
        assertListedAsDeltaDoes(latest());
    }

    @Test
    void aListBroughtForwardRunsNoSparkJob() throws Throwable {
        append(0, 20);
        TableFileLists.of(latest()); // the first version seen: rebuilt from its state
        append(20, 40);
        Snapshot next = latest();
        AtomicInteger jobs = new AtomicInteger();
        List<List<AddFile>> listed = new ArrayList<>();
        listening(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                jobs.incrementAndGet();
            }
        }, () -> listed.add(TableFileLists.of(next)));
        assertThat(listed.get(0)).hasSize(4);
        assertThat(jobs).as("Spark jobs while listing").hasValue(0);
    }

    @Test
    void aTableMadeAgainAtTheSamePlaceIsListedAnew() {
        append(0, 20);
        append(20, 40);
        TableFileLists.of(latest());
        deleteTable();
        append(200, 220);
        append(220, 240);
        assertListedAsDeltaDoes(latest());
    }

    private void assertListedAsDeltaDoes(Snapshot snapshot) {
        List<String> delta = snapshot.allFiles().collectAsList().stream().map(AddFile::path).toList();
        assertThat(TableFileLists.of(snapshot)).extracting(AddFile::path).as("version %d", snapshot.version())
                .containsExactlyInAnyOrderElementsOf(delta);
    }

    private Snapshot latest() {
        return DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty());
    }

    /** Rows {@code from} to {@code to} (exclusive) in two days, two files a commit. */
    private void append(int from, int to) {
        rows(from, to).write().format("delta").mode("append").partitionBy("dt").save(path);
    }

    private static Dataset<Row> rows(int from, int to) {
        return spark.range(from, to).selectExpr("id", "CAST(IF(id % 2 = 0, '2024-03-01', '2024-03-02') AS DATE) AS dt")
                .repartition(col("dt"));
    }

    /** The table's folder deleted, as a user would before making it again; Delta's cached logs forgotten. */
    private void deleteTable() {
        try (Stream<Path> files = Files.walk(Path.of(path))) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DeltaLog.clearCache();
    }
}
