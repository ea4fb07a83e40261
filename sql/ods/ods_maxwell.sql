-- ods_maxwell: every change Maxwell sent, once. change_id spells out the natural key
-- (database/table/row_id/ts/xid/xoffset) so an operator can read it; dt is the date of the change (ts),
-- not of the row. data and old keep Maxwell's JSON with numbers exactly as sent.
/*
written_by: ingest cdc
pipeline: orders
key: [change_id]
# change_id holds ts, so a change sent again has the same change_time: a capture batch reads the keys of
# the files whose change_time range meets its minutes, not of the day's every change
key_time: change_time
# Delta's file statistics of these columns only: a write computes them over every row it writes, and
# Maxwell's JSON (data, old, raw) gives no reader a range to skip files by
stats_columns: [change_time, kafka_partition, kafka_offset, ingested_at]
partitioned_by: [dt]
columns:
  change_id: STRING NOT NULL
  dt: DATE NOT NULL
  database_name: STRING NOT NULL
  table_name: STRING NOT NULL
  row_id: STRING
  change_type: STRING NOT NULL
  ts: BIGINT NOT NULL
  xid: BIGINT
  xoffset: BIGINT
  change_time: TIMESTAMP NOT NULL
  data: STRING
  old: STRING
  raw: STRING NOT NULL
  kafka_topic: STRING
  kafka_partition: INT
  kafka_offset: BIGINT
  kafka_timestamp: TIMESTAMP
  ingested_at: TIMESTAMP
*/
