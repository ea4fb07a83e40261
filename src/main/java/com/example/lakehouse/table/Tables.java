package com.example.lakehouse.table;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    /**
     * Quarantine: one row per distinct message that could not be accepted, with the reason. raw holds its
     * exact bytes (which need not be UTF-8), raw_text the same as text with invalid UTF-8 replaced.
     */
    public static final TableDef ODS_REJECTED = new TableDef("ods_rejected", Layer.ODS,
            "source STRING NOT NULL, message_id STRING NOT NULL, reason STRING NOT NULL, raw BINARY, raw_text STRING, "
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

    /**
     * Every change Maxwell sent, once. change_id spells out the natural key (database/table/row_id/ts/xid/xoffset)
     * so an operator can read it; dt is the date of the change (ts), not of the row.
     */
    public static final TableDef ODS_MAXWELL = new TableDef("ods_maxwell", Layer.ODS,
            "change_id STRING NOT NULL, dt DATE NOT NULL, database_name STRING NOT NULL, table_name STRING NOT NULL,"
                    + " row_id STRING, change_type STRING NOT NULL, ts BIGINT NOT NULL, xid BIGINT, xoffset BIGINT,"
                    + " change_time TIMESTAMP NOT NULL, data STRING, old STRING, raw STRING NOT NULL, "
                    + KAFKA_POSITION + ", ingested_at TIMESTAMP",
            List.of("change_id"), List.of("dt"));

    // Mirrors: the current state of each captured source table, one row per id, applied from ods_maxwell's
    // changes by the CDC ingest. Deleted rows stay as tombstones (is_deleted) so that an older change that
    // arrives after the delete cannot bring the row back. Order tables are partitioned by the date of
    // create_time, which never changes, so a batch's MERGE reads only the days it touches.
    public static final MirrorTable ODS_USER_INFO = MirrorTable.of("user_info",
            "id BIGINT, login_name STRING, nick_name STRING, name STRING, phone_num STRING, email STRING,"
                    + " user_level STRING, birthday DATE, gender STRING, create_time TIMESTAMP, operate_time TIMESTAMP",
            false);
    public static final MirrorTable ODS_BASE_REGION = MirrorTable.of("base_region",
            "id BIGINT, region_name STRING", false);
    public static final MirrorTable ODS_BASE_PROVINCE = MirrorTable.of("base_province",
            "id BIGINT, name STRING, region_id BIGINT, area_code STRING, iso_code STRING, iso_3166_2 STRING", false);
    public static final MirrorTable ODS_BASE_TRADEMARK = MirrorTable.of("base_trademark",
            "id BIGINT, tm_name STRING, logo_url STRING", false);
    public static final MirrorTable ODS_BASE_CATEGORY1 = MirrorTable.of("base_category1",
            "id BIGINT, name STRING", false);
    public static final MirrorTable ODS_BASE_CATEGORY2 = MirrorTable.of("base_category2",
            "id BIGINT, name STRING, category1_id BIGINT", false);
    public static final MirrorTable ODS_BASE_CATEGORY3 = MirrorTable.of("base_category3",
            "id BIGINT, name STRING, category2_id BIGINT", false);
    public static final MirrorTable ODS_SPU_INFO = MirrorTable.of("spu_info",
            "id BIGINT, spu_name STRING, description STRING, category3_id BIGINT, tm_id BIGINT", false);
    public static final MirrorTable ODS_SKU_INFO = MirrorTable.of("sku_info",
            "id BIGINT, spu_id BIGINT, price DECIMAL(10,2), sku_name STRING, sku_desc STRING, weight DECIMAL(10,2),"
                    + " tm_id BIGINT, category3_id BIGINT, create_time TIMESTAMP", false);
    public static final MirrorTable ODS_ORDER_INFO = MirrorTable.of("order_info",
            "id BIGINT, consignee STRING, consignee_tel STRING, user_id BIGINT, province_id BIGINT,"
                    + " order_status STRING, payment_way STRING, out_trade_no STRING,"
                    + " original_total_amount DECIMAL(16,2), activity_reduce_amount DECIMAL(16,2),"
                    + " coupon_reduce_amount DECIMAL(16,2), feight_fee DECIMAL(16,2), total_amount DECIMAL(16,2),"
                    + " create_time TIMESTAMP, operate_time TIMESTAMP",
            true);
    public static final MirrorTable ODS_ORDER_DETAIL = MirrorTable.of("order_detail",
            "id BIGINT, order_id BIGINT, sku_id BIGINT, sku_name STRING, order_price DECIMAL(10,2), sku_num BIGINT,"
                    + " source_type STRING, create_time TIMESTAMP",
            true);

    /** The captured source tables, each with its mirror. */
    public static final List<MirrorTable> MIRRORS = List.of(ODS_USER_INFO, ODS_BASE_REGION, ODS_BASE_PROVINCE,
            ODS_BASE_TRADEMARK, ODS_BASE_CATEGORY1, ODS_BASE_CATEGORY2, ODS_BASE_CATEGORY3, ODS_SPU_INFO,
            ODS_SKU_INFO, ODS_ORDER_INFO, ODS_ORDER_DETAIL);

    // Dimensions: snapshots of the mirrors' live rows (tombstones dropped), rebuilt whole by each run.
    public static final TableDef DIM_USER_INFO = new TableDef("dim_user_info", Layer.DIM,
            "id BIGINT NOT NULL, login_name STRING, nick_name STRING, name STRING, phone_num STRING, email STRING,"
                    + " user_level STRING, birthday DATE, gender STRING, create_time TIMESTAMP, operate_time TIMESTAMP",
            List.of("id"), List.of());
    public static final TableDef DIM_BASE_PROVINCE = new TableDef("dim_base_province", Layer.DIM,
            "id BIGINT NOT NULL, name STRING, area_code STRING, iso_code STRING, iso_3166_2 STRING,"
                    + " region_id BIGINT, region_name STRING",
            List.of("id"), List.of());
    public static final TableDef DIM_BASE_TRADEMARK = new TableDef("dim_base_trademark", Layer.DIM,
            "id BIGINT NOT NULL, tm_name STRING, logo_url STRING",
            List.of("id"), List.of());
    public static final TableDef DIM_BASE_CATEGORY3 = new TableDef("dim_base_category3", Layer.DIM,
            "id BIGINT NOT NULL, name STRING, category2_id BIGINT, category2_name STRING, category1_id BIGINT,"
                    + " category1_name STRING",
            List.of("id"), List.of());
    public static final TableDef DIM_SPU_INFO = new TableDef("dim_spu_info", Layer.DIM,
            "id BIGINT NOT NULL, spu_name STRING, description STRING, category3_id BIGINT, tm_id BIGINT",
            List.of("id"), List.of());
    public static final TableDef DIM_SKU_INFO = new TableDef("dim_sku_info", Layer.DIM,
            "id BIGINT NOT NULL, spu_id BIGINT, price DECIMAL(10,2), sku_name STRING, sku_desc STRING,"
                    + " weight DECIMAL(10,2), create_time TIMESTAMP, spu_name STRING, tm_id BIGINT, tm_name STRING,"
                    + " category3_id BIGINT, category3_name STRING, category2_id BIGINT, category2_name STRING,"
                    + " category1_id BIGINT, category1_name STRING",
            List.of("id"), List.of());

    private static final String ORDER_AMOUNTS = "original_total_amount DECIMAL(16,2), activity_reduce_amount DECIMAL(16,2),"
            + " coupon_reduce_amount DECIMAL(16,2), feight_fee DECIMAL(16,2), total_amount DECIMAL(16,2)";
    private static final String ORDER_CONTEXT = "user_id BIGINT, order_status STRING, province_id BIGINT,"
            + " province_name STRING, province_area_code STRING, province_iso_code STRING,"
            + " province_iso_3166_2 STRING, region_id BIGINT, region_name STRING, user_gender STRING,"
            + " user_age_group STRING, if_first_order BOOLEAN";
    private static final String SKU_CONTEXT = "spu_id BIGINT, spu_name STRING, tm_id BIGINT, tm_name STRING,"
            + " category3_id BIGINT, category3_name STRING, category2_id BIGINT, category2_name STRING,"
            + " category1_id BIGINT, category1_name STRING";

    /** Orders created on dt (create_time in lakehouse.time-zone), with province, user and first-order flag. */
    public static final TableDef DWD_ORDER_INFO = new TableDef("dwd_order_info", Layer.DWD,
            "dt DATE NOT NULL, order_id BIGINT NOT NULL, " + ORDER_CONTEXT + ", user_age INT, " + ORDER_AMOUNTS
                    + ", create_time TIMESTAMP, operate_time TIMESTAMP",
            List.of("order_id"), List.of("dt"));
    public static final TableDef DWD_ORDER_DETAIL = new TableDef("dwd_order_detail", Layer.DWD,
            "dt DATE NOT NULL, order_detail_id BIGINT NOT NULL, order_id BIGINT NOT NULL, sku_id BIGINT,"
                    + " sku_name STRING, order_price DECIMAL(10,2), sku_num BIGINT, line_amount DECIMAL(16,2),"
                    + " source_type STRING, create_time TIMESTAMP, " + SKU_CONTEXT,
            List.of("order_detail_id"), List.of("dt"));
    /** One order line with its order and dimensions; the split_* amounts add up to the order's amounts. */
    public static final TableDef DWD_ORDER_WIDE = new TableDef("dwd_order_wide", Layer.DWD,
            "dt DATE NOT NULL, order_detail_id BIGINT NOT NULL, order_id BIGINT NOT NULL, sku_id BIGINT,"
                    + " sku_name STRING, order_price DECIMAL(10,2), sku_num BIGINT, line_amount DECIMAL(16,2),"
                    + " split_total_amount DECIMAL(16,2), split_activity_amount DECIMAL(16,2),"
                    + " split_coupon_amount DECIMAL(16,2), " + ORDER_AMOUNTS + ", "
                    + ORDER_CONTEXT + ", " + SKU_CONTEXT + ", create_time TIMESTAMP",
            List.of("order_detail_id"), List.of("dt"));

    public static final TableDef ADS_ORDER_DAILY = new TableDef("ads_order_daily", Layer.ADS,
            "dt DATE NOT NULL, order_count BIGINT NOT NULL, ordering_user_count BIGINT NOT NULL,"
                    + " first_order_user_count BIGINT NOT NULL, original_total_amount DECIMAL(18,2),"
                    + " activity_reduce_amount DECIMAL(18,2), coupon_reduce_amount DECIMAL(18,2),"
                    + " feight_fee DECIMAL(18,2), gmv DECIMAL(18,2)",
            List.of("dt"), List.of("dt"));
    public static final TableDef ADS_TRADEMARK_GMV = new TableDef("ads_trademark_gmv", Layer.ADS,
            "dt DATE NOT NULL, tm_id BIGINT, tm_name STRING, order_count BIGINT NOT NULL, sku_num BIGINT NOT NULL,"
                    + " gmv DECIMAL(18,2)",
            List.of("dt", "tm_id"), List.of("dt"));
    public static final TableDef ADS_PROVINCE_GMV = new TableDef("ads_province_gmv", Layer.ADS,
            "dt DATE NOT NULL, province_id BIGINT, province_name STRING, region_name STRING,"
                    + " province_iso_3166_2 STRING, order_count BIGINT NOT NULL, ordering_user_count BIGINT NOT NULL,"
                    + " gmv DECIMAL(18,2)",
            List.of("dt", "province_id"), List.of("dt"));

    /** SQL jobs of the app-log (DAU) path, in dependency order. */
    public static final List<TableDef> DAU_JOBS = List.of(DWD_START_LOG, DWD_PAGE_LOG, DWD_DISPLAY_LOG,
            DWD_ACTION_LOG, DWD_ERROR_LOG, DWS_DAU_DEVICE_DAY, ADS_DAU_DAILY, ADS_DAU_HOURLY);
    /** SQL jobs of the order path, in dependency order (dimensions first). */
    public static final List<TableDef> ORDER_JOBS = List.of(DIM_USER_INFO, DIM_BASE_PROVINCE, DIM_BASE_TRADEMARK,
            DIM_BASE_CATEGORY3, DIM_SPU_INFO, DIM_SKU_INFO, DWD_ORDER_INFO, DWD_ORDER_DETAIL, DWD_ORDER_WIDE,
            ADS_ORDER_DAILY, ADS_TRADEMARK_GMV, ADS_PROVINCE_GMV);

    /** Every table, derived ones after the tables they read, so running them in this order is safe. */
    public static final List<TableDef> ALL = Stream.of(
                    Stream.of(ODS_APP_LOG, ODS_MAXWELL, ODS_REJECTED),
                    MIRRORS.stream().map(MirrorTable::table),
                    DAU_JOBS.stream(),
                    ORDER_JOBS.stream())
            .flatMap(tables -> tables).toList();

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

    /** The mirror of a source table, if it is captured. */
    public static Optional<MirrorTable> mirrorOf(String sourceTable) {
        return MIRRORS.stream().filter(mirror -> mirror.sourceTable().equals(sourceTable)).findFirst();
    }

    /** The app-log struct as a Spark type, for from_json. */
    public static DataType appLogType() {
        return DataType.fromDDL(APP_LOG_TYPE);
    }
}
