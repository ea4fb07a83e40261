-- dws_dau_device_day: the devices active on a day, each with its first activity of that day.
-- Active = sent a start log, or a page view that opens a session (no last_page_id), dated by event time.
-- parameter: ${dt}, the event date (yyyy-MM-dd)
-- The authority for closed days; its check compares it with dws_dau_device_live, which the ingest keeps
-- current, device for device (a day the live table never saw, such as a backfill, is not compared).
/*
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
WITH starts AS (
    SELECT dt, mid, uid, area_code, brand, channel, is_new, model, operating_system, app_version,
           'start' AS event_type, event_time, log_id
    FROM dwd_start_log
    WHERE dt = DATE'${dt}'
),

session_opening_pages AS (
    SELECT dt, mid, uid, area_code, brand, channel, is_new, model, operating_system, app_version,
           'page' AS event_type, event_time, log_id
    FROM dwd_page_log
    WHERE dt = DATE'${dt}' AND last_page_id IS NULL
),

activity AS (
    SELECT * FROM starts
    UNION ALL
    SELECT * FROM session_opening_pages
),

-- a message holding both a start and a session-opening page is one activity, a start (as the live table has it)
ranked_activity AS (
    SELECT *, row_number() OVER (PARTITION BY mid ORDER BY event_time, log_id, event_type = 'start' DESC) AS activity_rank
    FROM activity
),

first_activity AS (
    SELECT
        dt,
        mid,
        uid,
        area_code,
        brand,
        channel,
        is_new,
        model,
        operating_system,
        app_version,
        event_type  AS first_event_type,
        event_time  AS first_event_time,
        log_id      AS first_event_log_id
    FROM ranked_activity
    WHERE activity_rank = 1
)

SELECT * FROM first_activity
