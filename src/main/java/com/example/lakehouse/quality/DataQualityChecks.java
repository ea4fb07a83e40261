package com.example.lakehouse.quality;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

import scala.jdk.javaapi.CollectionConverters;

/**
 * The data-quality checks of a table, run on what a build just wrote: the key is unique (within the
 * day for a daily table), and every check of the table's entry, a SELECT of the rows that break its
 * rule, returns none. The first failing check stops the run with the table, the check and sample rows;
 * a failing warning check (the entry's {@code warning_checks}) is logged and returned instead.
 */
public final class DataQualityChecks {
    /** The check every table gets from its key. */
    public static final String KEY_IS_UNIQUE = "key_is_unique";
    private static final int SAMPLE_ROWS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(DataQualityChecks.class);

    private DataQualityChecks() {
    }

    /**
     * Runs {@code table}'s checks for {@code dt}, as {@code tables} renders them; throws {@link DataQualityException}
     * at the first failure of a check that is not a warning, and returns what the failing warning checks found.
     */
    public static List<String> run(SparkSession spark, Tables tables, TableDef table, LocalDate dt) {
        Map<String, String> checks = checks(table);
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, String> check : checks.entrySet()) {
            Dataset<Row> violations = spark.sql(tables.render(check.getValue(), dt));
            List<Row> sample = violations.limit(SAMPLE_ROWS + 1).collectAsList();
            if (sample.isEmpty()) {
                continue;
            }
            String failure = table.name() + (table.isDaily() ? " dt=" + dt : "") + ": check " + check.getKey()
                    + " failed; rows that break it" + (sample.size() > SAMPLE_ROWS ? " (first " + SAMPLE_ROWS + ")" : "")
                    + ": " + sample.stream().limit(SAMPLE_ROWS).map(row -> describe(violations, row))
                            .collect(Collectors.joining("; "));
            if (!table.warningChecks().contains(check.getKey())) {
                throw new DataQualityException(failure);
            }
            LOG.warn("{}", failure);
            warnings.add("warning: " + failure);
        }
        LOG.debug("{}{}: {} data-quality check(s) run, {} warned", table.name(), table.isDaily() ? " dt=" + dt : "",
                checks.size(), warnings.size());
        return warnings;
    }

    /** The key check, then the entry's own checks, in the order the entry lists them. */
    public static Map<String, String> checks(TableDef table) {
        Map<String, String> checks = new LinkedHashMap<>();
        String key = String.join(", ", table.key());
        checks.put(KEY_IS_UNIQUE, "SELECT " + key + ", count(*) AS rows_with_this_key FROM " + table.name()
                + (table.isDaily() ? " WHERE dt = DATE'${dt}'" : "") + " GROUP BY " + key + " HAVING count(*) > 1");
        checks.putAll(table.checks());
        return checks;
    }

    private static String describe(Dataset<Row> violations, Row row) {
        String[] columns = violations.columns();
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < columns.length; i++) {
            Object value = row.get(i) instanceof scala.collection.Seq<?> list ? CollectionConverters.asJava(list) : row.get(i);
            text.append(i == 0 ? "" : ", ").append(columns[i]).append('=').append(value);
        }
        return text.append('}').toString();
    }
}
