-- ods_rejected: quarantine, one row per distinct message that could not be accepted, with the reason.
-- raw holds its exact bytes (which need not be UTF-8), raw_text the same as text with invalid UTF-8
-- replaced. source is the stream (app_log, maxwell).
/*
written_by: ingest logs, ingest cdc
key: [source, message_id]
partitioned_by: [source]
columns:
  source: STRING NOT NULL
  message_id: STRING NOT NULL
  reason: STRING NOT NULL
  raw: BINARY
  raw_text: STRING
  kafka_topic: STRING
  kafka_partition: INT
  kafka_offset: BIGINT
  kafka_timestamp: TIMESTAMP
  rejected_at: TIMESTAMP
*/
