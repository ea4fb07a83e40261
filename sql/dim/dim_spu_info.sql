-- dim_spu_info: standard product units (a product family; its SKUs are the sellable variants).
-- snapshot, rebuilt whole
/*
key: [id]
columns:
  id: BIGINT NOT NULL
  spu_name: STRING
  description: STRING
  category3_id: BIGINT
  tm_id: BIGINT
*/
WITH spus AS (
    SELECT * FROM ods_spu_info WHERE NOT is_deleted
)

SELECT id, spu_name, description, category3_id, tm_id
FROM spus
