package com.example.lakehouse.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.table.TableDef;

import io.delta.tables.DeltaTable;

/** Versions read from real Delta commits, against the version Delta's own history gives. */
class TableVersionsTest extends SparkTestBase {
    private static final TableDef TABLE = tables.odsRejected();

    @Test
    void aTablesVersionIsItsLatestCommitPastCheckpointsAndAfterItIsMadeAgain() throws IOException {
        String root = workDir.resolve("versions").toString();
        String location = TABLE.location(root);
        TableVersions versions = new TableVersions(root, hadoop(), Duration.ZERO);
        assertThat(versions.of(List.of(TABLE))).as("no table yet").contains(List.of(TableVersions.NO_TABLE));

        for (int commit = 0; commit < 23; commit++) {
            spark.range(1).write().format("delta").mode("append").save(location);
            assertThat(versions.of(List.of(TABLE))).contains(List.of(historyVersion(location)));
        }
        assertThat(historyVersion(location)).isEqualTo(22);
        assertThat(fs(location).exists(new Path(location, "_delta_log/_last_checkpoint"))).as("Delta checkpointed").isTrue();
        for (int cleanedUp = 0; cleanedUp < 20; cleanedUp++) { // as Delta's log clean-up leaves it, past retention
            fs(location).delete(new Path(location, String.format("_delta_log/%020d.json", cleanedUp)), false);
        }
        assertThat(new TableVersions(root, hadoop(), Duration.ZERO).of(List.of(TABLE)))
                .as("a reader that never saw it, from its last checkpoint").contains(List.of(22L));
        assertThat(versions.of(List.of(TABLE))).as("the reader that did").contains(List.of(22L));

        fs(location).delete(new Path(location), true);
        spark.range(1).write().format("delta").save(location);
        assertThat(versions.of(List.of(TABLE))).as("made again").contains(List.of(0L));
    }

    @Test
    void aTableIsProbedAtMostOncePerProbeInterval() {
        String root = workDir.resolve("probed").toString();
        String location = TABLE.location(root);
        spark.range(1).write().format("delta").save(location);
        TableVersions versions = new TableVersions(root, hadoop(), Duration.ofMinutes(10));
        assertThat(versions.of(List.of(TABLE))).contains(List.of(0L));

        spark.range(1).write().format("delta").mode("append").save(location);

        assertThat(versions.of(List.of(TABLE))).as("the probe of a moment ago").contains(List.of(0L));
        assertThat(new TableVersions(root, hadoop(), Duration.ofMinutes(10)).of(List.of(TABLE))).contains(List.of(1L));
    }

    private static long historyVersion(String location) {
        return DeltaTable.forPath(spark, location).history(1).first().<Long>getAs("version");
    }

    private static Configuration hadoop() {
        return spark.sparkContext().hadoopConfiguration();
    }

    private static FileSystem fs(String location) throws IOException {
        return new Path(location).getFileSystem(hadoop());
    }
}
