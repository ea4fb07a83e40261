package com.example.lakehouse.cli;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.job.DayBuilds;
import com.example.lakehouse.job.DayBuilds.TableStatus;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** `status --tables`: where each daily derived table stands, as text or as one JSON document. */
final class TableStatusReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TableStatusReport() {
    }

    static void print(LakehouseConfig config, Tables tables, boolean json) throws JsonProcessingException {
        List<TableDef> daily = tables.builtBySql().stream().filter(TableDef::isDaily).toList();
        SparkSession spark = SparkSessions.create(config, "status --tables", tables.all());
        LocalDate today = LocalDate.now(config.timeZone());
        DayBuilds builds = new DayBuilds(spark, config.storage().tableRoot(), tables);
        List<TableStatus> statuses = daily.stream()
                .map(table -> builds.status(table, today.minusDays(config.restateHorizonDays()), today)).toList();
        if (json) {
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                    Map.of("today", today.toString(), "tables", statuses.stream().map(TableStatusReport::asJson).toList())));
            return;
        }
        System.out.printf("%-20s %-12s %-25s %s%n", "table", "last day", "built at", "stale days / days never built");
        for (TableStatus status : statuses) {
            System.out.printf("%-20s %-12s %-25s %s / %s%n", status.table(), Objects.toString(status.lastDayBuilt(), "-"),
                    Objects.toString(status.lastBuiltAt(), "-"), status.staleDays(), status.daysNeverBuilt());
        }
    }

    private static Map<String, Object> asJson(TableStatus status) {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("table", status.table());
        table.put("last_day_built", Objects.toString(status.lastDayBuilt(), null));
        table.put("last_built_at", Objects.toString(status.lastBuiltAt(), null));
        table.put("stale_days", status.staleDays().stream().map(LocalDate::toString).toList());
        table.put("days_never_built", status.daysNeverBuilt().stream().map(LocalDate::toString).toList());
        return table;
    }
}
