-- ads_dau_daily: daily active devices, split into new (first install) and returning devices.
-- parameter: ${dt}, the event date (yyyy-MM-dd)
/*
key: [dt]
partitioned_by: [dt]
columns:
  dt: DATE NOT NULL
  dau: BIGINT NOT NULL
  new_device_dau: BIGINT NOT NULL
  returning_device_dau: BIGINT NOT NULL
checks:
  new_plus_returning_is_dau: |
    SELECT * FROM ads_dau_daily WHERE dt = DATE'${dt}' AND new_device_dau + returning_device_dau <> dau
  dau_is_the_active_device_count: |
    SELECT daily.dau, devices.active
    FROM (SELECT dau FROM ads_dau_daily WHERE dt = DATE'${dt}') daily,
         (SELECT count(*) AS active FROM dws_dau_device_day WHERE dt = DATE'${dt}') devices
    WHERE daily.dau <> devices.active
*/
WITH active_devices AS (
    SELECT * FROM dws_dau_device_day WHERE dt = DATE'${dt}'
),

daily AS (
    SELECT
        DATE'${dt}'                        AS dt,
        count(*)                           AS dau,
        count_if(is_new)                   AS new_device_dau,
        count(*) - count_if(is_new)        AS returning_device_dau
    FROM active_devices
)

SELECT * FROM daily
