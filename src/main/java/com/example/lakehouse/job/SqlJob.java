package com.example.lakehouse.job;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.VersionChecksum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.quality.DataQualityChecks;
import com.example.lakehouse.quality.DataQualityException;
import com.example.lakehouse.table.SessionTables;
import com.example.lakehouse.table.SqlDependencies;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.TableEntry;
import com.example.lakehouse.table.Tables;

import io.delta.tables.DeltaTable;
import scala.Option;

/**
 * Builds a derived table from the SELECT of its entry {@code sql/<layer>/<table>.sql} (as a dbt model
 * is built); this runner owns the write. For a daily table it replaces exactly the partition
 * {@code dt = <date>} and nothing else (Delta rejects rows outside it); a dimension (no dt) is a
 * snapshot and is replaced whole. Either way a re-run or a backfill leaves the table as one run would.
 * Then the table's data-quality checks run on what was written; a failure stops the run, unless the entry lists
 * the check among its warning_checks.
 */
public final class SqlJob {
    private static final Logger LOG = LoggerFactory.getLogger(SqlJob.class);

    private SqlJob() {
    }

    /** A day built again because what it reads changed since its last build, and its figures that moved. */
    public record Restated(TableDef table, LocalDate dt, List<String> changes) {
        @Override
        public String toString() {
            return "restated " + table.name() + " " + dt + (changes.isEmpty() ? ": no figure changed"
                    : ": " + String.join("; ", changes));
        }
    }

    /** What a run did beyond its dates: the days it restated, and its failed warning checks. */
    public record RunReport(List<Restated> restated, List<String> warnings) {
        /** The report's lines, as the run prints them. */
        public List<String> lines() {
            return Stream.concat(restated.stream().map(Restated::toString), warnings.stream()).toList();
        }
    }

    /**
     * Builds {@code table}, one of {@code tables}, (for day {@code dt} if it is daily) and checks it; returns its
     * failed warning checks.
     */
    public static List<String> run(SparkSession spark, LakehouseConfig config, Tables tables, TableDef table, LocalDate dt) {
        return build(spark, config, tables, new DayBuilds(spark, config.storage().tableRoot(), tables), table, dt, true);
    }

    /**
     * {@link #run} for a day still open (today's, built again during the day): the build report beside the tables
     * ({@link TableBuilds}) stays the runs' own, so a missed nightly run and its failed checks still show.
     */
    static List<String> runOpenDay(SparkSession spark, LakehouseConfig config, Tables tables, DayBuilds builds,
                                   TableDef table, LocalDate dt) {
        return build(spark, config, tables, builds, table, dt, false);
    }

    private static List<String> build(SparkSession spark, LakehouseConfig config, Tables tables, DayBuilds builds,
                                      TableDef table, LocalDate dt, boolean keepReport) {
        long started = System.nanoTime();
        // what a day reads is taken before its SELECT reads it, so a write after that shows as a change
        String record = table.isDaily() ? DayBuilds.record(dt, DayBuilds.definition(table), builds.inputs(table).readBy(dt))
                : null;
        Dataset<Row> result = select(spark, config, tables, table, dt);
        SessionTables.createMissing(spark, config.storage().tableRoot(),
                Stream.concat(Stream.of(table), liveTwinsChecked(tables, table).stream()).toList());
        DataFrameWriter<Row> writer = result.write().format("delta").mode("overwrite");
        if (table.isDaily()) {
            writer = writer.option("replaceWhere", "dt = DATE'" + dt + "'").option("userMetadata", record);
        }
        writer.save(table.location(config.storage().tableRoot()));
        long written = System.nanoTime();
        List<String> warnings;
        try {
            warnings = explainingMissingTables(config, () -> DataQualityChecks.run(spark, tables, table, dt));
        } catch (DataQualityException failed) {
            if (keepReport) {
                keepBuild(config, table, dt, Optional.of(failed.getMessage()), List.of());
            }
            throw failed;
        }
        if (keepReport) {
            keepBuild(config, table, dt, Optional.empty(), warnings);
        }
        LOG.info("{}{} written in {} ms, checked in {} ms", table.name(), table.isDaily() ? " dt=" + dt : "",
                (written - started) / 1_000_000, (System.nanoTime() - written) / 1_000_000);
        return warnings;
    }

    /**
     * The tables a stream writes that only {@code table}'s checks read (the live twin its check compares with). One
     * that no ingest has written yet under this root (its first start after an upgrade fills it) is created empty,
     * so the check finds nothing to compare rather than failing the build on a missing table.
     */
    private static List<TableDef> liveTwinsChecked(Tables tables, TableDef table) {
        Set<String> selected = SqlDependencies.tablesRead(table.select().orElseThrow());
        return tables.upstream(table).stream().filter(read -> !read.isBuiltBySql() && !selected.contains(read.name()))
                .toList();
    }

    /** Keeps how the build went beside the tables ({@link TableBuilds}); failing to does not undo the build. */
    private static void keepBuild(LakehouseConfig config, TableDef table, LocalDate dt, Optional<String> error,
                                  List<String> warnings) {
        try {
            TableBuilds.record(config, table, dt, error, warnings);
        } catch (RuntimeException e) { // not a reason to fail a build, nor to hide a failed check
            LOG.warn("{}: built, but how it went could not be kept for /health and status: {}", table.name(), e.toString());
        }
    }

    private static Dataset<Row> select(SparkSession spark, LakehouseConfig config, Tables tables, TableDef table,
                                       LocalDate dt) {
        Dataset<Row> result = explainingMissingTables(config,
                () -> spark.sql(tables.render(table.select().orElseThrow(), dt)));
        requireColumns(table, result);
        return result;
    }

    /** Builds day {@code dt} of {@code table} again, and says which of its figures moved. */
    private static Restated restate(SparkSession spark, LakehouseConfig config, Tables tables, DayBuilds builds,
                                    TableDef table, LocalDate dt, List<String> warnings) {
        Supplier<Dataset<Row>> day = () -> spark.read().format("delta")
                .load(table.location(config.storage().tableRoot())).where("dt = DATE'" + dt + "'");
        List<Row> before = DayChanges.figures(table, day.get());
        warnings.addAll(build(spark, config, tables, builds, table, dt, true));
        Restated restated = new Restated(table, dt, DayChanges.between(table, before, DayChanges.figures(table, day.get())));
        LOG.info("{}", restated);
        return restated;
    }

    /** Runs {@code sql}; a table it reads that does not exist under the root gets the one-line answer. */
    private static <T> T explainingMissingTables(LakehouseConfig config, Supplier<T> sql) {
        try {
            return sql.get();
        } catch (Exception e) { // Scala's AnalysisException is checked in Java but not declared
            if (e instanceof AnalysisException analysis) {
                throw SessionTables.explainMissing(analysis, config.storage().tableRoot());
            }
            throw e;
        }
    }

    /**
     * Builds {@code targets}, of {@code tables}, for every date from {@code from} to {@code to}: the snapshot tables
     * once, first, then each daily table for those dates, and also for every day of the restatement horizon before
     * {@code to} whose inputs changed since it was built (see {@link DayBuilds}). A table starts as soon as the
     * tables it reads that are being built have finished, restated days included, so a restated day of a dwd
     * table makes its day of the dws and ads tables stale in turn; independent tables build at the same time.
     * The first failure stops the run. Returns the restated days and the failed warning checks; stale days
     * before the horizon are logged. A run reading less than {@code run.large-input-bytes} of tables it does not
     * build runs with the ingests' small-batch settings ({@link SparkSessions#configureForRun}); the session has the
     * SQL jobs' settings again after it.
     */
    public static RunReport runRange(SparkSession spark, LakehouseConfig config, Tables tables, List<TableDef> targets,
                                     LocalDate from, LocalDate to) {
        OptionalLong inputBytes = bytesRead(spark, config, tables, targets);
        boolean small = SparkSessions.configureForRun(spark, config, inputBytes);
        LOG.info("the tables the run reads and does not build hold {}: Spark's {}", inputBytes.isPresent()
                ? String.format("%.1f MB", inputBytes.getAsLong() / 1e6) : "an unknown size (a version without a checksum)",
                small ? "interpreted expressions (under run.large-input-bytes)" : "generated code");
        try {
            return buildRange(spark, config, tables, targets, from, to);
        } finally {
            SparkSessions.useSqlJobSettings(spark, config);
        }
    }

    /**
     * The size of the tables {@code targets} read that the run does not build, as each one's latest version records it
     * in its checksum: whole tables, all their days, so a lake with a long history keeps generated code. Not Delta's
     * own size of a version, which rebuilds its state from the log: Spark jobs that cost a new JVM seconds. Unknown
     * when a version has no checksum.
     */
    private static OptionalLong bytesRead(SparkSession spark, LakehouseConfig config, Tables tables, List<TableDef> targets) {
        List<String> locations = targets.stream().flatMap(table -> tables.upstream(table).stream()).distinct()
                .filter(read -> !targets.contains(read)).map(read -> read.location(config.storage().tableRoot()))
                .filter(location -> DeltaTable.isDeltaTable(spark, location)).toList();
        long total = 0;
        for (String location : locations) {
            Option<VersionChecksum> checksum = DeltaLog.forTable(spark, location)
                    .update(false, Option.empty(), Option.empty()).checksumOpt();
            if (checksum.isEmpty()) {
                return OptionalLong.empty();
            }
            total += checksum.get().tableSizeBytes();
        }
        return OptionalLong.of(total);
    }

    /** {@link #runRange}, in a session set for its size. */
    private static RunReport buildRange(SparkSession spark, LakehouseConfig config, Tables tables, List<TableDef> targets,
                                        LocalDate from, LocalDate to) {
        DayBuilds builds = new DayBuilds(spark, config.storage().tableRoot(), tables);
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        ConcurrentWrites.run(targets.stream().filter(table -> !table.isDaily()).toList(), tables::upstream,
                table -> warnings.addAll(build(spark, config, tables, builds, table, to, true)));
        List<TableDef> daily = targets.stream().filter(TableDef::isDaily).toList();
        LocalDate horizon = to.minusDays(config.restateHorizonDays());
        List<Restated> restated = Collections.synchronizedList(new ArrayList<>());
        ConcurrentWrites.run(daily, tables::upstream, table -> {
            long looked = System.nanoTime();
            Map<LocalDate, DayBuilds.Build> lastBuilds = builds.lastBuilds(table);
            List<LocalDate> staleDays = builds.staleDays(table, lastBuilds);
            List<LocalDate> stale = staleDays.stream().filter(day -> day.isBefore(from)).toList();
            List<LocalDate> staleLater = staleDays.stream().filter(day -> day.isAfter(to)).toList();
            if (!staleLater.isEmpty()) {
                LOG.warn("{}: later days read what this run rebuilds and are stale: {}; the next run for a later day"
                        + " builds them again", table.name(), staleLater);
            }
            List<LocalDate> neverBuilt = builds.daysNeverBuilt(table, lastBuilds.keySet(), horizon, from);
            LOG.info("{}: {} day(s) built so far, {} of them before {} stale, found in {} ms", table.name(),
                    lastBuilds.size(), stale.size(), from, (System.nanoTime() - looked) / 1_000_000);
            if (!neverBuilt.isEmpty()) {
                LOG.warn("{}: no run has built these days, which the tables it reads have: {}", table.name(), neverBuilt);
            }
            List<LocalDate> beyondHorizon = stale.stream().filter(day -> day.isBefore(horizon)).toList();
            if (!beyondHorizon.isEmpty()) {
                LOG.warn("{}: days older than the {}-day horizon changed since they were built, left as they are: {};"
                        + " build them with run --from --to", table.name(), config.restateHorizonDays(), beyondHorizon);
            }
            stale.stream().filter(day -> !day.isBefore(horizon))
                    .forEach(day -> restated.add(restate(spark, config, tables, builds, table, day, warnings)));
            for (LocalDate dt = from; !dt.isAfter(to); dt = dt.plusDays(1)) {
                warnings.addAll(build(spark, config, tables, builds, table, dt, true));
            }
        });
        return new RunReport(List.copyOf(restated), List.copyOf(warnings));
    }

    /**
     * The rows of a stream-written table's SELECT over one micro-batch: each of {@code batchTables} (a
     * table the SELECT reads, and the batch's rows of it) stands in for that table, as a CTE of the same
     * name, which Spark resolves before any table. The SELECT runs in the batch's own session: a
     * streaming query hands foreachBatch its rows in a session of its own, where the views must live.
     */
    public static Dataset<Row> selectOverMicroBatch(TableDef table, Map<TableDef, Dataset<Row>> batchTables) {
        SparkSession batchSession = batchTables.values().iterator().next().sparkSession();
        List<String> ctes = new ArrayList<>();
        batchTables.forEach((read, rows) -> {
            String view = "micro_batch_" + read.name();
            rows.createOrReplaceTempView(view);
            ctes.add(read.name() + " AS (SELECT * FROM " + view + ")");
        });
        Dataset<Row> result = batchSession.sql(TableEntry.withCtes(ctes, table.select().orElseThrow()));
        requireColumns(table, result);
        return result;
    }

    /** A SELECT that drifts from the table's definition fails loudly instead of writing nulls. */
    private static void requireColumns(TableDef table, Dataset<Row> result) {
        Set<String> expected = new TreeSet<>(Arrays.asList(table.schema().fieldNames()));
        Set<String> actual = new TreeSet<>(Arrays.asList(result.columns()));
        if (!expected.equals(actual)) {
            throw new IllegalStateException(table.sqlResource() + " selects " + actual + " but " + table.name()
                    + " has " + expected);
        }
    }
}
