package com.example.lakehouse.job;

import static com.example.lakehouse.MaxwellMessages.change;
import static com.example.lakehouse.MaxwellMessages.row;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.quality.DataQualityChecks;
import com.example.lakehouse.quality.DataQualityException;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

/** The order SQL jobs on hand-written orders: apportionment with its rounding edges, first orders, age groups. */
class OrderJobsTest extends SparkTestBase {
    private static final LocalDate MARCH_1 = LocalDate.of(2024, 3, 1);
    private static final LocalDate MARCH_2 = LocalDate.of(2024, 3, 2);
    private static final long TS = 1_710_000_000L;
    private static long xid = 1;

    @BeforeAll
    static void ingestShopAndRunJobs() {
        CdcIngestTest.ingest(spark, config, kafkaRecords(0, smallShop()));
        SqlJob.runRange(spark, config, tables, tables.builtBySql(Tables.ORDERS), MARCH_1, MARCH_2);
    }

    /** Six orders of three users on March 1 and 2, 2024, as Maxwell messages; one order is deleted. */
    static List<String> smallShop() {
        List<String> messages = new ArrayList<>();
        messages.add(insert("base_region", row("id", 1, "region_name", "East China")));
        messages.add(insert("base_province", row("id", 3, "name", "Shanghai", "region_id", 1, "area_code", "310000",
                "iso_code", "CN-31", "iso_3166_2", "CN-SH")));
        messages.add(insert("user_info", user(1, "1990-01-01")));
        messages.add(insert("user_info", user(2, "2004-03-02")));  // turns 20 on March 2
        messages.add(insert("user_info", user(3, "1970-06-30")));
        // user 1: two orders on one day, ingested in one batch; the earlier one is the first order
        messages.addAll(order(1, 1, "2024-03-01 10:00:00", "10.00", "4.99", "0.01", "0.00",
                line(101, "5.00", 1), line(102, "5.00", 1), line(103, "5.00", 1)));
        messages.addAll(order(2, 1, "2024-03-01 09:00:00", "5.00", "0.00", "0.00", "0.00", line(201, "5.00", 1)));
        // user 2: a free gift line beside a paid one, freight and an activity discount
        messages.addAll(order(3, 2, "2024-03-02 08:00:00", "26.00", "2.00", "0.00", "8.00",
                line(301, "0.00", 1), line(302, "10.00", 2)));
        // user 2 again, at the same second: the lower id counts as earlier; only free lines, freight only
        messages.addAll(order(4, 2, "2024-03-02 08:00:00", "8.00", "0.00", "0.00", "8.00",
                line(401, "0.00", 1), line(402, "0.00", 3)));
        // user 3: a deleted order on March 1 does not count, so the March 2 order is the first
        messages.addAll(order(5, 3, "2024-03-01 12:00:00", "50.00", "0.00", "0.00", "0.00", line(501, "50.00", 1)));
        messages.add(change("delete", "order_info", TS + 60, xid++, null, orderRow(5, 3, "2024-03-01 12:00:00",
                "50.00", "0.00", "0.00", "0.00")));
        messages.addAll(order(6, 3, "2024-03-02 12:00:00", "99.99", "0.00", "0.00", "0.00",
                line(601, "33.33", 1), line(602, "33.33", 1), line(603, "33.33", 1)));
        return messages;
    }

    @Test
    void splitsAddUpToTheOrderTotalsWithTheRemainderOnTheLargestLine() {
        Map<Long, List<String>> splits = new TreeMap<>();
        for (Row line : smallShopDays("dwd_order_wide").collectAsList()) {
            splits.put(line.getAs("order_detail_id"), List.of(line.<BigDecimal>getAs("split_total_amount").toPlainString(),
                    line.<BigDecimal>getAs("split_activity_amount").toPlainString(),
                    line.<BigDecimal>getAs("split_coupon_amount").toPlainString()));
        }
        assertThat(splits).containsExactlyEntriesOf(new TreeMap<>(Map.ofEntries(
                // three equal lines: each share rounded down, the cents left go to the lowest id
                Map.entry(101L, List.of("3.34", "1.67", "0.01")),
                Map.entry(102L, List.of("3.33", "1.66", "0.00")),
                Map.entry(103L, List.of("3.33", "1.66", "0.00")),
                Map.entry(201L, List.of("5.00", "0.00", "0.00")),
                // the free line gets nothing, the paid line everything, freight included
                Map.entry(301L, List.of("0.00", "0.00", "0.00")),
                Map.entry(302L, List.of("26.00", "2.00", "0.00")),
                // only free lines: no line value to split by, so the first line carries the order
                Map.entry(401L, List.of("8.00", "0.00", "0.00")),
                Map.entry(402L, List.of("0.00", "0.00", "0.00")),
                // already exact: no remainder to move
                Map.entry(601L, List.of("33.33", "0.00", "0.00")),
                Map.entry(602L, List.of("33.33", "0.00", "0.00")),
                Map.entry(603L, List.of("33.33", "0.00", "0.00")))));
    }

    @Test
    void onlyTheEarliestOrderOfAUserIsItsFirstOrder() {
        Map<Long, Boolean> firstOrder = new TreeMap<>();
        smallShopDays("dwd_order_info").collectAsList().forEach(order -> firstOrder.put(order.getAs("order_id"), order.getAs("if_first_order")));
        assertThat(firstOrder).containsExactlyEntriesOf(new TreeMap<>(Map.of(1L, false, 2L, true, 3L, true, 4L, false, 6L, true)));
        assertThat(smallShopDays("ads_order_daily").orderBy("dt").collectAsList())
                .extracting(day -> day.<Long>getAs("order_count") + " orders, " + day.<Long>getAs("first_order_user_count")
                        + " first, gmv " + day.<BigDecimal>getAs("gmv"))
                .containsExactly("2 orders, 1 first, gmv 15.00", "3 orders, 2 first, gmv 133.99");
    }

    @Test
    void ageGroupIsTheAgeOnTheOrderDateAndProvinceCarriesItsRegion() {
        Row order = spark.table("dwd_order_info").where("order_id = 3").first();
        assertThat(order.<Integer>getAs("user_age")).isEqualTo(20);
        assertThat(order.<String>getAs("user_age_group")).isEqualTo("20-29");
        assertThat(order.<String>getAs("region_name")).isEqualTo("East China");
        assertThat(order.<String>getAs("province_iso_3166_2")).isEqualTo("CN-SH");
    }

    @Test
    void aSplitThatNoLongerAddsUpFailsItsCheckNamingTheOrder() {
        TableDef wide = tables.byName("dwd_order_wide");
        spark.sql("UPDATE dwd_order_wide SET split_total_amount = split_total_amount + 0.01 WHERE order_detail_id = 101");
        try {
            assertThatThrownBy(() -> DataQualityChecks.run(spark, tables, wide, MARCH_1))
                    .isInstanceOf(DataQualityException.class)
                    .hasMessageStartingWith("dwd_order_wide dt=2024-03-01: check split_amounts_add_up_to_the_order failed")
                    .hasMessageContaining("order_id=1,").hasMessageNotContaining("order_id=2,");
        } finally {
            SqlJob.run(spark, config, tables, wide, MARCH_1);
        }
        DataQualityChecks.run(spark, tables, wide, MARCH_1);
    }

    @Test
    void anOrderWithoutLinesIsAWarningThatNamesItAndTheRunGoesOn() {
        LocalDate april1 = LocalDate.of(2024, 4, 1);
        CdcIngestTest.ingest(spark, config, kafkaRecords(1_000, List.of(
                change("insert", "order_info", TS, xid++, null, orderRow(900, 3, "2024-04-01 10:00:00", "7.00", "0.00", "0.00", "0.00")),
                change("insert", "order_info", TS, xid++, null, orderRow(901, 3, "2024-04-01 11:00:00", "3.00", "0.00", "0.00", "0.00")))));
        List<String> warnings = SqlJob.runRange(spark, config, tables, tables.builtBySql(Tables.ORDERS), april1, april1).warnings();
        assertThat(warnings).singleElement().asString()
                .startsWith("warning: ads_trademark_gmv dt=2024-04-01: check orders_without_lines failed")
                .contains("{order_id=900, total_amount=7.00}; {order_id=901, total_amount=3.00}");
        assertThat(spark.table("ads_order_daily").where("dt = DATE'2024-04-01'").first().<BigDecimal>getAs("gmv"))
                .as("the run built the day").isEqualByComparingTo("10.00");
        assertThat(TableBuilds.read(config, tables.byName("ads_trademark_gmv")).orElseThrow().warnings())
                .as("kept beside the tables, for /health and status").containsEntry("2024-04-01", warnings);
    }

    @Test
    void todaysBuildsFollowTheMirrorsBuildOnlyWhatChangedEvenAfterARestartAndEqualTheNightlyRun() {
        LocalDate may1 = LocalDate.of(2024, 5, 1);
        List<String> orderTables = List.of("dwd_order_detail", "dwd_order_info", "dwd_order_wide", "ads_order_daily",
                "ads_province_gmv", "ads_trademark_gmv");
        TodayBuilds today = new TodayBuilds(spark, config, tables, Tables.ORDERS);
        CdcIngestTest.ingest(spark, config, kafkaRecords(2_000,
                order(700, 1, "2024-05-01 09:00:00", "20.00", "0.00", "0.00", "0.00", line(701, "20.00", 1))));
        assertThat(today.buildChanged(may1)).extracting(TableDef::name).as("the first tick builds them all")
                .hasSameElementsAs(orderTables);
        assertThat(dayGmv("ads_order_daily", may1)).isEqualByComparingTo("20.00");
        assertThat(today.buildChanged(may1)).as("nothing changed").isEmpty();
        assertThat(new TodayBuilds(spark, config, tables, Tables.ORDERS).buildChanged(may1))
                .as("an ingest started again: the tables' own records say today is current").isEmpty();

        CdcIngestTest.ingest(spark, config, kafkaRecords(2_100,
                order(710, 2, "2024-05-02 09:00:00", "7.00", "0.00", "0.00", "0.00", line(711, "7.00", 1))));
        assertThat(today.buildChanged(may1)).as("an order of the next day is not what May 1 reads").isEmpty();

        CdcIngestTest.ingest(spark, config, kafkaRecords(2_200,
                order(720, 3, "2024-05-01 15:00:00", "30.00", "0.00", "0.00", "0.00", line(721, "10.00", 3))));
        assertThat(today.buildChanged(may1)).extracting(TableDef::name).hasSameElementsAs(orderTables);
        assertThat(dayGmv("ads_order_daily", may1)).isEqualByComparingTo("50.00");
        assertThat(dayGmv("ads_trademark_gmv", may1)).isEqualByComparingTo("50.00");
        Map<String, List<String>> builtToday = snapshot(may1);
        SqlJob.runRange(spark, config, tables, tables.builtBySql(Tables.ORDERS), may1, may1);
        assertThat(snapshot(may1)).as("what the nightly run builds of the day").isEqualTo(builtToday);

        CdcIngestTest.ingest(spark, config, kafkaRecords(2_300,
                order(730, 4, "2024-05-01 18:00:00", "5.00", "0.00", "0.00", "0.00", line(731, "5.00", 1))));
        assertThat(new TodayBuilds(spark, config, tables, Tables.ORDERS).buildChanged(may1)).extracting(TableDef::name)
                .as("an ingest started again after an order of the day: what reads it").hasSameElementsAs(orderTables);
        assertThat(dayGmv("ads_order_daily", may1)).isEqualByComparingTo("55.00");
    }

    @Test
    void aStartedIngestBuildsTodayFromTheClocksNextTickNotAtItsStart() {
        LocalDate may20 = LocalDate.of(2024, 5, 20);
        TodayBuilds today = new TodayBuilds(spark, config, tables, Tables.ORDERS);
        CdcIngestTest.ingest(spark, config, kafkaRecords(5_000,
                order(1200, 1, "2024-05-20 09:00:00", "15.00", "0.00", "0.00", "0.00", line(1201, "15.00", 1))));
        assertThat(today.tick(may20)).as("the tick at the query's start builds nothing").isEmpty();
        assertThat(spark.table("ads_order_daily").where("dt = DATE'2024-05-20'").isEmpty()).isTrue();
        assertThat(today.tick(may20)).extracting(TableDef::name).hasSize(6);
        assertThat(dayGmv("ads_order_daily", may20)).isEqualByComparingTo("15.00");
    }

    @Test
    void aTodaysBuildThatFailsHoldsBackTheTablesReadingItAndStopsNothing() throws IOException {
        LocalDate june1 = LocalDate.of(2024, 6, 1);
        TodayBuilds today = new TodayBuilds(spark, config, tables, Tables.ORDERS);
        CdcIngestTest.ingest(spark, config, kafkaRecords(3_000,
                order(800, 1, "2024-06-01 09:00:00", "12.00", "0.00", "0.00", "0.00", line(801, "12.00", 1))));
        Path provinces = Path.of(URI.create(tables.byName("dim_base_province").location(config.storage().tableRoot())));
        Path aside = provinces.resolveSibling("dim_base_province.aside");
        Files.move(provinces, aside);
        try {
            assertThat(today.buildChanged(june1)).extracting(TableDef::name)
                    .as("dwd_order_info cannot read the provinces; what reads it waits")
                    .containsExactly("dwd_order_detail");
        } finally {
            Files.move(aside, provinces);
        }
        CdcIngestTest.ingest(spark, config, kafkaRecords(3_100,
                order(810, 2, "2024-06-01 10:00:00", "8.00", "0.00", "0.00", "0.00", line(811, "8.00", 1))));
        assertThat(today.buildChanged(june1)).extracting(TableDef::name).hasSize(6);
        assertThat(dayGmv("ads_trademark_gmv", june1)).isEqualByComparingTo("20.00");
    }

    @Test
    void theLiveHoursOfOrdersFollowEveryChangeAndTheNightlyCheckTiesThemToTheDay() {
        LocalDate april10 = LocalDate.of(2024, 4, 10); // not after the days of the other tests: see TableBuilds.after
        List<String> placed = new ArrayList<>();
        placed.addAll(order(1100, 1, "2024-04-10 09:15:00", "10.00", "0.00", "0.00", "0.00", line(1101, "10.00", 1)));
        placed.addAll(order(1110, 2, "2024-04-10 09:45:00", "20.00", "0.00", "0.00", "0.00", line(1111, "20.00", 1)));
        placed.addAll(order(1120, 3, "2024-04-10 14:00:00", "5.00", "0.00", "0.00", "0.00", line(1121, "5.00", 1)));
        CdcIngestTest.ingest(spark, config, kafkaRecords(4_000, placed));
        CdcIngestTest.ingest(spark, config, kafkaRecords(4_100, List.of(
                // 5.00 of freight added to order 1110; order 1120 deleted
                change("update", "order_info", TS + 60, xid++, null,
                        orderRow(1110, 2, "2024-04-10 09:45:00", "25.00", "0.00", "0.00", "5.00")),
                change("delete", "order_info", TS + 61, xid++, null,
                        orderRow(1120, 3, "2024-04-10 14:00:00", "5.00", "0.00", "0.00", "0.00")))));
        CdcIngestTest.ingest(spark, config, kafkaRecords(4_200, placed)); // the first batch again: older changes
        List<String> expected = List.of("2024-04-10 9 2 35.00"); // by hand: 10.00 + 25.00 at 9h, the 14h order deleted
        assertThat(liveHours(april10)).isEqualTo(expected);

        SqlJob.runRange(spark, config, tables, tables.builtBySql(Tables.ORDERS), april10, april10);
        assertThat(dayGmv("ads_order_daily", april10)).as("the nightly run, checked against the live hours")
                .isEqualByComparingTo("35.00");
        spark.sql("UPDATE dws_order_hour_live SET gmv = gmv + 1 WHERE dt = DATE'" + april10 + "'");
        try {
            assertThatThrownBy(() -> DataQualityChecks.run(spark, tables, tables.adsOrderDaily(), april10))
                    .isInstanceOf(DataQualityException.class)
                    .hasMessageStartingWith("ads_order_daily dt=2024-04-10: check matches_the_live_table failed")
                    .hasMessageContaining("nightly_gmv=35.00").hasMessageContaining("live_gmv=36.00");
        } finally {
            spark.sql("UPDATE dws_order_hour_live SET gmv = gmv - 1 WHERE dt = DATE'" + april10 + "'");
        }
    }

    /** A day's rows of dws_order_hour_live, as "dt hour orders gmv", by hour. */
    static List<String> liveHours(LocalDate dt) {
        return spark.table("dws_order_hour_live").where("dt = DATE'" + dt + "'").orderBy("order_hour").collectAsList()
                .stream().map(row -> row.getAs("dt") + " " + row.getAs("order_hour") + " " + row.getAs("order_count")
                        + " " + row.getAs("gmv")).toList();
    }

    /** The rows of the small shop's days: other tests add days of their own. */
    private static Dataset<Row> smallShopDays(String table) {
        return spark.table(table).where("dt BETWEEN DATE'" + MARCH_1 + "' AND DATE'" + MARCH_2 + "'");
    }

    private static BigDecimal dayGmv(String table, LocalDate dt) {
        return spark.table(table).where("dt = DATE'" + dt + "'").agg(sum("gmv"))
                .first().getDecimal(0);
    }

    @Test
    void reRunningTheJobsChangesNothing() {
        Map<String, List<String>> before = snapshot();
        SqlJob.runRange(spark, config, tables, tables.builtBySql(Tables.ORDERS), MARCH_1, MARCH_2);
        assertThat(snapshot()).isEqualTo(before);
    }

    private static Map<String, List<String>> snapshot() {
        return snapshot(null);
    }

    /** Every order table's rows, sorted; of day {@code dt} only, if not null. */
    private static Map<String, List<String>> snapshot(LocalDate dt) {
        Map<String, List<String>> rowsByTable = new TreeMap<>();
        for (TableDef table : tables.builtBySql(Tables.ORDERS)) {
            Dataset<Row> rows = dt == null || !table.isDaily() ? spark.table(table.name())
                    : spark.table(table.name()).where("dt = DATE'" + dt + "'");
            rowsByTable.put(table.name(), rows.collectAsList().stream().map(Row::toString).sorted().toList());
        }
        return rowsByTable;
    }

    private static String insert(String table, Map<String, Object> data) {
        return change("insert", table, TS, xid++, null, data);
    }

    private static Map<String, Object> user(long id, String birthday) {
        return row("id", id, "login_name", "user" + id, "birthday", birthday, "gender", id % 2 == 0 ? "F" : "M",
                "create_time", "2024-01-01 00:00:00");
    }

    private static Map<String, Object> line(long id, String price, long quantity) {
        return row("id", id, "sku_id", 1, "sku_name", "sku", "order_price", new BigDecimal(price), "sku_num", quantity);
    }

    static Map<String, Object> orderRow(long id, long userId, String created, String total, String activity,
                                                String coupon, String freight) {
        return row("id", id, "user_id", userId, "province_id", 3, "order_status", "1001",
                "original_total_amount", new BigDecimal(total).add(new BigDecimal(activity)).add(new BigDecimal(coupon))
                        .subtract(new BigDecimal(freight)),
                "activity_reduce_amount", new BigDecimal(activity), "coupon_reduce_amount", new BigDecimal(coupon),
                "feight_fee", new BigDecimal(freight), "total_amount", new BigDecimal(total), "create_time", created);
    }

    /** An order and its lines, inserted in one transaction. */
    @SafeVarargs
    private static List<String> order(long id, long userId, String created, String total, String activity, String coupon,
                                      String freight, Map<String, Object>... lines) {
        long transaction = xid++;
        List<String> messages = new ArrayList<>();
        messages.add(change("insert", "order_info", TS, transaction, 0L,
                orderRow(id, userId, created, total, activity, coupon, freight)));
        for (int i = 0; i < lines.length; i++) {
            Map<String, Object> line = new LinkedHashMap<>(lines[i]);
            line.put("order_id", id);
            line.put("create_time", created);
            messages.add(change("insert", "order_detail", TS, transaction, i == lines.length - 1 ? null : i + 1L, line));
        }
        return messages;
    }
}
