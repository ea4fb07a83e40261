-- ads_province_gmv: orders and GMV per province on a day.
-- grain: (dt, province_id) | sources: dwd_order_info | parameter: ${dt}
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
