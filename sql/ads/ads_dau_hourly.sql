-- ads_dau_hourly: for each hour of the day (0-23, in the configured time zone), the devices whose first
-- activity of the day fell in that hour, the running DAU, and the same figures for the day before.
-- parameter: ${dt}, the event date (yyyy-MM-dd)
/*
key: [dt, hour]
partitioned_by: [dt]
reads_earlier_days: 1
columns:
  dt: DATE NOT NULL
  hour: INT NOT NULL
  devices_first_active: BIGINT NOT NULL
  cumulative_dau: BIGINT NOT NULL
  yesterday_devices_first_active: BIGINT NOT NULL
  yesterday_cumulative_dau: BIGINT NOT NULL
checks:
  twenty_four_hours_add_up_to_the_day: |
    SELECT count(*) AS hours, sum(devices_first_active) AS devices, max(cumulative_dau) AS cumulative_dau,
           (SELECT count(*) FROM dws_dau_device_day WHERE dt = DATE'${dt}') AS active_devices
    FROM ads_dau_hourly WHERE dt = DATE'${dt}'
    HAVING count(*) <> 24 OR sum(devices_first_active) <> max(cumulative_dau)
        OR max(cumulative_dau) <> (SELECT count(*) FROM dws_dau_device_day WHERE dt = DATE'${dt}')
*/
WITH hours AS (
    SELECT explode(sequence(0, 23)) AS hour
),

today AS (
    SELECT hour(first_event_time) AS hour, count(*) AS devices
    FROM dws_dau_device_day
    WHERE dt = DATE'${dt}'
    GROUP BY hour(first_event_time)
),

yesterday AS (
    SELECT hour(first_event_time) AS hour, count(*) AS devices
    FROM dws_dau_device_day
    WHERE dt = date_sub(DATE'${dt}', 1)
    GROUP BY hour(first_event_time)
),

hourly AS (
    SELECT
        hours.hour,
        coalesce(today.devices, 0)      AS devices_first_active,
        coalesce(yesterday.devices, 0)  AS yesterday_devices_first_active
    FROM hours
    LEFT JOIN today ON today.hour = hours.hour
    LEFT JOIN yesterday ON yesterday.hour = hours.hour
),

running AS (
    SELECT
        DATE'${dt}'                                                 AS dt,
        hour,
        devices_first_active,
        sum(devices_first_active) OVER (ORDER BY hour)              AS cumulative_dau,
        yesterday_devices_first_active,
        sum(yesterday_devices_first_active) OVER (ORDER BY hour)    AS yesterday_cumulative_dau
    FROM hourly
)

SELECT * FROM running
