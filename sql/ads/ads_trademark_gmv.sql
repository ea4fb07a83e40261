-- ads_trademark_gmv: GMV per trademark (brand) on a day, from the apportioned order lines, so the
-- trademarks of a day add up to that day's GMV.
-- parameter: ${dt}
/*
key: [dt, tm_id]
partitioned_by: [dt]
columns:
  dt: DATE NOT NULL
  tm_id: BIGINT
  tm_name: STRING
  order_count: BIGINT NOT NULL
  sku_num: BIGINT NOT NULL
  gmv: DECIMAL(18,2)
checks:
  trademarks_add_up_to_the_day_gmv: |
    SELECT trademarks.gmv AS trademark_gmv, orders.gmv AS gmv_of_orders_with_lines
    FROM (SELECT sum(gmv) AS gmv FROM ads_trademark_gmv WHERE dt = DATE'${dt}') trademarks,
         (SELECT sum(total_amount) AS gmv FROM dwd_order_info
          WHERE dt = DATE'${dt}' AND order_id IN (SELECT order_id FROM dwd_order_detail WHERE dt = DATE'${dt}')) orders
    WHERE trademarks.gmv IS DISTINCT FROM orders.gmv
  orders_without_lines: |
    SELECT order_id, total_amount FROM dwd_order_info
    WHERE dt = DATE'${dt}' AND order_id NOT IN (SELECT order_id FROM dwd_order_detail WHERE dt = DATE'${dt}')
    ORDER BY order_id
# an order without lines is the source's own data (it has GMV but no trademark): reported, not fatal
warning_checks: [orders_without_lines]
*/
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
