package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.AppLogs;
import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.config.ConfigKeys;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.sink.DeltaSink;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

/** The ingest batch and the DAU SQL jobs on a handful of hand-written messages around midnight. */
class DauJobsTest extends SparkTestBase {
    private static final LocalDate DAY = LocalDate.of(2023, 11, 15);
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final String SESSION_TIME_ZONE = "spark.sql.session.timeZone";

    private static long at(LocalDate date, int hour, int minute) {
        return LocalDateTime.of(date, java.time.LocalTime.of(hour, minute)).atZone(SHANGHAI).toInstant().toEpochMilli();
    }

    private static final List<String> MESSAGES = List.of(
            AppLogs.start("mid_a", at(DAY, 0, 30)),
            AppLogs.start("mid_a", at(DAY, 10, 0)),                               // second start: counted once
            AppLogs.page("mid_b", at(DAY, 9, 15), "home", null),                  // session opened by a page
            AppLogs.page("mid_b", at(DAY, 9, 20), "good_list", "home"),
            AppLogs.start("mid_c", at(DAY.minusDays(1), 23, 59)),                 // active the day before only
            AppLogs.page("mid_c", at(DAY, 0, 5), "home", "search"),               // continues yesterday's session
            AppLogs.page("mid_d", at(DAY, 12, 0), "cart", "home"),                // no session start: not active
            "{\"common\":{\"mid\":\"mid_e\"},\"ts\":1700000000000}");             // no event section: quarantined

    @Test
    void countsDevicesByTheirFirstActivityOfEachDayAndReRunsChangeNothing() {
        // mid_a's first start of the day arrives a batch after its second one
        AppLogIngestJob.intoDelta(spark, config, tables).writeBoth(kafkaRecords(1, MESSAGES.subList(1, MESSAGES.size())));
        assertThat(liveFirstActivity("mid_a")).isEqualTo(at(DAY, 10, 0));
        AppLogIngestJob.intoDelta(spark, config, tables).writeBoth(kafkaRecords(0, MESSAGES.subList(0, 1)));
        assertThat(liveFirstActivity("mid_a")).as("the earlier activity is the device's row").isEqualTo(at(DAY, 0, 30));
        AppLogIngestJob.intoDelta(spark, config, tables).writeBoth(kafkaRecords(100, MESSAGES)); // the whole topic delivered again
        runJobs();
        for (LocalDate dt : List.of(DAY.minusDays(1), DAY)) {
            assertThat(deviceDays("dws_dau_device_live", dt)).as("the live table on %s", dt)
                    .isEqualTo(deviceDays("dws_dau_device_day", dt)).isNotEmpty();
        }
        Map<String, List<String>> firstRun = snapshot();

        Dataset<Row> messagesOfTheseDays = spark.table("ods_app_log").where("dt <= DATE'" + DAY + "'"); // other tests write later days
        assertThat(messagesOfTheseDays.count()).isEqualTo(7);
        assertThat(spark.table("ods_rejected").count()).isEqualTo(1);
        assertThat(messagesOfTheseDays.agg(org.apache.spark.sql.functions.max("kafka_offset")).first().getLong(0))
                .as("the first delivery is kept").isLessThan(100);
        assertThat(dailyDau()).containsExactly(Map.entry(DAY.minusDays(1).toString(), 1L), Map.entry(DAY.toString(), 2L));

        Map<String, Row> devices = spark.table("dws_dau_device_day").where("dt = DATE'" + DAY + "'").collectAsList()
                .stream().collect(Collectors.toMap(row -> row.getAs("mid"), row -> row));
        assertThat(devices).containsOnlyKeys("mid_a", "mid_b");
        assertThat(devices.get("mid_a").<String>getAs("first_event_type")).isEqualTo("start");
        assertThat(devices.get("mid_a").<java.sql.Timestamp>getAs("first_event_time").getTime()).isEqualTo(at(DAY, 0, 30));
        assertThat(devices.get("mid_b").<String>getAs("first_event_type")).isEqualTo("page");
        assertThat(devices.get("mid_b").<Boolean>getAs("is_new")).isTrue();

        List<Row> hourly = spark.table("ads_dau_hourly").where("dt = DATE'" + DAY + "'").orderBy("hour").collectAsList();
        assertThat(hourly).hasSize(24);
        assertThat(hourly.get(0).<Long>getAs("devices_first_active")).isEqualTo(1);
        assertThat(hourly.get(9).<Long>getAs("devices_first_active")).isEqualTo(1);
        assertThat(hourly.get(8).<Long>getAs("cumulative_dau")).isEqualTo(1);
        assertThat(hourly.get(23).<Long>getAs("cumulative_dau")).isEqualTo(2);
        assertThat(hourly.get(22).<Long>getAs("yesterday_cumulative_dau")).isEqualTo(0);
        assertThat(hourly.get(23).<Long>getAs("yesterday_devices_first_active")).isEqualTo(1);

        assertThat(spark.table("dwd_page_log").where("dt = DATE'" + DAY + "'").count()).isEqualTo(4);
        assertThat(spark.table("dwd_display_log").where("dt = DATE'" + DAY + "'").count()).isEqualTo(4);
        assertThat(spark.table("dwd_action_log").where("dt = DATE'" + DAY + "'").count()).isEqualTo(4);
        assertThat(spark.table("dwd_start_log").where("dt = DATE'" + DAY + "'").count()).isEqualTo(2);

        AppLogIngestJob.intoDelta(spark, config, tables).writeBoth(kafkaRecords(200, MESSAGES));
        runJobs();
        assertThat(snapshot()).isEqualTo(firstRun);
    }

    @Test
    void aMessageHoldingAStartAndASessionOpeningPageIsAStartInBothDeviceTables() {
        LocalDate day = DAY.plusDays(10);
        String startAndPage = AppLogs.start("mid_f", at(day, 8, 0))
                .replace(",\"ts\":", ",\"page\":{\"during_time\":5000,\"page_id\":\"home\"},\"ts\":");
        AppLogIngestJob.intoDelta(spark, config, tables).writeBoth(kafkaRecords(300, List.of(startAndPage)));
        for (TableDef table : tables.builtBySql(Tables.DAU)) {
            SqlJob.run(spark, config, tables, table, day); // dws_dau_device_day's check compares the type with the live table's
        }
        assertThat(currentRows(spark, "dws_dau_device_day").where("dt = DATE'" + day + "'").collectAsList())
                .extracting(row -> row.<String>getAs("first_event_type")).containsExactly("start");
    }

    @Test
    void aRunOverSmallTablesRunsWithTheIngestsSmallBatchSettingsAndOverLargeOnesWithTheSqlJobs() throws Throwable {
        LocalDate day = DAY.plusDays(20); // a day no other test reads
        AppLogIngestJob.intoDelta(spark, config, tables).writeBoth(kafkaRecords(400, List.of(AppLogs.start("mid_g", at(day, 9, 0)))));
        DeltaSink.finishBackgroundWork(); // the ingest's compactions, which have the SQL jobs' settings, are not the run's
        LakehouseConfig everyRunLarge = config.toBuilder().set(ConfigKeys.RUN_LARGE_INPUT_BYTES, "1").build();
        Map<Boolean, List<String>> modes = new TreeMap<>(); // large run → each SQL job's code generation mode
        for (LakehouseConfig run : List.of(config, everyRunLarge)) {
            List<SparkListenerJobStart> jobs = jobsStartedWhile(() ->
                    SqlJob.runRange(spark, run, tables, tables.builtBySql(Tables.DAU), day, day));
            modes.put(run == everyRunLarge, jobs.stream().map(SparkListenerJobStart::properties)
                    .filter(properties -> properties.containsKey(SESSION_TIME_ZONE)) // a SQL query's, with its session's settings
                    .map(properties -> properties.getProperty(CODEGEN_FACTORY_MODE, "Spark's default")).toList());
            assertThat(spark.conf().get(CODEGEN_FACTORY_MODE)).as("the session's own settings after the run")
                    .isNotEqualTo("NO_CODEGEN");
        }
        assertThat(modes.get(false)).as("tables of a few rows").isNotEmpty().containsOnly("NO_CODEGEN");
        assertThat(modes.get(true)).isNotEmpty().doesNotContain("NO_CODEGEN");
    }

    private static void runJobs() {
        for (LocalDate dt : List.of(DAY.minusDays(1), DAY)) {
            for (TableDef table : tables.builtBySql(Tables.DAU)) {
                SqlJob.run(spark, config, tables, table, dt);
            }
        }
    }

    private static long liveFirstActivity(String mid) {
        return currentRows(spark, "dws_dau_device_live").where("dt = DATE'" + DAY + "' AND mid = '" + mid + "'")
                .first().<java.sql.Timestamp>getAs("first_event_time").getTime();
    }

    /** A device-day table's rows of {@code dt} as sorted strings. */
    private static List<String> deviceDays(String table, LocalDate dt) {
        return currentRows(spark, table).where("dt = DATE'" + dt + "'").collectAsList().stream().map(Row::toString).sorted().toList();
    }

    private static Map<String, Long> dailyDau() {
        Map<String, Long> dau = new TreeMap<>();
        spark.table("ads_dau_daily").where("dt <= DATE'" + DAY + "'").collectAsList().forEach(row -> dau.put(row.getAs("dt").toString(), row.getAs("dau")));
        return dau;
    }

    /** Every table's current rows as sorted strings (bytes in hex), without the ingestion wall-clock columns. */
    private static Map<String, List<String>> snapshot() {
        Map<String, List<String>> rowsByTable = new TreeMap<>();
        for (TableDef table : tables.all()) {
            Dataset<Row> rows = currentRows(spark, table.name()).drop("ingested_at", "rejected_at");
            for (StructField field : rows.schema().fields()) {
                if (field.dataType().equals(DataTypes.BinaryType)) {
                    rows = rows.withColumn(field.name(), functions.hex(functions.col(field.name())));
                }
            }
            rowsByTable.put(table.name(), rows.collectAsList().stream().map(Row::toString).sorted().toList());
        }
        return rowsByTable;
    }
}
