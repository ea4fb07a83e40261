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
import com.example.lakehouse.job.DayBuilds;
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
    public static List<Timing> report(LakehouseConfig config, Tables tables, LocalDate day, Path workDir) {
        SparkSession spark = SparkSessions.create(config, "bench-sql-jobs", tables.all());
        for (TableDef source : List.of(tables.odsAppLog(), tables.odsMaxwell())) {
            if (!DeltaTable.isDeltaTable(spark, source.location(config.storage().tableRoot()))) {
                throw new ConfigException("no " + source.name() + " under " + config.storage().tableRoot()
                        + "; run `bin/lakehouse demo` first (with its order path), or point lakehouse.table-root at your tables");
            }
        }
        Path configFile = writeConfig(config, workDir);
        if (!ClassArchive.inUse()) {
            // what the first `demo` or `run` after a build does once; a DAG's runs after it map the archive
            System.out.println("note: no class data sharing archive in use: a first `run " + Tables.DAU
                    + "`, not timed, writes it as it exits, so the runs timed below map it as users' runs do");
            runInNewJvm(configFile, Tables.DAU, day, workDir.resolve("run-writing-the-class-archive.log"));
        }
        List<Timing> timings = new ArrayList<>();
        for (String pipeline : List.of(Tables.DAU, Tables.ORDERS)) {
            List<TableDef> targets = tables.builtBySql(pipeline);
            long newJvm = PeersBenchmark.timed(() -> runInNewJvm(configFile, pipeline, day, workDir.resolve("run-" + pipeline + ".log")));
            SqlJob.runRange(spark, config, tables, targets, day, day);
            long warm = PeersBenchmark.timed(() -> SqlJob.runRange(spark, config, tables, targets, day, day));
            timings.add(new Timing(pipeline, newJvm, warm));
        }
        System.out.println("| tables of " + day + " | `bin/lakehouse run PIPELINE --date D` (new JVM) | the same day in a warm session |");
        System.out.println("|---|---|---|");
        timings.forEach(timing -> System.out.printf("| %s (%d tables) | %.1f s | %.1f s |%n", timing.pipeline(),
                tables.builtBySql(timing.pipeline()).size(), timing.newJvmMillis() / 1000.0, timing.warmSessionMillis() / 1000.0));
        restatement(spark, config, tables, day);
        return timings;
    }

    /** {@code bin/lakehouse run PIPELINE --date DAY} in a JVM of its own, as a DAG task runs it. */
    private static void runInNewJvm(Path configFile, String pipeline, LocalDate day, Path log) {
        ProcessSupervisor.runToCompletion(List.of(ProjectHome.resolve("bin/lakehouse").toString(), "--config",
                configFile.toString(), "run", pipeline, "--date", day.toString()), log, LAUNCHER_TIMEOUT);
    }

    /**
     * What restatement costs a warm session, on the DAU pipeline's day {@code day}. A run with nothing stale, and
     * the search for stale days alone (what the run does beyond building {@code day}: each table's history, its
     * inputs' file lists, with nothing cached); then runs after {@code dws_dau_device_day} was built again for the
     * N days before {@code day}, which makes those days of the two tables that read it stale, against N times one
     * day of those two tables.
     */
    private static void restatement(SparkSession spark, LakehouseConfig config, Tables tables, LocalDate day) {
        List<TableDef> dau = tables.builtBySql(Tables.DAU);
        TableDef deviceDay = tables.byName("dws_dau_device_day");
        List<TableDef> downstream = List.of(tables.adsDauDaily(), tables.adsDauHourly());
        long nothingStale = PeersBenchmark.timed(() -> SqlJob.runRange(spark, config, tables, dau, day, day));
        LocalDate since = day.minusDays(config.restateHorizonDays());
        long search = PeersBenchmark.timed(() -> {
            DayBuilds builds = new DayBuilds(spark, config.storage().tableRoot(), tables);
            dau.stream().filter(TableDef::isDaily).forEach(table -> builds.status(table, since, day.plusDays(1)));
        });
        long oneDay = PeersBenchmark.timed(() -> SqlJob.runRange(spark, config, tables, downstream, day, day));
        System.out.println();
        System.out.println("| `run dau --date " + day + "`, warm session | time | restated days | expected: nothing stale + N × one day |");
        System.out.println("|---|---|---|---|");
        System.out.printf("| nothing stale | %.1f s (of which finding stale days %.1f s: %.2f× a run without it) | 0 | |%n",
                nothingStale / 1000.0, search / 1000.0, nothingStale / (double) (nothingStale - search));
        System.out.printf("| one day of %s | %.1f s | | |%n",
                downstream.stream().map(TableDef::name).toList(), oneDay / 1000.0);
        for (int days = 1; days <= 2; days++) {
            LocalDate first = day.minusDays(days);
            if (spark.read().format("delta").load(tables.adsDauDaily().location(config.storage().tableRoot()))
                    .where("dt = DATE'" + first + "'").isEmpty()) {
                break; // no built day to restate
            }
            SqlJob.runRange(spark, config, tables, List.of(deviceDay), first, day.minusDays(1));
            SqlJob.RunReport[] report = new SqlJob.RunReport[1];
            long restating = PeersBenchmark.timed(() -> report[0] = SqlJob.runRange(spark, config, tables, dau, day, day));
            System.out.printf("| %d day(s) of %s rebuilt | %.1f s | %d | %.1f s |%n", days, deviceDay.name(), restating / 1000.0,
                    report[0].restated().size(), (nothingStale + days * oneDay) / 1000.0);
        }
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
