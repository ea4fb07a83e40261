-- dim_sku_info: SKUs with their SPU, trademark and category path, so facts need one join.
-- snapshot, rebuilt whole
/*
key: [id]
columns:
  id: BIGINT NOT NULL
  spu_id: BIGINT
  price: DECIMAL(10,2)
  sku_name: STRING
  sku_desc: STRING
  weight: DECIMAL(10,2)
  create_time: TIMESTAMP
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
WITH skus AS (
    SELECT * FROM ods_sku_info WHERE NOT is_deleted
),

spus AS (
    SELECT * FROM ods_spu_info WHERE NOT is_deleted
),

trademarks AS (
    SELECT * FROM ods_base_trademark WHERE NOT is_deleted
),

category3 AS (
    SELECT * FROM ods_base_category3 WHERE NOT is_deleted
),

category2 AS (
    SELECT * FROM ods_base_category2 WHERE NOT is_deleted
),

category1 AS (
    SELECT * FROM ods_base_category1 WHERE NOT is_deleted
)

SELECT
    skus.id,
    skus.spu_id,
    skus.price,
    skus.sku_name,
    skus.sku_desc,
    skus.weight,
    skus.create_time,
    spus.spu_name,
    skus.tm_id,
    trademarks.tm_name,
    skus.category3_id,
    category3.name AS category3_name,
    category3.category2_id,
    category2.name AS category2_name,
    category2.category1_id,
    category1.name AS category1_name
FROM skus
LEFT JOIN spus ON spus.id = skus.spu_id
LEFT JOIN trademarks ON trademarks.id = skus.tm_id
LEFT JOIN category3 ON category3.id = skus.category3_id
LEFT JOIN category2 ON category2.id = category3.category2_id
LEFT JOIN category1 ON category1.id = category2.category1_id
