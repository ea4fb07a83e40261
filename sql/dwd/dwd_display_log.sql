-- dwd_display_log: one row per item shown on a page (an element of a message's displays[]).
-- grain: (log_id, display_index) | source: ods_app_log | parameter: ${dt}, the event date (yyyy-MM-dd)
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
