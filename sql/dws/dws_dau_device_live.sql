-- dws_dau_device_live: today's devices as the app-log ingest sees them, seconds after the event: each
-- device's first activity of the day. The ingest applies the SELECT below to each micro-batch (the batch's
-- accepted messages stand in for ods_app_log) and appends the result without reading the table: a device's
-- row is its earliest (keep_earliest), which a replay, a duplicate or a late later event cannot change, so
-- the table may hold a device's later candidates until the ingest folds the day to its earliest rows (about
-- once a minute). Read it through its current rows (`count(DISTINCT mid)` for a day's DAU). Active = a start
-- log, or a page that opens a session (no last_page_id); a device's first activity is its earliest by time,
-- then log id. This SELECT is the rule's one definition: dws_dau_device_day is its rows of a closed day over
-- that day's ods_app_log, stays the authority for closed days and checks that it agrees with this table
-- device for device.
/*
written_by: ingest logs
pipeline: dau
ctes: [app_log_with_device]
key: [dt, mid]
keep_earliest: [first_event_time, first_event_log_id]
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
WITH activity AS (
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
        CASE WHEN log.start IS NOT NULL THEN 'start' ELSE 'page' END AS event_type,
        event_time,
        log_id
    FROM app_log_with_device
    WHERE log.start IS NOT NULL OR (log.page IS NOT NULL AND log.page.last_page_id IS NULL)
),

ranked_activity AS (
    SELECT *, row_number() OVER (PARTITION BY dt, mid ORDER BY event_time, log_id) AS activity_rank
    FROM activity
)

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
