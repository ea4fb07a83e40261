-- dwd_action_log: one row per user action on a page (an element of a message's actions[]).
-- parameter: ${dt}, the event date (yyyy-MM-dd)
/*
key: [log_id, action_index]
partitioned_by: [dt]
columns:
  dt: DATE NOT NULL
  log_id: STRING NOT NULL
  action_index: INT NOT NULL
  mid: STRING NOT NULL
  uid: STRING
  channel: STRING
  app_version: STRING
  page_id: STRING
  action_id: STRING
  item: STRING
  item_type: STRING
  action_time: TIMESTAMP
  event_time: TIMESTAMP NOT NULL
*/
WITH app_log AS (
    SELECT * FROM ods_app_log WHERE dt = DATE'${dt}' AND size(log.actions) > 0
),

actions AS (
    SELECT
        dt,
        log_id,
        action_index,
        mid,
        uid,
        log.common.ch                  AS channel,
        log.common.vc                  AS app_version,
        log.page.page_id               AS page_id,
        action.action_id               AS action_id,
        action.item                    AS item,
        action.item_type               AS item_type,
        timestamp_millis(action.ts)    AS action_time,
        event_time
    FROM app_log
    LATERAL VIEW posexplode(log.actions) taken AS action_index, action
)

SELECT * FROM actions
