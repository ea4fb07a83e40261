-- dws_order_hour_live: orders and GMV by the hour they were created (in lakehouse.time-zone), seconds after
-- the change, as the CDC ingest sees them: the figures of today the API publishes. The capture applies the
-- SELECT below to the ods_order_info rows of the days each of its micro-batches touched, as its upsert of
-- the mirror leaves them, and replaces those days here; a result computed again from the mirror, so a replay
-- or a batch run twice changes nothing. GMV = sum of total_amount (what buyers pay, freight included) of
-- the orders created that hour, whatever their status; deleted orders are not counted: the rule of
-- ads_order_daily, whose check compares a closed day's total with this table's.
/*
written_by: ingest cdc
pipeline: orders
key: [dt, order_hour]
partitioned_by: [dt]
columns:
  dt: DATE NOT NULL
  order_hour: INT NOT NULL
  order_count: BIGINT NOT NULL
  gmv: DECIMAL(18,2) NOT NULL
*/
SELECT
    dt,
    hour(create_time) AS order_hour,
    count(*) AS order_count,
    CAST(coalesce(sum(total_amount), 0) AS DECIMAL(18,2)) AS gmv
FROM ods_order_info
WHERE NOT is_deleted
GROUP BY dt, hour(create_time)
