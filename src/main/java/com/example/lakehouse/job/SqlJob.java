package com.example.lakehouse.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.table.TableCatalog;
import com.example.lakehouse.table.TableDef;

/**
 * Builds a derived table from its {@code sql/<layer>/<table>.sql}. The file is a single SELECT (as a
 * dbt model is); this runner owns the write. For a daily table it replaces exactly the partition
 * {@code dt = <date>} and nothing else (Delta rejects rows outside it); a dimension (no dt) is a
 * snapshot and is replaced whole. Either way a re-run or a backfill leaves the table as one run would.
 */
public final class SqlJob {
    private static final Logger LOG = LoggerFactory.getLogger(SqlJob.class);
    /** ${dt} as in `spark-sql --define dt=...`, so a file can also be run by hand. */
    private static final Pattern PARAMETER = Pattern.compile("\\$\\{([A-Za-z_]+)}");

    private SqlJob() {
    }

    public static void run(SparkSession spark, LakehouseConfig config, TableDef table, LocalDate dt) {
        long started = System.nanoTime();
        Dataset<Row> result;
        try {
            result = spark.sql(render(loadSql(table), dt));
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
        LOG.info("{}{} written in {} ms", table.name(), table.isDaily() ? " dt=" + dt : "",
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Builds {@code tables} (in the given dependency order) for every date from {@code from} to {@code to}:
     * the snapshot tables once, first, then the daily ones date by date.
     */
    public static void runRange(SparkSession spark, LakehouseConfig config, List<TableDef> tables,
                                LocalDate from, LocalDate to) {
        tables.stream().filter(table -> !table.isDaily()).forEach(table -> run(spark, config, table, to));
        for (LocalDate dt = from; !dt.isAfter(to); dt = dt.plusDays(1)) {
            for (TableDef table : tables) {
                if (table.isDaily()) {
                    run(spark, config, table, dt);
                }
            }
        }
    }

    /** The SQL text with ${dt} replaced by the date; any other parameter is an error in the file. */
    static String render(String template, LocalDate dt) {
        Matcher matcher = PARAMETER.matcher(template);
        StringBuilder sql = new StringBuilder();
        while (matcher.find()) {
            if (!matcher.group(1).equals("dt")) {
                throw new IllegalArgumentException("unknown parameter ${" + matcher.group(1) + "}; only ${dt} is set");
            }
            matcher.appendReplacement(sql, dt.toString());
        }
        return matcher.appendTail(sql).toString();
    }

    static String loadSql(TableDef table) {
        try (InputStream in = SqlJob.class.getClassLoader().getResourceAsStream(table.sqlResource())) {
            if (in == null) {
                throw new IllegalStateException(table.name() + " has no " + table.sqlResource());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + table.sqlResource(), e);
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
