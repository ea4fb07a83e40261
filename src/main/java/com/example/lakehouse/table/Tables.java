package com.example.lakehouse.table;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.spark.sql.types.DataType;

import com.example.lakehouse.config.ConfigException;

/** The one definition of every table's schema, key and partitioning. */
public final class Tables {
    /** Spark database and Trino schema the tables are registered in. */
    public static final String DATABASE = "dau";

    /** The gmall app-log message as typed columns; the raw JSON is kept beside it. */
    public static final String APP_LOG_TYPE = "STRUCT<"
            + "common: STRUCT<ar: STRING, ba: STRING, ch: STRING, is_new: STRING, md: STRING, mid: STRING,"
            + " os: STRING, uid: STRING, vc: STRING>,"
            + " start: STRUCT<entry: STRING, loading_time: BIGINT, open_ad_id: BIGINT, open_ad_ms: BIGINT,"
            + " open_ad_skip_ms: BIGINT>,"
            + " page: STRUCT<during_time: BIGINT, item: STRING, item_type: STRING, last_page_id: STRING,"
            + " page_id: STRING, source_type: STRING>,"
            + " displays: ARRAY<STRUCT<display_type: STRING, item: STRING, item_type: STRING, `order`: INT,"
            + " pos_id: INT>>,"
            + " actions: ARRAY<STRUCT<action_id: STRING, item: STRING, item_type: STRING, ts: BIGINT>>,"
            + " err: STRUCT<error_code: INT, msg: STRING>,"
            + " ts: BIGINT>";

    private static final String KAFKA_POSITION =
            "kafka_topic STRING, kafka_partition INT, kafka_offset BIGINT, kafka_timestamp TIMESTAMP";
    private static final String DEVICE = "mid STRING NOT NULL, uid STRING, area_code STRING, brand STRING,"
            + " channel STRING, is_new BOOLEAN, model STRING, operating_system STRING, app_version STRING";

    public static final TableDef ODS_APP_LOG = new TableDef("ods_app_log", Layer.ODS,
            "log_id STRING NOT NULL, dt DATE NOT NULL, event_time TIMESTAMP NOT NULL, mid STRING NOT NULL,"
                    + " uid STRING, log " + APP_LOG_TYPE + ", raw STRING NOT NULL, " + KAFKA_POSITION
                    + ", ingested_at TIMESTAMP",
            List.of("log_id"), List.of("dt"));

    public static final TableDef ODS_REJECTED = new TableDef("ods_rejected", Layer.ODS,
            "source STRING NOT NULL, message_id STRING NOT NULL, reason STRING NOT NULL, raw STRING, "
                    + KAFKA_POSITION + ", rejected_at TIMESTAMP",
            List.of("source", "message_id"), List.of("source"));

    public static final TableDef DWD_START_LOG = new TableDef("dwd_start_log", Layer.DWD,
            "dt DATE NOT NULL, log_id STRING NOT NULL, " + DEVICE + ", entry STRING, loading_time_ms BIGINT,"
                    + " open_ad_id BIGINT, open_ad_ms BIGINT, open_ad_skip_ms BIGINT, event_time TIMESTAMP NOT NULL",
            List.of("log_id"), List.of("dt"));

    public static final TableDef DWD_PAGE_LOG = new TableDef("dwd_page_log", Layer.DWD,
            "dt DATE NOT NULL, log_id STRING NOT NULL, " + DEVICE + ", page_id STRING, last_page_id STRING,"
                    + " page_item STRING, page_item_type STRING, source_type STRING, during_time_ms BIGINT,"
                    + " event_time TIMESTAMP NOT NULL",
            List.of("log_id"), List.of("dt"));

    public static final TableDef DWD_DISPLAY_LOG = new TableDef("dwd_display_log", Layer.DWD,
            "dt DATE NOT NULL, log_id STRING NOT NULL, display_index INT NOT NULL, mid STRING NOT NULL, uid STRING,"
                    + " channel STRING, app_version STRING, page_id STRING, display_type STRING, item STRING,"
                    + " item_type STRING, display_order INT, pos_id INT, event_time TIMESTAMP NOT NULL",
            List.of("log_id", "display_index"), List.of("dt"));

    public static final TableDef DWD_ACTION_LOG = new TableDef("dwd_action_log", Layer.DWD,
            "dt DATE NOT NULL, log_id STRING NOT NULL, action_index INT NOT NULL, mid STRING NOT NULL, uid STRING,"
                    + " channel STRING, app_version STRING, page_id STRING, action_id STRING, item STRING,"
                    + " item_type STRING, action_time TIMESTAMP, event_time TIMESTAMP NOT NULL",
            List.of("log_id", "action_index"), List.of("dt"));

    public static final TableDef DWD_ERROR_LOG = new TableDef("dwd_error_log", Layer.DWD,
            "dt DATE NOT NULL, log_id STRING NOT NULL, " + DEVICE + ", page_id STRING, error_code INT,"
                    + " error_msg STRING, event_time TIMESTAMP NOT NULL",
            List.of("log_id"), List.of("dt"));

    public static final TableDef DWS_DAU_DEVICE_DAY = new TableDef("dws_dau_device_day", Layer.DWS,
            "dt DATE NOT NULL, " + DEVICE + ", first_event_type STRING NOT NULL,"
                    + " first_event_time TIMESTAMP NOT NULL, first_event_log_id STRING NOT NULL",
            List.of("dt", "mid"), List.of("dt"));

    public static final TableDef ADS_DAU_DAILY = new TableDef("ads_dau_daily", Layer.ADS,
            "dt DATE NOT NULL, dau BIGINT NOT NULL, new_device_dau BIGINT NOT NULL,"
                    + " returning_device_dau BIGINT NOT NULL",
            List.of("dt"), List.of("dt"));

    /** One row per hour 0..23; devices_first_active counts the devices whose first activity of the day fell in the hour. */
    public static final TableDef ADS_DAU_HOURLY = new TableDef("ads_dau_hourly", Layer.ADS,
            "dt DATE NOT NULL, hour INT NOT NULL, devices_first_active BIGINT NOT NULL, cumulative_dau BIGINT NOT NULL,"
                    + " yesterday_devices_first_active BIGINT NOT NULL, yesterday_cumulative_dau BIGINT NOT NULL",
            List.of("dt", "hour"), List.of("dt"));

    /** Every table, derived ones after the tables they read, so running them in this order is safe. */
    public static final List<TableDef> ALL = List.of(ODS_APP_LOG, ODS_REJECTED,
            DWD_START_LOG, DWD_PAGE_LOG, DWD_DISPLAY_LOG, DWD_ACTION_LOG, DWD_ERROR_LOG,
            DWS_DAU_DEVICE_DAY, ADS_DAU_DAILY, ADS_DAU_HOURLY);

    private Tables() {
    }

    /** The tables a SQL job builds, in dependency order. */
    public static List<TableDef> builtBySql() {
        return ALL.stream().filter(TableDef::isBuiltBySql).toList();
    }

    public static TableDef byName(String name) {
        return ALL.stream().filter(table -> table.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException("unknown table '" + name + "'; known: "
                        + ALL.stream().map(TableDef::name).collect(Collectors.joining(", "))));
    }

    /** The app-log struct as a Spark type, for from_json. */
    public static DataType appLogType() {
        return DataType.fromDDL(APP_LOG_TYPE);
    }
}
