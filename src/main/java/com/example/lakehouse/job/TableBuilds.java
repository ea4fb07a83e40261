package com.example.lakehouse.job;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.table.TableDef;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a derived table's builds went, kept beside the tables ({@code <table-root>/_builds/<table>.json}) for whoever
 * watches the pipeline (the API's {@code /health} and {@code /metrics}, {@code lakehouse status --json}): the newest
 * day built and when the table was last built, and the days whose latest build failed a data-quality check with what
 * failed, an error (which stopped that run) or warnings. A day built again without a failure leaves those lists: an
 * error stays until its day is built again ({@code lakehouse run <table> --date <day>}, once the cause is fixed).
 *
 * @param lastDayBuilt the newest day a run built, null for a snapshot table (a dimension)
 * @param builtAtMillis when a run last built a day of the table, or the whole snapshot table, in epoch milliseconds
 * @param errors       day (or {@value #SNAPSHOT} for a snapshot table) → the failed check that stopped its build's run
 * @param warnings     day (or {@value #SNAPSHOT}) → the warning checks its latest build failed
 */
public record TableBuilds(@JsonProperty("table") String table,
                          @JsonProperty("last_day_built") String lastDayBuilt,
                          @JsonProperty("built_at_ms") long builtAtMillis,
                          @JsonProperty("errors") Map<String, String> errors,
                          @JsonProperty("warnings") Map<String, List<String>> warnings) {
    static final String SNAPSHOT = "snapshot";

    /**
     * What {@code before} becomes after day {@code dt} of {@code table} (any day for a snapshot table) was built and
     * checked. Failures of days more than {@code keptDays} before the newest day built are dropped: no run restates
     * those, and a warning that recurs every night would otherwise pile up.
     */
    static TableBuilds after(Optional<TableBuilds> before, TableDef table, LocalDate dt, Optional<String> error,
                             List<String> warnings, Instant now, int keptDays) {
        String day = table.isDaily() ? dt.toString() : SNAPSHOT;
        String lastDay = table.isDaily() ? dt.toString() : null;
        if (table.isDaily() && before.isPresent() && before.get().lastDayBuilt() != null
                && before.get().lastDayBuilt().compareTo(lastDay) > 0) {
            lastDay = before.get().lastDayBuilt();
        }
        Map<String, String> errors = new TreeMap<>(before.map(TableBuilds::errors).orElse(Map.of()));
        Map<String, List<String>> warned = new TreeMap<>(before.map(TableBuilds::warnings).orElse(Map.of()));
        errors.remove(day);
        warned.remove(day);
        error.ifPresent(failure -> errors.put(day, failure));
        if (!warnings.isEmpty()) {
            warned.put(day, List.copyOf(warnings));
        }
        if (lastDay != null) {
            String oldestKept = LocalDate.parse(lastDay).minusDays(keptDays).toString();
            errors.keySet().removeIf(failed -> failed.compareTo(oldestKept) < 0);
            warned.keySet().removeIf(failed -> failed.compareTo(oldestKept) < 0);
        }
        return new TableBuilds(table.name(), lastDay, now.toEpochMilli(), errors, warned);
    }

    /** What the table's builds so far came to, if a run has built it under this table root. */
    public static Optional<TableBuilds> read(LakehouseConfig config, TableDef table) {
        return ReportFiles.read(config, config.storage().tableRoot(), file(table), TableBuilds.class);
    }

    /** Keeps what the build of day {@code dt} of {@code table} came to. */
    public static void record(LakehouseConfig config, TableDef table, LocalDate dt, Optional<String> error, List<String> warnings) {
        ReportFiles.write(config, config.storage().tableRoot(), file(table),
                after(read(config, table), table, dt, error, warnings, Instant.now(), config.restateHorizonDays()));
    }

    private static String file(TableDef table) {
        return "_builds/" + table.name() + ".json";
    }
}
