-- dwd_error_log: one row per message that reported an app error.
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
  page_id: STRING
  error_code: INT
  error_msg: STRING
  event_time: TIMESTAMP NOT NULL
*/
WITH app_log AS (
    SELECT * FROM app_log_with_device WHERE dt = DATE'${dt}'
),

errors AS (
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
        log.page.page_id         AS page_id,
        log.err.error_code       AS error_code,
        log.err.msg              AS error_msg,
        event_time
    FROM app_log
    WHERE log.err IS NOT NULL
)

SELECT * FROM errors
