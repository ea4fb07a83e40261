-- dwd_order_info: orders created on a day, with province and region, the user's gender and age group
-- on the order date, and whether it is the user's first order ever.
-- parameter: ${dt}, the order's create date (create_time in lakehouse.time-zone)
-- if_first_order compares with all earlier orders of the user, so orders of one user created on the
-- same day (or ingested in the same batch) get exactly one first order: the earliest, then lowest id.
/*
key: [order_id]
partitioned_by: [dt]
reads_earlier_days: all
columns:
  dt: DATE NOT NULL
  order_id: BIGINT NOT NULL
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
  user_age: INT
  original_total_amount: DECIMAL(16,2)
  activity_reduce_amount: DECIMAL(16,2)
  coupon_reduce_amount: DECIMAL(16,2)
  feight_fee: DECIMAL(16,2)
  total_amount: DECIMAL(16,2)
  create_time: TIMESTAMP
  operate_time: TIMESTAMP
*/
WITH orders AS (
    SELECT * FROM ods_order_info WHERE dt = DATE'${dt}' AND NOT is_deleted
),

first_orders AS (
    SELECT user_id, id AS first_order_id
    FROM (
        SELECT user_id, id, row_number() OVER (PARTITION BY user_id ORDER BY create_time, id) AS order_rank
        FROM ods_order_info
        WHERE dt <= DATE'${dt}' AND NOT is_deleted
    )
    WHERE order_rank = 1
),

provinces AS (
    SELECT * FROM dim_base_province
),

users AS (
    SELECT
        id,
        gender,
        year(DATE'${dt}') - year(birthday)
            - CASE WHEN (month(DATE'${dt}'), day(DATE'${dt}')) < (month(birthday), day(birthday)) THEN 1 ELSE 0 END
            AS age_on_order_date
    FROM dim_user_info
)

SELECT
    orders.dt,
    orders.id AS order_id,
    orders.user_id,
    orders.order_status,
    orders.province_id,
    provinces.name AS province_name,
    provinces.area_code AS province_area_code,
    provinces.iso_code AS province_iso_code,
    provinces.iso_3166_2 AS province_iso_3166_2,
    provinces.region_id,
    provinces.region_name,
    users.gender AS user_gender,
    CASE
        WHEN users.age_on_order_date IS NULL THEN NULL
        WHEN users.age_on_order_date < 20 THEN 'under 20'
        WHEN users.age_on_order_date < 30 THEN '20-29'
        WHEN users.age_on_order_date < 40 THEN '30-39'
        WHEN users.age_on_order_date < 50 THEN '40-49'
        ELSE '50+'
    END AS user_age_group,
    orders.id = first_orders.first_order_id AS if_first_order,
    users.age_on_order_date AS user_age,
    orders.original_total_amount,
    orders.activity_reduce_amount,
    orders.coupon_reduce_amount,
    orders.feight_fee,
    orders.total_amount,
    orders.create_time,
    orders.operate_time
FROM orders
LEFT JOIN first_orders ON first_orders.user_id = orders.user_id
LEFT JOIN provinces ON provinces.id = orders.province_id
LEFT JOIN users ON users.id = orders.user_id
