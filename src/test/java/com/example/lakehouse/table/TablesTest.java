package com.example.lakehouse.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.example.lakehouse.config.ConfigException;

/** The table entries under sql/ and what is derived from them: dependencies, build order, pipelines. */
class TablesTest {
    private static final Tables tables = Tables.load();
    /** The files of sql/cte/ that single entries here name, by name. */
    private static final Map<String, String> SHARED = Map.of("app_log_with_device", resource("sql/cte/app_log_with_device.sql"));

    @Test
    void theTablesASelectReadsComeFromItsSql() {
        assertThat(SqlDependencies.tablesRead("""
                WITH recent AS (SELECT * FROM dwd_order_info WHERE dt > DATE'2024-01-01'),
                     lines AS (SELECT l.* FROM dwd_order_detail l JOIN recent r ON r.order_id = l.order_id)
                SELECT * FROM lines
                WHERE sku_id IN (SELECT id FROM dim_sku_info) AND EXISTS (SELECT 1 FROM dau.dim_user_info)
                """)).containsExactly("dim_sku_info", "dim_user_info", "dwd_order_detail", "dwd_order_info");
        assertThat(tables.tablesRead(tables.byName("dwd_order_wide"))).containsExactly("dwd_order_detail", "dwd_order_info");
        assertThat(tables.tablesRead(tables.byName("dws_dau_device_day")))
                .as("the live table's SELECT (its rows_of), and its check the live table")
                .containsExactly("dws_dau_device_live", "ods_app_log");
        assertThat(tables.tablesRead(tables.dwsDauDeviceLive())).as("what the stream applies to each batch").containsExactly("ods_app_log");
        assertThat(tables.tablesRead(tables.odsAppLog())).isEmpty();
    }

    /** A day is restated when the days it reads change, so an entry that reads other days than its own says so. */
    @Test
    void aDailyEntryThatReadsOtherDaysDeclaresIt() {
        Pattern dayCondition = Pattern.compile("\\bdt\\s*(=|<=|<|>=|>)\\s*(date_sub\\()?DATE'\\$\\{dt}'");
        for (TableDef table : tables.builtBySql()) {
            Matcher conditions = dayCondition.matcher(table.select().orElseThrow());
            boolean readsOtherDays = false;
            while (conditions.find()) {
                readsOtherDays |= !conditions.group(1).equals("=") || conditions.group(2) != null;
            }
            assertThat(table.earlierDaysRead() > 0).as(table.name()).isEqualTo(readsOtherDays);
        }
        assertThat(tables.byName("dwd_order_info").earlierDaysRead()).isEqualTo(TableDef.ALL_EARLIER_DAYS);
        assertThat(tables.adsDauHourly().earlierDaysRead()).isEqualTo(1);
        assertThatThrownBy(() -> entry("sql/dwd/dwd_x.sql", """
                /*
                key: [id]
                partitioned_by: [dt]
                reads_earlier_days: some
                columns:
                  id: BIGINT
                  dt: DATE
                */
                SELECT 1 AS id, DATE'${dt}' AS dt
                """)).hasMessageContaining("reads_earlier_days must be a number of days or 'all', got 'some'");
    }

    @Test
    void theFirstActivityRuleIsTheLiveTablesSelectAndAnEntryWithRowsOfHasNoSelectOfItsOwn() {
        TableDef day = tables.byName("dws_dau_device_day");
        assertThat(day.rowsOf()).contains("dws_dau_device_live");
        assertThat(day.select().orElseThrow()).contains(tables.dwsDauDeviceLive().select().orElseThrow())
                .endsWith("WHERE dt = DATE'${dt}'");
        assertThatThrownBy(() -> entry("sql/dws/dws_x.sql", """
                /*
                rows_of: dws_dau_device_live
                key: [dt]
                partitioned_by: [dt]
                columns:
                  dt: DATE
                */
                SELECT DATE'${dt}' AS dt
                """)).hasMessageContaining("sql/dws/dws_x.sql: rows_of takes the SELECT of another entry");
    }

    @Test
    void theAppLogDeviceColumnsAreMappedOnceInACteTheirEntriesName() {
        String columns = "columns:\n  brand: STRING\n";
        TableDef table = entry("sql/dwd/dwd_x.sql", "/*\nctes: [app_log_with_device]\nkey: [brand]\n" + columns
                + "*/\nSELECT DISTINCT brand FROM app_log_with_device WHERE dt = DATE'${dt}'");
        assertThat(tables.render(table.select().orElseThrow(), LocalDate.of(2024, 1, 1)))
                .startsWith("WITH app_log_with_device AS (\nSELECT\n    *,\n").contains("log.common.is_new = '1'  AS is_new")
                .contains("FROM ods_app_log\n)\nSELECT * FROM (\nSELECT DISTINCT brand FROM app_log_with_device"
                        + " WHERE dt = DATE'2024-01-01'\n)");
        assertThat(SqlDependencies.tablesRead(table.select().orElseThrow())).as("what the CTE reads").containsExactly("ods_app_log");
        for (String name : List.of("dwd_start_log", "dwd_page_log", "dwd_error_log", "dws_dau_device_live", "dws_dau_device_day")) {
            assertThat(tables.byName(name).select().orElseThrow()).as(name).contains("log.common.is_new = '1'  AS is_new");
            assertThat(tables.tablesRead(tables.byName(name))).as(name).contains("ods_app_log");
        }
        assertThat(tables.all()).extracting(TableDef::name).as("a shared CTE is no table").doesNotContain("app_log_with_device");
        assertThatThrownBy(() -> entry("sql/dwd/dwd_x.sql", "/*\nctes: [app_log_with_devices]\nkey: [brand]\n"
                + columns + "*/\nSELECT 1 AS brand"))
                .hasMessage("sql/dwd/dwd_x.sql: ctes names 'app_log_with_devices', which is not a file of sql/cte");
    }

    @Test
    void aWarningCheckIsOneOfTheEntrysChecks() {
        assertThat(tables.byName("ads_trademark_gmv").warningChecks()).containsExactly("orders_without_lines");
        assertThatThrownBy(() -> entry("sql/ads/ads_x.sql", """
                /*
                key: [dt]
                partitioned_by: [dt]
                columns:
                  dt: DATE
                checks:
                  one_row: SELECT 1 WHERE false
                warning_checks: [one_rows]
                */
                SELECT DATE'${dt}' AS dt
                """)).hasMessageContaining("warning_checks names 'one_rows', which is not among the checks");
    }

    @Test
    void everyTableComesAfterTheTablesItReads() {
        List<String> built = new ArrayList<>();
        for (TableDef table : tables.all()) {
            assertThat(built).as(table.name()).containsAll(tables.tablesRead(table));
            built.add(table.name());
        }
        assertThat(built).doesNotHaveDuplicates();
    }

    @Test
    void aDerivedTableBelongsToThePipelineOfTheStreamTablesItReads() {
        assertThat(tables.builtBySql(Tables.DAU)).extracting(TableDef::name).containsExactly("dwd_action_log",
                "dwd_display_log", "dwd_error_log", "dwd_page_log", "dwd_start_log", "dws_dau_device_day",
                "ads_dau_daily", "ads_dau_hourly");
        assertThat(tables.builtBySql(Tables.ORDERS)).extracting(TableDef::name).contains("dim_sku_info", "dwd_order_wide",
                "ads_trademark_gmv").doesNotContainAnyElementsOf(tables.builtBySql(Tables.DAU).stream().map(TableDef::name).toList());
        assertThat(tables.mirrors()).hasSize(11).allSatisfy(mirror -> assertThat(tables.pipelineOf(mirror.table())).hasValue(Tables.ORDERS));
        assertThat(tables.pipelineOf(tables.odsRejected())).isEmpty();
    }

    @Test
    void anEntryDeclaresItsTableInOnePlace() {
        TableDef table = entry("sql/ads/ads_dau_weekly.sql", """
                -- ads_dau_weekly: devices active in the seven days up to dt.
                /*
                key: [dt]
                partitioned_by: [dt]
                columns:
                  dt: DATE NOT NULL
                  weekly_active_devices: BIGINT NOT NULL
                checks:
                  some_devices: SELECT * FROM ads_dau_weekly WHERE dt = DATE'${dt}' AND weekly_active_devices = 0
                */
                SELECT DATE'${dt}' AS dt, count(DISTINCT mid) AS weekly_active_devices
                FROM dws_dau_device_day WHERE dt BETWEEN date_sub(DATE'${dt}', 6) AND DATE'${dt}'
                """);
        assertThat(table.name()).isEqualTo("ads_dau_weekly");
        assertThat(table.layer()).isEqualTo(Layer.ADS);
        assertThat(table.schema().fieldNames()).containsExactly("dt", "weekly_active_devices");
        assertThat(table.key()).containsExactly("dt");
        assertThat(table.isDaily()).isTrue();
        assertThat(table.isBuiltBySql()).isTrue();
        assertThat(table.checks()).containsOnlyKeys("some_devices");
        assertThat(SqlDependencies.tablesRead(table.select().orElseThrow())).containsExactly("dws_dau_device_day");
    }

    @Test
    void aMirrorGetsTheVersionColumnsAfterTheSourceColumns() {
        MirrorTable orders = tables.mirrorOf("order_info").orElseThrow();
        assertThat(orders.table().schema().fieldNames()).startsWith("dt", "id", "consignee")
                .endsWith("change_ts", "change_xid", "change_xoffset", "is_deleted", "changed_at");
        assertThat(orders.sourceSchema().fieldNames()).startsWith("id").doesNotContain("dt", "change_ts");
        assertThat(orders.partitionedByCreateDate()).isTrue();
    }

    @Test
    void theLiveTableIsReadAsItsEarliestRowPerDeviceAndDay() {
        assertThat(tables.dwsDauDeviceLive().keepEarliest()).containsExactly("first_event_time", "first_event_log_id");
        assertThat(tables.dwsDauDeviceLive().currentRows("live")).contains(
                "row_number() OVER (PARTITION BY dt, mid ORDER BY first_event_time, first_event_log_id)", "FROM live");
        assertThat(tables.odsAppLog().currentRows("ods_app_log")).isEqualTo("SELECT * FROM ods_app_log");
        assertThat(tables.render(tables.byName("dws_dau_device_day").checks().get("matches_the_live_table"), java.time.LocalDate.EPOCH))
                .as("a check reading the live table reads its current rows")
                .startsWith("WITH dws_dau_device_live AS (" + tables.dwsDauDeviceLive().currentRows("dau.dws_dau_device_live") + ")");
    }

    @Test
    void aMistakeInAnEntryIsNamedWithItsFile() {
        String columns = "columns:\n  dt: DATE NOT NULL\n";
        assertThatThrownBy(() -> entry("sql/ads/ads_x.sql", "/*\nkey: [dt]\n" + columns + "partition_by: [dt]\n*/\nSELECT 1"))
                .hasMessageStartingWith("sql/ads/ads_x.sql: header:").hasMessageContaining("partition_by");
        assertThatThrownBy(() -> entry("sql/ads/ads_x.sql", "/*\nkey: [id]\n" + columns + "*/\nSELECT 1"))
                .hasMessage("sql/ads/ads_x.sql: key or partition column 'id' is not among the columns");
        assertThatThrownBy(() -> entry("sql/ads/ads_x.sql", "/*\nkey: [dt]\nkey_time: dt\n" + columns + "*/\nSELECT 1"))
                .hasMessage("sql/ads/ads_x.sql: key_time 'dt' is not a TIMESTAMP column of the table");
        assertThatThrownBy(() -> entry("sql/ads/ads_x.sql", "/*\nkey: [dt]\nkeep_earliest: [seen_at]\n" + columns
                + "written_by: ingest logs\n*/\n")).hasMessage("sql/ads/ads_x.sql: keep_earliest column 'seen_at' is not among the columns");
        assertThatThrownBy(() -> entry("sql/ads/ads_x.sql", "/*\nkey: [dt]\nkeep_earliest: [dt]\n" + columns + "*/\nSELECT 1"))
                .hasMessageContaining("keep_earliest is for a table a stream appends to");
        assertThatThrownBy(() -> entry("sql/ads/ads_x.sql", "/*\nkey: [dt]\nstats_columns: [dt, seen_at]\n" + columns + "*/\nSELECT 1"))
                .hasMessage("sql/ads/ads_x.sql: stats_columns column 'seen_at' is not among the columns");
        assertThatThrownBy(() -> entry("sql/ads/ads_x.sql", "/*\nkey: [id]\nkey_time: seen_at\nstats_columns: [id]\n"
                + "columns:\n  id: STRING NOT NULL\n  seen_at: TIMESTAMP\n*/\nSELECT 1"))
                .hasMessage("sql/ads/ads_x.sql: stats_columns lacks the key_time 'seen_at', whose statistics a keyed write reads files by");
        assertThatThrownBy(() -> entry("sql/ads/ads_x.sql", "/*\nkey: [dt]\n" + columns + "*/\n-- nothing yet\n"))
                .hasMessageContaining("no SELECT");
        assertThatThrownBy(() -> entry("sql/ads/ads_x.sql", "/*\npipeline: dau\nkey: [dt]\n" + columns + "*/\nSELECT 1"))
                .hasMessageContaining("pipeline is declared by the tables a stream writes");
        assertThatThrownBy(() -> entry("sql/dwd/ads_x.sql", "/*\nkey: [dt]\n" + columns + "*/\nSELECT 1"))
                .hasMessageContaining("a table in dwd/ is named dwd_<name>");
        assertThatThrownBy(() -> entry("sql/ads/ads_x.sql", "SELECT 1"))
                .hasMessageContaining("header");
    }

    @Test
    void aTestBuildsTablesOfItsOwnEntries() {
        Tables own = Tables.of(Map.of(
                "sql/ads/ads_click_daily.sql", """
                        -- ads_click_daily: clicks a day.
                        /*
                        key: [dt]
                        partitioned_by: [dt]
                        columns:
                          dt: DATE NOT NULL
                          clicks: BIGINT NOT NULL
                        */
                        SELECT dt, count(*) AS clicks FROM dwd_click WHERE dt = DATE'${dt}' GROUP BY dt
                        """,
                "sql/dwd/dwd_click.sql", """
                        /*
                        ctes: [valid_clicks]
                        key: [id]
                        partitioned_by: [dt]
                        columns:
                          id: BIGINT NOT NULL
                          dt: DATE NOT NULL
                        */
                        SELECT id, dt FROM valid_clicks WHERE dt = DATE'${dt}'
                        """,
                "sql/cte/valid_clicks.sql", "SELECT * FROM ods_click WHERE id > 0",
                "sql/ods/ods_click.sql", """
                        /*
                        written_by: ingest clicks
                        pipeline: clicks
                        key: [id]
                        partitioned_by: [dt]
                        columns:
                          id: BIGINT NOT NULL
                          dt: DATE NOT NULL
                        */
                        """,
                "sql/source/shop.sql", "CREATE TABLE shop (id BIGINT)"));

        assertThat(own.all()).extracting(TableDef::name).containsExactly("ods_click", "dwd_click", "ads_click_daily");
        assertThat(own.builtBySql("clicks")).extracting(TableDef::name).containsExactly("dwd_click", "ads_click_daily");
        assertThat(own.tablesRead(own.byName("dwd_click"))).as("through the shared CTE").containsExactly("ods_click");
        assertThat(own.upstream(own.byName("ads_click_daily"))).extracting(TableDef::name).containsExactly("dwd_click");
        assertThat(own.pipelineOf(own.byName("ads_click_daily"))).hasValue("clicks");
        assertThat(own.mirrors()).isEmpty();
        assertThatThrownBy(() -> own.odsAppLog()).isInstanceOf(ConfigException.class)
                .hasMessage("unknown table 'ods_app_log'; known: ods_click, dwd_click, ads_click_daily");
    }

    @Test
    void aBadEntryFailsTheLoadWithOneErrorNamingItsFile() {
        Map<String, String> good = Map.of(
                "sql/ods/ods_click.sql", "/*\nwritten_by: ingest clicks\npipeline: clicks\nkey: [dt]\ncolumns:\n  dt: DATE\n*/\n",
                "sql/ads/ads_good.sql", "/*\nkey: [dt]\ncolumns:\n  dt: DATE\n*/\nSELECT DISTINCT dt FROM ods_click");
        Map<String, String> bad = Map.of(
                "a misspelt header key", "/*\nkey: [dt]\npartition_by: [dt]\ncolumns:\n  dt: DATE\n*/\nSELECT 1",
                "a column type Spark cannot read", "/*\nkey: [dt]\ncolumns:\n  dt: DAT\n*/\nSELECT DATE'2024-01-01' AS dt",
                "a SELECT Spark cannot parse", "/*\nkey: [dt]\ncolumns:\n  dt: DATE\n*/\nSELEC dt FROM ads_good",
                "a SELECT of a table without an entry", "/*\nkey: [dt]\ncolumns:\n  dt: DATE\n*/\nSELECT dt FROM ads_gone",
                "a shared CTE that is not there", "/*\nctes: [gone]\nkey: [dt]\ncolumns:\n  dt: DATE\n*/\nSELECT dt FROM gone");
        bad.forEach((mistake, text) -> {
            Map<String, String> entries = new TreeMap<>(good);
            entries.put("sql/ads/ads_bad.sql", text);
            assertThatThrownBy(() -> Tables.of(entries)).as(mistake).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("sql/ads/ads_bad.sql: ").hasMessageNotContaining("\n");
        });
        assertThat(Tables.of(good).all()).extracting(TableDef::name).containsExactly("ods_click", "ads_good");
    }

    @Test
    void twoMirrorsOfOneSourceTableFailTheLoadAndStrayFilesOfTheCteFolderAreSkipped() {
        String regionMirror = resource("sql/ods/ods_base_region.sql");
        Map<String, String> entries = Map.of("sql/ods/ods_base_region.sql", regionMirror,
                "sql/cte/README.txt", "not an entry", "sql/cte/old/kept.sql", "not an entry either");
        assertThat(Tables.of(entries).mirrorOf("base_region")).map(mirror -> mirror.table().name())
                .contains("ods_base_region");
        Map<String, String> twice = new TreeMap<>(entries);
        twice.put("sql/ods/ods_region_copy.sql", regionMirror);
        assertThatThrownBy(() -> Tables.of(twice)).isInstanceOf(ConfigException.class)
                .hasMessage("sql/ods/ods_region_copy.sql: mirror_of base_region, as sql/ods/ods_base_region.sql is already");
    }

    /** An entry parsed on its own, its ctes those of {@link #SHARED}. */
    private static TableDef entry(String path, String text) {
        return TableEntry.parse(path, text, SHARED);
    }

    private static String resource(String path) {
        try (InputStream in = TablesTest.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
