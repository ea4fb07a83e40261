-- ods_app_log: every distinct valid app-log message, once: its key log_id is the SHA-256 of its bytes,
-- so a resent duplicate is recognised and not written again. event_time is the message's ts, dt its date in lakehouse.time-zone
-- (keep that zone fixed: a duplicate is looked for in its original's dt);
-- log holds the message typed, raw its exact text.
/*
written_by: ingest logs
pipeline: dau
key: [log_id]
# log_id hashes bytes that hold ts, so a duplicate has the same event_time: a write reads only the
# files whose event_time range meets the batch's
key_time: event_time
# Delta's file statistics of these columns only: a write computes them over every row it writes, and
# those of the nested log and the long raw (Delta's default, the first 32 columns) were half of a batch's time
stats_columns: [event_time, kafka_partition, kafka_offset, ingested_at]
partitioned_by: [dt]
columns:
  log_id: STRING NOT NULL
  dt: DATE NOT NULL
  event_time: TIMESTAMP NOT NULL
  mid: STRING NOT NULL
  uid: STRING
  log: >-
    STRUCT<
      common: STRUCT<ar: STRING, ba: STRING, ch: STRING, is_new: STRING, md: STRING, mid: STRING, os: STRING, uid: STRING, vc: STRING>,
      start: STRUCT<entry: STRING, loading_time: BIGINT, open_ad_id: BIGINT, open_ad_ms: BIGINT, open_ad_skip_ms: BIGINT>,
      page: STRUCT<during_time: BIGINT, item: STRING, item_type: STRING, last_page_id: STRING, page_id: STRING, source_type: STRING>,
      displays: ARRAY<STRUCT<display_type: STRING, item: STRING, item_type: STRING, `order`: INT, pos_id: INT>>,
      actions: ARRAY<STRUCT<action_id: STRING, item: STRING, item_type: STRING, ts: BIGINT>>,
      err: STRUCT<error_code: INT, msg: STRING>,
      ts: BIGINT
    >
  raw: STRING NOT NULL
  kafka_topic: STRING
  kafka_partition: INT
  kafka_offset: BIGINT
  kafka_timestamp: TIMESTAMP
  ingested_at: TIMESTAMP
*/
