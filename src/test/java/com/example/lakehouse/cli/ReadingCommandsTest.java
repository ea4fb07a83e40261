package com.example.lakehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.example.lakehouse.SparkTestBase;

/** A command that reads tables, run where they or Trino are missing, says what is missing in one line and writes nothing. */
class ReadingCommandsTest {
    @TempDir
    Path dir;

    @AfterEach
    void stopSpark() {
        SparkSession.getDefaultSession().foreach(session -> {
            SparkTestBase.stop(session);
            return null;
        });
    }

    @Test
    void theDashboardWithoutTrinoFailsWithOneLineAndWritesNoFile() throws IOException {
        Path config = dir.resolve("lakehouse.properties");
        try (ServerSocket probe = new ServerSocket(0)) { // a port nobody listens on once the probe closes
            Files.writeString(config, "trino.port=" + probe.getLocalPort() + "\n");
        }

        CliRun dashboard = CliRun.of("--config", config.toString(), "dashboard", "--date", "2024-03-01",
                "--out", dir.resolve("page.html").toString());

        assertThat(dashboard.exitCode()).isEqualTo(1);
        assertThat(dashboard.err().lines().filter(line -> line.startsWith("lakehouse: "))).singleElement().asString()
                .contains("Trino");
        assertThat(dir.resolve("page.html")).doesNotExist();
    }

    @Test
    void readingAnEmptyTableRootFailsWithOneLineAndCreatesNoTable() throws IOException {
        Path tables = dir.resolve("tables");
        Path config = dir.resolve("lakehouse.properties");
        Files.writeString(config, String.join("\n", "spark.master=local[1]", "lakehouse.table-root=" + tables,
                "lakehouse.checkpoint-root=" + dir.resolve("checkpoints"), "lakehouse.run-dir=" + dir.resolve("run"), ""));

        CliRun run = CliRun.of("--config", config.toString(), "run", "dws_dau_device_day", "--date", "2024-03-01");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines().filter(line -> line.startsWith("lakehouse: "))).singleElement().asString()
                .matches("lakehouse: table ods_app_log does not exist under .*" + tables + ".*");
        assertThat(tables).as("no table created by reading").satisfiesAnyOf(
                root -> assertThat(root).doesNotExist(), root -> assertThat(root).isEmptyDirectory());
    }
}
