-- dwd_order_wide: one order line with its order, user, province and product, and the order's amounts
-- apportioned to its lines by line value (order_price * sku_num).
-- parameter: ${dt}, the order's create date
-- Apportioning: every line but one gets amount * line_amount / order line total, rounded down to the
-- cent; the order's largest line (lowest order_detail_id among equals) gets the rest. So per order
-- sum(split_total_amount) = total_amount, and likewise for the activity and coupon reductions,
-- exactly, in DECIMAL arithmetic. Rounding down makes every other line's share at most its exact
-- share, so the remainder line never goes below its own.
/*
key: [order_detail_id]
partitioned_by: [dt]
columns:
  dt: DATE NOT NULL
  order_detail_id: BIGINT NOT NULL
  order_id: BIGINT NOT NULL
  sku_id: BIGINT
  sku_name: STRING
  order_price: DECIMAL(10,2)
  sku_num: BIGINT
  line_amount: DECIMAL(16,2)
  split_total_amount: DECIMAL(16,2)
  split_activity_amount: DECIMAL(16,2)
  split_coupon_amount: DECIMAL(16,2)
  original_total_amount: DECIMAL(16,2)
  activity_reduce_amount: DECIMAL(16,2)
  coupon_reduce_amount: DECIMAL(16,2)
  feight_fee: DECIMAL(16,2)
  total_amount: DECIMAL(16,2)
  user_id: BIGINT
  order_status: STRING
  province_id: BIGINT
  province_name: STRING
  province_area_code: STRING
  province_iso_code: STRING
  province_iso_3166_2: STRING
  region_id: BIGINT
  region_name: STRING
  user_gender: STRING
  user_age_group: STRING
  if_first_order: BOOLEAN
  spu_id: BIGINT
  spu_name: STRING
  tm_id: BIGINT
  tm_name: STRING
  category3_id: BIGINT
  category3_name: STRING
  category2_id: BIGINT
  category2_name: STRING
  category1_id: BIGINT
  category1_name: STRING
  create_time: TIMESTAMP
checks:
  split_amounts_add_up_to_the_order: |
    SELECT order_id, sum(split_total_amount) AS split_total_amount, max(total_amount) AS total_amount,
           sum(split_activity_amount) AS split_activity_amount, max(activity_reduce_amount) AS activity_reduce_amount,
           sum(split_coupon_amount) AS split_coupon_amount, max(coupon_reduce_amount) AS coupon_reduce_amount
    FROM dwd_order_wide WHERE dt = DATE'${dt}'
    GROUP BY order_id
    HAVING sum(split_total_amount) <> max(total_amount)
        OR sum(split_activity_amount) <> max(activity_reduce_amount)
        OR sum(split_coupon_amount) <> max(coupon_reduce_amount)
*/
WITH orders AS (
    SELECT * FROM dwd_order_info WHERE dt = DATE'${dt}'
),

order_lines AS (
    SELECT * FROM dwd_order_detail WHERE dt = DATE'${dt}'
),

lines_with_order AS (
    SELECT
        order_lines.*,
        orders.total_amount,
        orders.activity_reduce_amount,
        orders.coupon_reduce_amount,
        orders.original_total_amount,
        orders.feight_fee,
        orders.user_id,
        orders.order_status,
        orders.province_id,
        orders.province_name,
        orders.province_area_code,
        orders.province_iso_code,
        orders.province_iso_3166_2,
        orders.region_id,
        orders.region_name,
        orders.user_gender,
        orders.user_age_group,
        orders.if_first_order,
        sum(order_lines.line_amount) OVER (PARTITION BY order_lines.order_id) AS order_line_total,
        row_number() OVER (PARTITION BY order_lines.order_id
                           ORDER BY order_lines.line_amount DESC, order_lines.order_detail_id) AS line_rank
    FROM order_lines
    JOIN orders ON orders.order_id = order_lines.order_id
),

rounded_down_shares AS (
    SELECT
        *,
        CAST(coalesce(floor(try_divide(total_amount * line_amount, order_line_total) * 100) / 100, 0)
             AS DECIMAL(16,2)) AS total_share,
        CAST(coalesce(floor(try_divide(activity_reduce_amount * line_amount, order_line_total) * 100) / 100, 0)
             AS DECIMAL(16,2)) AS activity_share,
        CAST(coalesce(floor(try_divide(coupon_reduce_amount * line_amount, order_line_total) * 100) / 100, 0)
             AS DECIMAL(16,2)) AS coupon_share
    FROM lines_with_order
),

apportioned AS (
    SELECT
        *,
        CASE WHEN line_rank = 1
             THEN total_amount - (sum(total_share) OVER (PARTITION BY order_id) - total_share)
             ELSE total_share END AS split_total_amount,
        CASE WHEN line_rank = 1
             THEN activity_reduce_amount - (sum(activity_share) OVER (PARTITION BY order_id) - activity_share)
             ELSE activity_share END AS split_activity_amount,
        CASE WHEN line_rank = 1
             THEN coupon_reduce_amount - (sum(coupon_share) OVER (PARTITION BY order_id) - coupon_share)
             ELSE coupon_share END AS split_coupon_amount
    FROM rounded_down_shares
)

SELECT
    dt,
    order_detail_id,
    order_id,
    sku_id,
    sku_name,
    order_price,
    sku_num,
    line_amount,
    CAST(split_total_amount AS DECIMAL(16,2)) AS split_total_amount,
    CAST(split_activity_amount AS DECIMAL(16,2)) AS split_activity_amount,
    CAST(split_coupon_amount AS DECIMAL(16,2)) AS split_coupon_amount,
    original_total_amount,
    activity_reduce_amount,
    coupon_reduce_amount,
    feight_fee,
    total_amount,
    user_id,
    order_status,
    province_id,
    province_name,
    province_area_code,
    province_iso_code,
    province_iso_3166_2,
    region_id,
    region_name,
    user_gender,
    user_age_group,
    if_first_order,
    spu_id,
    spu_name,
    tm_id,
    tm_name,
    category3_id,
    category3_name,
    category2_id,
    category2_name,
    category1_id,
    category1_name,
    create_time
FROM apportioned
