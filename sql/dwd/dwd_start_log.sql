-- dwd_start_log: one row per app start.
-- parameter: ${dt}, the event date (yyyy-MM-dd)
/*
ctes: [app_log_with_device]
key: [log_id]
partitioned_by: [dt]
columns:
  dt: DATE NOT NULL
  log_id: STRING NOT NULL
  mid: STRING NOT NULL
  uid: STRING
  area_code: STRING
  brand: STRING
  channel: STRING
  is_new: BOOLEAN
  model: STRING
  operating_system: STRING
  app_version: STRING
  entry: STRING
  loading_time_ms: BIGINT
  open_ad_id: BIGINT
  open_ad_ms: BIGINT
  open_ad_skip_ms: BIGINT
  event_time: TIMESTAMP NOT NULL
*/
WITH app_log AS (
    SELECT * FROM app_log_with_device WHERE dt = DATE'${dt}'
),

starts AS (
    SELECT
        dt,
        log_id,
        mid,
        uid,
        area_code,
        brand,
        channel,
        is_new,
        model,
        operating_system,
        app_version,
        log.start.entry          AS entry,
        log.start.loading_time   AS loading_time_ms,
        log.start.open_ad_id     AS open_ad_id,
        log.start.open_ad_ms     AS open_ad_ms,
        log.start.open_ad_skip_ms AS open_ad_skip_ms,
        event_time
    FROM app_log
    WHERE log.start IS NOT NULL
)

SELECT * FROM starts
