-- ads_dau_daily: daily active devices, split into new (first install) and returning devices.
-- grain: dt | source: dws_dau_device_day | parameter: ${dt}, the event date (yyyy-MM-dd)
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
