-- dim_spu_info: standard product units (a product family; its SKUs are the sellable variants).
-- grain: id | sources: ods_spu_info | snapshot, rebuilt whole
WITH spus AS (
    SELECT * FROM ods_spu_info WHERE NOT is_deleted
)

SELECT id, spu_name, description, category3_id, tm_id
FROM spus
