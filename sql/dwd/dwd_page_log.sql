-- dwd_page_log: one row per page view.
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
  last_page_id: STRING
  page_item: STRING
  page_item_type: STRING
  source_type: STRING
  during_time_ms: BIGINT
  event_time: TIMESTAMP NOT NULL
*/
WITH app_log AS (
    SELECT * FROM app_log_with_device WHERE dt = DATE'${dt}'
),

page_views AS (
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
        log.page.last_page_id    AS last_page_id,
        log.page.item            AS page_item,
        log.page.item_type       AS page_item_type,
        log.page.source_type     AS source_type,
        log.page.during_time     AS during_time_ms,
        event_time
    FROM app_log
    WHERE log.page IS NOT NULL
)

SELECT * FROM page_views
