package com.example.lakehouse.dev.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.config.ProjectHome;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.job.SqlJob;
import com.example.lakehouse.process.ProcessSupervisor;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

import io.delta.tables.DeltaTable;

/**
 * One day of each pipeline's SQL jobs on existing tables (the demo's): first as a DAG task runs it,
 * {@code bin/lakehouse run dau --date D} in a JVM of its own, JVM and Spark start included; then the
 * same day in this JVM's session, once to warm it and once measured, what a day costs a session that
 * is already running (a backfill's second day, or a long-lived service).
 */
public final class SqlJobsBenchmark {
    private static final Duration LAUNCHER_TIMEOUT = Duration.ofMinutes(10);

    /** A pipeline's day in a new JVM through the launcher, and in a warm session. */
    public record Timing(String pipeline, long newJvmMillis, long warmSessionMillis) {
    }

    private SqlJobsBenchmark() {
    }

    /** `bench sql-jobs`: prints one row per pipeline; {@code workDir} takes the child runs' config and logs. */
    public static List<Timing> report(LakehouseConfig config, LocalDate day, Path workDir) {
        SparkSession spark = SparkSessions.create(config, "bench-sql-jobs");
        for (TableDef source : List.of(Tables.ODS_APP_LOG, Tables.ODS_MAXWELL)) {
            if (!DeltaTable.isDeltaTable(spark, source.location(config.storage().tableRoot()))) {
                throw new ConfigException("no " + source.name() + " under " + config.storage().tableRoot()
                        + "; run `bin/lakehouse demo` first (with its order path), or point lakehouse.table-root at your tables");
            }
        }
        Path configFile = writeConfig(config, workDir);
        List<Timing> timings = new ArrayList<>();
        for (String pipeline : List.of(Tables.DAU, Tables.ORDERS)) {
            List<TableDef> tables = Tables.builtBySql(pipeline);
            long newJvm = PeersBenchmark.timed(() -> ProcessSupervisor.runToCompletion(List.of(
                    ProjectHome.resolve("bin/lakehouse").toString(), "--config", configFile.toString(),
                    "run", pipeline, "--date", day.toString()), workDir.resolve("run-" + pipeline + ".log"), LAUNCHER_TIMEOUT));
            SqlJob.runRange(spark, config, tables, day, day);
            long warm = PeersBenchmark.timed(() -> SqlJob.runRange(spark, config, tables, day, day));
            timings.add(new Timing(pipeline, newJvm, warm));
        }
        System.out.println("| tables of " + day + " | `bin/lakehouse run PIPELINE --date D` (new JVM) | the same day in a warm session |");
        System.out.println("|---|---|---|");
        timings.forEach(timing -> System.out.printf("| %s (%d tables) | %.1f s | %.1f s |%n", timing.pipeline(),
                Tables.builtBySql(timing.pipeline()).size(), timing.newJvmMillis() / 1000.0, timing.warmSessionMillis() / 1000.0));
        return timings;
    }

    /** This exact configuration as a file for the child JVM's --config. */
    private static Path writeConfig(LakehouseConfig config, Path workDir) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + workDir, e);
        }
        Path file = workDir.resolve("lakehouse.properties");
        config.writeTo(file);
        return file;
    }
}
