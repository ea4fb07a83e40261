-- ads_order_daily: orders, ordering users and GMV of a day.
-- GMV = sum of total_amount (what buyers pay, freight included) of the orders created that day,
-- whatever their status; deleted orders are not counted.
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
