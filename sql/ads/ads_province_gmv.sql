-- ads_province_gmv: orders and GMV per province on a day.
-- parameter: ${dt}
/*
key: [dt, province_id]
partitioned_by: [dt]
columns:
  dt: DATE NOT NULL
  province_id: BIGINT
  province_name: STRING
  region_name: STRING
  province_iso_3166_2: STRING
  order_count: BIGINT NOT NULL
  ordering_user_count: BIGINT NOT NULL
  gmv: DECIMAL(18,2)
*/
WITH orders AS (
    SELECT * FROM dwd_order_info WHERE dt = DATE'${dt}'
)

SELECT
    dt,
    province_id,
    max(province_name) AS province_name,
    max(region_name) AS region_name,
    max(province_iso_3166_2) AS province_iso_3166_2,
    count(*) AS order_count,
    count(DISTINCT user_id) AS ordering_user_count,
    CAST(sum(total_amount) AS DECIMAL(18,2)) AS gmv
FROM orders
GROUP BY dt, province_id
