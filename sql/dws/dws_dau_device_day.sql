-- dws_dau_device_day: the devices active on a day, each with its first activity of that day.
-- Active = sent a start log, or a page view that opens a session (no last_page_id), dated by event time.
-- parameter: ${dt}, the event date (yyyy-MM-dd)
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

ranked_activity AS (
    SELECT *, row_number() OVER (PARTITION BY mid ORDER BY event_time, log_id) AS activity_rank
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
