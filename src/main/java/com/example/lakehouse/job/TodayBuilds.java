package com.example.lakehouse.job;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

/**
 * Today's day of a pipeline's daily tables, kept current during the day by the ingest that feeds them, so
 * Trino and the API read today's breakdowns (trademarks, buyers' groups) from the same tables and the same SQL
 * entries as a closed day's: no second copy of a rule. Each build replaces the day exactly as the nightly run
 * does, checks included, and records what it read in its commit; a table is built again only when the
 * files of what it reads changed since its last build of the day (the comparison {@link DayBuilds} makes for
 * closed days), in dependency order, so an idle shop writes nothing, and a restarted ingest builds again only
 * what changed while it was down.
 *
 * <p>It runs as a query of its own whose micro-batches are ticks of a clock (Spark's rate-micro-batch source
 * on {@code ingest.today-trigger}): it starts and stops with the ingest, and its batches' times and age show
 * in {@code status} and {@code /metrics} as every stream's do. A build that fails (a check on a day still
 * changing, a dimension not built yet) is logged and tried again once what the table reads changes, the
 * tables reading it wait for that, and it never stops the mirrors. The build reports that {@code /health}
 * reads stay the nightly runs' ({@link SqlJob#runOpenDay}). Dimensions are read as the nightly run left them,
 * so an order of a product or user created today gets their names from the nightly run.
 */
public final class TodayBuilds {
    private static final Logger LOG = LoggerFactory.getLogger(TodayBuilds.class);

    private final SparkSession spark;
    private final LakehouseConfig config;
    private final Tables tables;
    /** The pipeline's daily tables, in dependency order. */
    private final List<TableDef> daily;
    /** The day of the builds below: a tick of a new day starts afresh. Ticks run one at a time. */
    private LocalDate day;
    /** Per table, what its last build here read. */
    private final Map<String, DayBuilds.Build> lastBuilds = new ConcurrentHashMap<>();
    /** The tables whose last build here failed: the tables reading them wait until they build. */
    private final Set<TableDef> failing = ConcurrentHashMap.newKeySet();
    /** Whether the clock has ticked for this object yet: see {@link #tick}. */
    private boolean started;

    TodayBuilds(SparkSession spark, LakehouseConfig config, Tables tables, String pipeline) {
        this.spark = spark;
        this.config = config;
        this.tables = tables;
        this.daily = tables.builtBySql(pipeline).stream().filter(TableDef::isDaily).toList();
    }

    /** Starts query {@code name}: on every tick of {@code trigger}, today's day (in the configured zone) of {@code pipeline}'s tables. */
    static StreamingQuery start(SparkSession spark, LakehouseConfig config, Tables tables, String name, String pipeline,
                                Trigger trigger) throws TimeoutException {
        TodayBuilds todayBuilds = new TodayBuilds(spark, config, tables, pipeline);
        Dataset<Row> ticks = spark.readStream().format("rate-micro-batch").option("rowsPerBatch", 1)
                .option("numPartitions", 1).load();
        return StreamingJobs.startForeachBatch(name, config, ticks, trigger,
                tick -> todayBuilds.tick(LocalDate.now(config.timeZone())));
    }

    /**
     * One tick of the clock: {@link #buildChanged} but at the first tick, the query's start, which builds nothing;
     * returns the tables built. Spark runs a processing-time query's first batch at once and the next at the clock's
     * next multiple of the interval, so building at the start meant a started ingest (a restart after a kill, a
     * deploy) built every table whose day changed while it was down in a cold JVM, beside the capture's first batches
     * that today's GMV waits for, and a start shortly before such a multiple built them twice within seconds. Today's
     * tables are current from the next tick, at most one interval after the start, as they are all day.
     */
    List<TableDef> tick(LocalDate today) {
        if (!started) {
            started = true;
            return List.of();
        }
        return buildChanged(today);
    }

    /**
     * Builds day {@code today} of each table whose inputs' files of the days it reads changed since its last
     * build, failed or not; returns the tables built. The last build is the one made here or, the first time (an
     * ingest just started, or restarted), the one the table's history records for today by the same definition of
     * the table, so a restart rebuilds only what changed meanwhile (inputs, or the code that builds the table)
     * rather than every table, as the nightly run finds its stale days. A failure is logged, never thrown, and the
     * tables reading a table whose last build here failed wait until it builds. A restart forgets those failures: a
     * table whose day was written but failed its checks is not built again until its inputs change, and the tables
     * reading it build from what it wrote (the nightly run checks the day again).
     */
    List<TableDef> buildChanged(LocalDate today) {
        if (!today.equals(day)) {
            lastBuilds.clear();
            failing.clear();
            day = today;
        }
        DayBuilds dayBuilds = new DayBuilds(spark, config.storage().tableRoot(), tables); // its file lists are of this tick only
        List<TableDef> built = Collections.synchronizedList(new ArrayList<>());
        ConcurrentWrites.run(daily, tables::upstream, table -> {
            if (tables.upstream(table).stream().anyMatch(failing::contains)) {
                return;
            }
            try {
                DayBuilds.Inputs inputs = dayBuilds.inputs(table);
                DayBuilds.Build last = lastBuilds.get(table.name());
                if (last == null) { // read once, then kept as this object's own builds are
                    last = recordedToday(dayBuilds, table, today).orElse(null);
                    if (last != null) {
                        lastBuilds.put(table.name(), last);
                    }
                }
                if (last != null && !inputs.changedSince(last)) {
                    return;
                }
                // read before the build, as the build's own record is: a write in between shows as a change next time
                lastBuilds.put(table.name(), new DayBuilds.Build(today, Instant.now(), DayBuilds.definition(table),
                        inputs.readBy(today)));
                SqlJob.runOpenDay(spark, config, tables, dayBuilds, table, today);
                failing.remove(table);
                built.add(table);
            } catch (Exception failure) { // Spark's and Delta's exceptions are checked in Java but not declared
                failing.add(table);
                LOG.warn("{} dt={}: today's build failed; tried again once what it reads changes", table.name(), today,
                        failure);
            }
        });
        if (!built.isEmpty()) {
            LOG.info("today's day {} built again: {}", today, built.stream().map(TableDef::name).toList());
        }
        return List.copyOf(built);
    }

    /**
     * Day {@code today}'s last build of {@code table} as its Delta history records it, if it was built by this code's
     * definition of the table; a build by other code (before an upgrade) counts as none, so the day is built again.
     */
    private static Optional<DayBuilds.Build> recordedToday(DayBuilds dayBuilds, TableDef table, LocalDate today) {
        return Optional.ofNullable(dayBuilds.lastBuilds(table).get(today))
                .filter(build -> DayBuilds.definition(table).equals(build.definition()));
    }
}
