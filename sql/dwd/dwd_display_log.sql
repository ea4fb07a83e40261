-- dwd_display_log: one row per item shown on a page (an element of a message's displays[]).
-- parameter: ${dt}, the event date (yyyy-MM-dd)
/*
key: [log_id, display_index]
partitioned_by: [dt]
columns:
  dt: DATE NOT NULL
  log_id: STRING NOT NULL
  display_index: INT NOT NULL
  mid: STRING NOT NULL
  uid: STRING
  channel: STRING
  app_version: STRING
  page_id: STRING
  display_type: STRING
  item: STRING
  item_type: STRING
  display_order: INT
  pos_id: INT
  event_time: TIMESTAMP NOT NULL
*/
WITH app_log AS (
    SELECT * FROM ods_app_log WHERE dt = DATE'${dt}' AND size(log.displays) > 0
),

displays AS (
    SELECT
        dt,
        log_id,
        display_index,
        mid,
        uid,
        log.common.ch          AS channel,
        log.common.vc          AS app_version,
        log.page.page_id       AS page_id,
        display.display_type   AS display_type,
        display.item           AS item,
        display.item_type      AS item_type,
        display.`order`        AS display_order,
        display.pos_id         AS pos_id,
        event_time
    FROM app_log
    LATERAL VIEW posexplode(log.displays) shown AS display_index, display
)

SELECT * FROM displays
