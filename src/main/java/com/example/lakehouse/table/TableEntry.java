package com.example.lakehouse.table;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import com.example.lakehouse.config.ConfigException;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A table's one entry, {@code sql/<layer>/<table>.sql}: a description in {@code --} lines, a YAML
 * header in a block comment (columns, key, partitioning, data-quality checks, and for a table a stream
 * writes, which stream), then the SELECT that builds the table, as a dbt model with its properties
 * beside it. For example:
 * <pre>
 * -- ads_dau_daily: daily active devices.
 * /*
 * key: [dt]
 * partitioned_by: [dt]
 * columns:
 *   dt: DATE NOT NULL
 *   dau: BIGINT NOT NULL
 * checks:
 *   dau_is_positive: SELECT * FROM ads_dau_daily WHERE dt = DATE'${dt}' AND dau &lt;= 0
 * *&#47;
 * SELECT dt, count(*) AS dau FROM dws_dau_device_day WHERE dt = DATE'${dt}' GROUP BY dt
 * </pre>
 * A check is a SELECT of the rows that break its rule: none is a pass; a failing check stops the run, unless
 * {@code warning_checks} lists it (then the run reports it and goes on). {@code key_time} names a TIMESTAMP
 * column that the key determines (see {@link TableDef#keyTime()}); {@code keep_earliest} makes the table's row
 * of a key its earliest one, by the columns listed (see {@link TableDef#keepEarliest()}); {@code reads_earlier_days}
 * says that a day of the table reads earlier days of its inputs too (see {@link TableDef#earlierDaysRead()});
 * {@code stats_columns} names the columns Delta keeps file statistics of (see {@link TableDef#statsColumns()});
 * {@code rows_of: <table>} makes a daily table's day the rows of that day of another entry's SELECT, so a rule
 * that a stream applies to its micro-batches and a SQL job to a whole day is written once; {@code ctes} names files
 * of {@code sql/cte/}, each a SELECT that several entries share (a column mapping), which the entry's SELECT gets
 * in front of it as a CTE of the file's name, so what stands in for a table there (a micro-batch) does in it too.
 * The tables an entry reads are found in its SELECT, so nothing else lists them. A table a stream writes may have a SELECT too: the
 * stream applies it to each micro-batch, whose rows stand in for the tables the SELECT reads.
 */
public final class TableEntry {
    /** The folder of the entries, in the project and in the jar. */
    public static final String FOLDER = "sql";
    /** The folder, in {@link #FOLDER}, of the SELECTs that entries share as CTEs (their {@code ctes}): not entries. */
    public static final String CTE_FOLDER = "cte";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The header's fields; an unknown one is an error, so a misspelt key cannot pass unnoticed. */
    record Header(
            @JsonProperty(value = "key", required = true) List<String> key,
            @JsonProperty("partitioned_by") List<String> partitionedBy,
            @JsonProperty(value = "columns", required = true) LinkedHashMap<String, String> columns,
            @JsonProperty("written_by") String writtenBy,
            @JsonProperty("pipeline") String pipeline,
            @JsonProperty("mirror_of") String mirrorOf,
            @JsonProperty("key_time") String keyTime,
            @JsonProperty("keep_earliest") List<String> keepEarliest,
            @JsonProperty("reads_earlier_days") String readsEarlierDays,
            @JsonProperty("stats_columns") List<String> statsColumns,
            @JsonProperty("rows_of") String rowsOf,
            @JsonProperty("ctes") List<String> ctes,
            @JsonProperty("checks") LinkedHashMap<String, String> checks,
            @JsonProperty("warning_checks") List<String> warningChecks) {
    }

    /** ${dt} as in `spark-sql --define dt=...`, so a SELECT can also be run by hand. */
    private static final Pattern PARAMETER = Pattern.compile("\\$\\{([A-Za-z_]+)}");

    private TableEntry() {
    }

    /** A SELECT of an entry with ${dt} replaced by the date; any other parameter is an error in the entry. */
    public static String render(String template, LocalDate dt) {
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

    /**
     * {@code select} under the named subqueries {@code ctes} ("name AS (SELECT ...)"), which Spark resolves
     * before any table of the same name; {@code select} as it is without any. It may have a WITH of its own.
     */
    public static String withCtes(List<String> ctes, String select) {
        return ctes.isEmpty() ? select : "WITH " + String.join(", ", ctes) + "\nSELECT * FROM (\n" + select + "\n)";
    }

    /**
     * The table that {@code text}, the entry at {@code path} ({@code sql/<layer>/<name>.sql}), declares; the
     * {@code ctes} it names are texts of {@code shared}, the files of {@code sql/cte/} by name.
     */
    public static TableDef parse(String path, String text, Map<String, String> shared) {
        String[] parts = path.split("/");
        if (parts.length != 3 || !parts[0].equals(FOLDER) || !parts[2].endsWith(".sql")) {
            throw invalid(path, "an entry is sql/<layer>/<table>.sql");
        }
        Layer layer = Layer.fromFolder(parts[1]).orElseThrow(() -> invalid(path, "unknown layer folder '" + parts[1] + "'"));
        String name = parts[2].substring(0, parts[2].length() - ".sql".length());
        if (!name.startsWith(layer.folder() + "_")) {
            throw invalid(path, "a table in " + layer.folder() + "/ is named " + layer.folder() + "_<name>");
        }
        String trimmed = text.lines().dropWhile(line -> line.isBlank() || line.startsWith("--"))
                .collect(Collectors.joining("\n"));
        int end = trimmed.indexOf("*/");
        if (!trimmed.startsWith("/*") || end < 0) {
            throw invalid(path, "after its description (-- lines) the file must hold its header: a /* ... */ comment holding YAML");
        }
        Header header;
        try {
            header = YAML.readValue(trimmed.substring(2, end), Header.class);
        } catch (JsonProcessingException e) {
            throw invalid(path, "header: " + e.getOriginalMessage());
        }
        String body = trimmed.substring(end + 2).strip();
        return toTable(path, name, layer, header, body, shared);
    }

    private static TableDef toTable(String path, String name, Layer layer, Header header, String body,
                                    Map<String, String> shared) {
        boolean builtBySql = header.writtenBy() == null;
        boolean hasSelect = !withoutComments(body).isBlank();
        if (header.rowsOf() != null && (!builtBySql || hasSelect)) {
            throw invalid(path, "rows_of takes the SELECT of another entry: a table with it has no SELECT of its own"
                    + " and no written_by");
        }
        List<String> ctes = header.ctes() == null ? List.of() : header.ctes();
        if (!ctes.isEmpty() && !hasSelect) {
            throw invalid(path, "ctes go in front of the entry's own SELECT, and it has none");
        }
        if (builtBySql && !hasSelect && header.rowsOf() == null) {
            throw invalid(path, "no SELECT after the header, no rows_of and no written_by");
        }
        if (builtBySql && header.pipeline() != null) {
            throw invalid(path, "pipeline is declared by the tables a stream writes; a SQL job's comes from what it reads");
        }
        if (builtBySql && header.mirrorOf() != null) {
            throw invalid(path, "a mirror is written by the CDC ingest: mirror_of needs written_by");
        }
        List<String> partitionedBy = header.partitionedBy() == null ? List.of() : header.partitionedBy();
        String columns = columnsDdl(header.columns());
        if (header.mirrorOf() != null) {
            columns = MirrorTable.tableColumns(columns, !partitionedBy.isEmpty());
        }
        List<String> declared = List.of(StructType.fromDDL(columns).fieldNames());
        requireDeclared(path, "key or partition", Stream.concat(header.key().stream(), partitionedBy.stream()).toList(),
                declared);
        if (header.keyTime() != null && !(declared.contains(header.keyTime())
                && StructType.fromDDL(columns).apply(header.keyTime()).dataType().equals(DataTypes.TimestampType))) {
            throw invalid(path, "key_time '" + header.keyTime() + "' is not a TIMESTAMP column of the table");
        }
        List<String> keepEarliest = header.keepEarliest() == null ? List.of() : List.copyOf(header.keepEarliest());
        requireDeclared(path, "keep_earliest", keepEarliest, declared);
        if (!keepEarliest.isEmpty() && builtBySql) {
            throw invalid(path, "keep_earliest is for a table a stream appends to; a SQL job writes one row per key");
        }
        List<String> statsColumns = header.statsColumns() == null ? List.of() : List.copyOf(header.statsColumns());
        requireDeclared(path, "stats_columns", statsColumns, declared);
        if (header.keyTime() != null && !statsColumns.isEmpty() && !statsColumns.contains(header.keyTime())) {
            throw invalid(path, "stats_columns lacks the key_time '" + header.keyTime()
                    + "', whose statistics a keyed write reads files by");
        }
        int earlierDaysRead = earlierDaysRead(path, header.readsEarlierDays());
        if (earlierDaysRead > 0 && !(builtBySql && partitionedBy.contains("dt"))) {
            throw invalid(path, "reads_earlier_days is for a table a SQL job builds one day (dt) at a time");
        }
        Map<String, String> checks = header.checks() == null ? Map.of() : Collections.unmodifiableMap(header.checks());
        Set<String> warningChecks = header.warningChecks() == null ? Set.of() : Set.copyOf(header.warningChecks());
        warningChecks.stream().filter(check -> !checks.containsKey(check)).findFirst().ifPresent(check -> {
            throw invalid(path, "warning_checks names '" + check + "', which is not among the checks");
        });
        return new TableDef(name, layer, columns, List.copyOf(header.key()), List.copyOf(partitionedBy),
                builtBySql ? TableDef.BUILT_BY_SQL : header.writtenBy(), Optional.ofNullable(header.pipeline()), checks,
                warningChecks,
                hasSelect ? Optional.of(withCtes(sharedCtes(path, ctes, shared), body)) : Optional.empty(),
                Optional.ofNullable(header.rowsOf()),
                Optional.ofNullable(header.mirrorOf()), Optional.ofNullable(header.keyTime()), keepEarliest,
                earlierDaysRead, statsColumns);
    }

    /** reads_earlier_days: absent (0), a number of days, or 'all'. */
    private static int earlierDaysRead(String path, String declared) {
        if (declared == null) {
            return 0;
        }
        if (declared.equals("all")) {
            return TableDef.ALL_EARLIER_DAYS;
        }
        try {
            int days = Integer.parseInt(declared);
            if (days >= 0) {
                return days;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid(path, "reads_earlier_days must be a number of days or 'all', got '" + declared + "'");
    }

    /** The CTEs {@code names} (an entry's ctes), each "name AS (its SELECT)" from {@code shared}, by name. */
    private static List<String> sharedCtes(String path, List<String> names, Map<String, String> shared) {
        List<String> ctes = new ArrayList<>();
        for (String name : names) {
            // one identifier: it names a file of that folder only, and is the CTE's name as it is
            String text = name.matches("\\w+") ? shared.get(name) : null;
            if (text == null) {
                throw invalid(path, "ctes names '" + name + "', which is not a file of " + FOLDER + "/" + CTE_FOLDER);
            }
            ctes.add(name + " AS (\n" + withoutComments(text).strip() + "\n)");
        }
        return ctes;
    }

    private static String columnsDdl(Map<String, String> columns) {
        return columns.entrySet().stream().map(column -> column.getKey() + " " + column.getValue().strip())
                .collect(Collectors.joining(", "));
    }

    private static String withoutComments(String sql) {
        return sql.lines().filter(line -> !line.strip().startsWith("--")).collect(Collectors.joining("\n"));
    }

    /** Fails naming the first of {@code named}, the entry's {@code field}, that is not among the {@code declared} columns. */
    private static void requireDeclared(String path, String field, List<String> named, List<String> declared) {
        named.stream().filter(column -> !declared.contains(column)).findFirst().ifPresent(column -> {
            throw invalid(path, field + " column '" + column + "' is not among the columns");
        });
    }

    private static ConfigException invalid(String path, String problem) {
        return new ConfigException(path + ": " + problem);
    }
}
