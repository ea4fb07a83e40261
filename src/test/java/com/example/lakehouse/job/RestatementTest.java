package com.example.lakehouse.job;

import static com.example.lakehouse.MaxwellMessages.change;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.example.lakehouse.AppLogs;
import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.job.SqlJob.Restated;
import com.example.lakehouse.table.SessionTables;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

/**
 * A scheduled run builds again every earlier day whose inputs changed since it was built, and only those: late
 * app events and a deleted old order. Afterwards every day of every derived table equals a build from scratch,
 * in a fresh table root, of the same ingested input.
 */
class RestatementTest extends SparkTestBase {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final LocalDate DAY_1 = LocalDate.of(2023, 11, 14);
    private static final LocalDate DAY_3 = DAY_1.plusDays(2);
    private static final LocalDate MARCH_1 = LocalDate.of(2024, 3, 1);
    private static final LocalDate MARCH_2 = MARCH_1.plusDays(1);
    private static final LocalDate MARCH_3 = MARCH_1.plusDays(2);

    private static long at(LocalDate date, int hour) {
        return LocalDateTime.of(date, LocalTime.of(hour, 0)).atZone(SHANGHAI).toInstant().toEpochMilli();
    }

    @Test
    void lateEventsAndAChangedOldOrderRestateExactlyTheirDaysAndWhatReadsThem() {
        List<List<String>> appLogBatches = List.of(
                List.of(AppLogs.start("mid_a", at(DAY_1, 8)), AppLogs.start("mid_b", at(DAY_1.plusDays(1), 9)),
                        AppLogs.start("mid_a", at(DAY_3, 10))),
                // a phone offline for two days: its day-1 start arrives after day 1 was built
                List.of(AppLogs.start("mid_c", at(DAY_1, 23)), AppLogs.start("mid_d", at(DAY_3, 11))));
        List<List<String>> cdcBatches = List.of(OrderJobsTest.smallShop(),
                // order 2 (user 1's first, March 1) is deleted and order 1 on March 1 changed, a day later
                List.of(change("delete", "order_info", 1_710_100_000L, 9_000, null,
                                OrderJobsTest.orderRow(2, 1, "2024-03-01 09:00:00", "5.00", "0.00", "0.00", "0.00")),
                        change("update", "order_info", 1_710_100_000L, 9_001, null,
                                OrderJobsTest.orderRow(1, 1, "2024-03-01 10:00:00", "12.00", "4.99", "0.01", "0.00"))));

        ingest(config, appLogBatches.get(0), cdcBatches.get(0), 0);
        backfill(config);
        assertThat(scheduledRuns(config)).as("a run with no new input restates nothing").isEmpty();

        ingest(config, appLogBatches.get(1), cdcBatches.get(1), 1_000);
        DayBuilds builds = new DayBuilds(spark, config.storage().tableRoot(), tables);
        TableDef startLog = tables.byName("dwd_start_log");
        assertThat(builds.staleDays(startLog, builds.lastBuilds(startLog))).containsExactly(DAY_1, DAY_3);

        LakehouseConfig shortHorizon = config.toBuilder().set("run.restate-horizon-days", "1").build();
        List<Restated> nearOnly = SqlJob.runRange(spark, shortHorizon, tables, tables.builtBySql(Tables.DAU), DAY_3, DAY_3).restated();
        assertThat(nearOnly).as("day 1 is beyond a one-day horizon").isEmpty();

        List<Restated> restated = scheduledRuns(config);
        assertThat(restated).extracting(day -> day.table().name() + " " + day.dt()).contains(
                "dwd_start_log " + DAY_1, "dws_dau_device_day " + DAY_1, "ads_dau_daily " + DAY_1,
                "ads_dau_hourly " + DAY_1, "ads_dau_hourly " + DAY_1.plusDays(1), // it compares with the day before
                "dwd_order_info " + MARCH_1, "dwd_order_info " + MARCH_2, // first orders look at earlier days
                "ads_order_daily " + MARCH_1)
                .doesNotContain("dwd_start_log " + DAY_1.plusDays(1), "dwd_order_detail " + MARCH_1,
                        "dwd_order_detail " + MARCH_2);
        assertThat(restated).filteredOn(day -> day.table().name().equals("ads_dau_daily"))
                .singleElement().extracting(Restated::changes).asList().singleElement().asString()
                .startsWith("dau 1 → 2"); // and new_device_dau: mid_c is new
        assertThat(restated).filteredOn(day -> day.table().name().equals("ads_order_daily") && day.dt().equals(MARCH_1))
                .singleElement().extracting(Restated::changes).asList()
                .singleElement().asString().contains("order_count 2 → 1", "gmv 15.00 → 12.00");
        assertThat(scheduledRuns(config)).as("restated days are current again").isEmpty();

        Map<String, Map<String, List<String>>> restatedRows = derivedRows();
        // from scratch: the same input ingested into a fresh root, whose tables a new session's catalog names
        stop(spark);
        LakehouseConfig fresh = localConfig(workDir.resolve("from-scratch"));
        spark = SparkSessions.create(fresh, "test", tables.all());
        SessionTables.createMissing(spark, fresh.storage().tableRoot(), tables.all());
        ingest(fresh, appLogBatches.get(0), cdcBatches.get(0), 0);
        ingest(fresh, appLogBatches.get(1), cdcBatches.get(1), 1_000);
        backfill(fresh);
        scheduledRuns(fresh);
        Map<String, Map<String, List<String>>> fromScratch = derivedRows();
        for (TableDef table : tables.builtBySql()) {
            assertThat(restatedRows.get(table.name())).as("%s against a build from scratch", table.name())
                    .isEqualTo(fromScratch.get(table.name()));
        }
        assertThat(fromScratch.get("ads_dau_daily")).hasSize(3);
        assertThat(fromScratch.get("ads_order_daily")).hasSize(3);
    }

    private static void ingest(LakehouseConfig target, List<String> appLogs, List<String> changes, long firstOffset) {
        AppLogIngestJob.intoDelta(spark, target, tables).writeBoth(kafkaRecords(firstOffset, appLogs));
        CdcIngestTest.ingest(spark, target, kafkaRecords(firstOffset, changes));
    }

    private static void backfill(LakehouseConfig target) {
        SqlJob.runRange(spark, target, tables, tables.builtBySql(Tables.DAU), DAY_1, DAY_3);
        SqlJob.runRange(spark, target, tables, tables.builtBySql(Tables.ORDERS), MARCH_1, MARCH_2);
    }

    /** What the two DAGs run for their day: each pipeline's tables of that one day. */
    private static List<Restated> scheduledRuns(LakehouseConfig target) {
        List<Restated> restated = new ArrayList<>(
                SqlJob.runRange(spark, target, tables, tables.builtBySql(Tables.DAU), DAY_3, DAY_3).restated());
        restated.addAll(SqlJob.runRange(spark, target, tables, tables.builtBySql(Tables.ORDERS), MARCH_3, MARCH_3).restated());
        return restated;
    }

    /** Every derived table's rows by day, as sorted strings. */
    private static Map<String, Map<String, List<String>>> derivedRows() {
        Map<String, Map<String, List<String>>> rowsByTable = new TreeMap<>();
        for (TableDef table : tables.builtBySql()) {
            Map<String, List<String>> byDay = new TreeMap<>();
            spark.table(table.qualifiedName()).collectAsList().forEach(row -> byDay.computeIfAbsent(
                    table.isDaily() ? row.getAs("dt").toString() : "", day -> new ArrayList<>()).add(row.toString()));
            byDay.values().forEach(day -> day.sort(null));
            rowsByTable.put(table.name(), byDay);
        }
        return rowsByTable;
    }
}
