package com.example.lakehouse.job;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.quality.DataQualityChecks;
import com.example.lakehouse.table.TableCatalog;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.TableEntry;
import com.example.lakehouse.table.Tables;

/**
 * Builds a derived table from the SELECT of its entry {@code sql/<layer>/<table>.sql} (as a dbt model
 * is built); this runner owns the write. For a daily table it replaces exactly the partition
 * {@code dt = <date>} and nothing else (Delta rejects rows outside it); a dimension (no dt) is a
 * snapshot and is replaced whole. Either way a re-run or a backfill leaves the table as one run would.
 * Then the table's data-quality checks run on what was written; a failure stops the run.
 */
public final class SqlJob {
    private static final Logger LOG = LoggerFactory.getLogger(SqlJob.class);
    /** Tables built at the same time: enough to keep two cores busy while others commit to their Delta logs. */
    private static final int PARALLEL_BUILDS = 3;

    private SqlJob() {
    }

    public static void run(SparkSession spark, LakehouseConfig config, TableDef table, LocalDate dt) {
        long started = System.nanoTime();
        Dataset<Row> result;
        try {
            result = spark.sql(TableEntry.render(table.select().orElseThrow(), dt));
        } catch (Exception e) { // Scala's AnalysisException is checked in Java but not declared
            if (e instanceof AnalysisException analysis) {
                throw TableCatalog.explainMissing(analysis, config.tableRoot());
            }
            throw e;
        }
        requireColumns(table, result);
        TableCatalog.createMissing(spark, config.tableRoot(), List.of(table));
        DataFrameWriter<Row> writer = result.write().format("delta").mode("overwrite");
        if (table.isDaily()) {
            writer = writer.option("replaceWhere", "dt = DATE'" + dt + "'");
        }
        writer.save(table.location(config.tableRoot()));
        long written = System.nanoTime();
        DataQualityChecks.run(spark, table, dt);
        LOG.info("{}{} written in {} ms, checked in {} ms", table.name(), table.isDaily() ? " dt=" + dt : "",
                (written - started) / 1_000_000, (System.nanoTime() - written) / 1_000_000);
    }

    /**
     * Builds {@code tables} for every date from {@code from} to {@code to}: the snapshot tables once,
     * first, then the daily ones date by date. Within each step a table starts as soon as the tables it
     * reads that are being built have finished, so independent tables build at the same time in the one
     * session (a Spark session takes jobs from several threads); the first failure stops the run.
     */
    public static void runRange(SparkSession spark, LakehouseConfig config, List<TableDef> tables,
                                LocalDate from, LocalDate to) {
        ExecutorService builders = Executors.newFixedThreadPool(PARALLEL_BUILDS);
        try {
            buildConcurrently(spark, config, tables.stream().filter(table -> !table.isDaily()).toList(), to, builders);
            List<TableDef> daily = tables.stream().filter(TableDef::isDaily).toList();
            for (LocalDate dt = from; !dt.isAfter(to); dt = dt.plusDays(1)) {
                buildConcurrently(spark, config, daily, dt, builders);
            }
        } finally {
            builders.shutdownNow();
        }
    }

    private static void buildConcurrently(SparkSession spark, LakehouseConfig config, List<TableDef> tables, LocalDate dt,
                                          ExecutorService builders) {
        Map<String, CompletableFuture<Void>> builds = new LinkedHashMap<>();
        for (TableDef table : tables) { // in dependency order, so the builds a table waits for exist already
            CompletableFuture<?>[] upstream = Tables.tablesRead(table).stream().map(builds::get)
                    .filter(Objects::nonNull).toArray(CompletableFuture[]::new);
            builds.put(table.name(), CompletableFuture.allOf(upstream)
                    .thenRunAsync(() -> run(spark, config, table, dt), builders));
        }
        try {
            CompletableFuture.allOf(builds.values().toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException failed) {
            builds.values().forEach(build -> build.cancel(false));
            throw failed.getCause() instanceof RuntimeException cause ? cause : failed;
        }
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
