-- ads_order_daily: orders, ordering users and GMV of a day.
-- GMV = sum of total_amount (what buyers pay, freight included) of the orders created that day,
-- whatever their status; deleted orders are not counted. dws_order_hour_live applies the same rule to the
-- order mirror seconds after each change, for the API's figures of today; the check below ties the two on
-- every closed day the live table holds.
-- parameter: ${dt}
/*
key: [dt]
partitioned_by: [dt]
columns:
  dt: DATE NOT NULL
  order_count: BIGINT NOT NULL
  ordering_user_count: BIGINT NOT NULL
  first_order_user_count: BIGINT NOT NULL
  original_total_amount: DECIMAL(18,2)
  activity_reduce_amount: DECIMAL(18,2)
  coupon_reduce_amount: DECIMAL(18,2)
  feight_fee: DECIMAL(18,2)
  gmv: DECIMAL(18,2)
checks:
  matches_the_live_table: |
    WITH live AS (
        SELECT count(*) AS hours_with_orders, coalesce(sum(order_count), 0) AS order_count, coalesce(sum(gmv), 0) AS gmv
        FROM dws_order_hour_live WHERE dt = DATE'${dt}'
    )
    SELECT nightly.order_count AS nightly_order_count, live.order_count AS live_order_count,
           nightly.gmv AS nightly_gmv, live.gmv AS live_gmv
    FROM ads_order_daily nightly CROSS JOIN live
    WHERE nightly.dt = DATE'${dt}' AND DATE'${dt}' < current_date() AND live.hours_with_orders > 0
      AND (nightly.order_count <> live.order_count OR nightly.gmv <> live.gmv)
*/
WITH orders AS (
    SELECT * FROM dwd_order_info WHERE dt = DATE'${dt}'
)

SELECT
    DATE'${dt}' AS dt,
    count(*) AS order_count,
    count(DISTINCT user_id) AS ordering_user_count,
    count(DISTINCT CASE WHEN if_first_order THEN user_id END) AS first_order_user_count,
    CAST(coalesce(sum(original_total_amount), 0) AS DECIMAL(18,2)) AS original_total_amount,
    CAST(coalesce(sum(activity_reduce_amount), 0) AS DECIMAL(18,2)) AS activity_reduce_amount,
    CAST(coalesce(sum(coupon_reduce_amount), 0) AS DECIMAL(18,2)) AS coupon_reduce_amount,
    CAST(coalesce(sum(feight_fee), 0) AS DECIMAL(18,2)) AS feight_fee,
    CAST(coalesce(sum(total_amount), 0) AS DECIMAL(18,2)) AS gmv
FROM orders
