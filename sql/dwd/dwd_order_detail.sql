-- dwd_order_detail: order lines created on a day, with the SKU's product, trademark and categories.
-- parameter: ${dt}, the line's create date (create_time in lakehouse.time-zone)
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
  source_type: STRING
  create_time: TIMESTAMP
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
*/
WITH order_lines AS (
    SELECT * FROM ods_order_detail WHERE dt = DATE'${dt}' AND NOT is_deleted
),

skus AS (
    SELECT * FROM dim_sku_info
)

SELECT
    order_lines.dt,
    order_lines.id AS order_detail_id,
    order_lines.order_id,
    order_lines.sku_id,
    order_lines.sku_name,
    order_lines.order_price,
    order_lines.sku_num,
    CAST(order_lines.order_price * order_lines.sku_num AS DECIMAL(16,2)) AS line_amount,
    order_lines.source_type,
    order_lines.create_time,
    skus.spu_id,
    skus.spu_name,
    skus.tm_id,
    skus.tm_name,
    skus.category3_id,
    skus.category3_name,
    skus.category2_id,
    skus.category2_name,
    skus.category1_id,
    skus.category1_name
FROM order_lines
LEFT JOIN skus ON skus.id = order_lines.sku_id
