-- dim_sku_info: SKUs with their SPU, trademark and category path, so facts need one join.
-- grain: id | sources: ods_sku_info, ods_spu_info, ods_base_trademark, ods_base_category3/2/1
-- snapshot, rebuilt whole
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
