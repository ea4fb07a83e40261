-- ads_trademark_gmv: GMV per trademark (brand) on a day, from the apportioned order lines, so the
-- trademarks of a day add up to that day's GMV.
-- grain: (dt, tm_id) | sources: dwd_order_wide | parameter: ${dt}
WITH order_lines AS (
    SELECT * FROM dwd_order_wide WHERE dt = DATE'${dt}'
)

SELECT
    dt,
    tm_id,
    max(tm_name) AS tm_name,
    count(DISTINCT order_id) AS order_count,
    sum(sku_num) AS sku_num,
    CAST(sum(split_total_amount) AS DECIMAL(18,2)) AS gmv
FROM order_lines
GROUP BY dt, tm_id
