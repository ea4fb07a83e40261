-- dws_dau_device_day: the devices active on a day, each with its first activity of that day.
-- What counts as active, and which activity is a device's first, is written once, in the SELECT of
-- dws_dau_device_live.sql: this table is that SELECT's rows of day ${dt}, over the day's ods_app_log.
-- parameter: ${dt}, the event date (yyyy-MM-dd)
-- The authority for closed days; its check compares it with dws_dau_device_live, which the ingest keeps
-- current, device for device (a day the live table never saw, such as a backfill, is not compared).
/*
rows_of: dws_dau_device_live
key: [dt, mid]
partitioned_by: [dt]
columns:
  dt: DATE NOT NULL
  mid: STRING NOT NULL
  uid: STRING
  area_code: STRING
  brand: STRING
  channel: STRING
  is_new: BOOLEAN
  model: STRING
  operating_system: STRING
  app_version: STRING
  first_event_type: STRING NOT NULL
  first_event_time: TIMESTAMP NOT NULL
  first_event_log_id: STRING NOT NULL
checks:
  matches_the_live_table: |
    WITH nightly AS (
        SELECT mid, first_event_time, first_event_log_id, first_event_type FROM dws_dau_device_day WHERE dt = DATE'${dt}'
    ),
    live AS (
        SELECT mid, first_event_time, first_event_log_id, first_event_type FROM dws_dau_device_live WHERE dt = DATE'${dt}'
    )
    SELECT coalesce(nightly.mid, live.mid) AS mid,
           nightly.first_event_time AS nightly_first_event_time, live.first_event_time AS live_first_event_time,
           nightly.first_event_log_id AS nightly_first_event_log_id, live.first_event_log_id AS live_first_event_log_id,
           nightly.first_event_type AS nightly_first_event_type, live.first_event_type AS live_first_event_type
    FROM nightly FULL OUTER JOIN live ON nightly.mid = live.mid
    WHERE EXISTS (SELECT 1 FROM live)
      AND (nightly.first_event_log_id IS DISTINCT FROM live.first_event_log_id
           OR nightly.first_event_type IS DISTINCT FROM live.first_event_type)
*/
