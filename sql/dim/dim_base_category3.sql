-- dim_base_category3: leaf categories with their level-2 and level-1 parents.
-- snapshot, rebuilt whole
/*
key: [id]
columns:
  id: BIGINT NOT NULL
  name: STRING
  category2_id: BIGINT
  category2_name: STRING
  category1_id: BIGINT
  category1_name: STRING
*/
WITH category3 AS (
    SELECT * FROM ods_base_category3 WHERE NOT is_deleted
),

category2 AS (
    SELECT * FROM ods_base_category2 WHERE NOT is_deleted
),

category1 AS (
    SELECT * FROM ods_base_category1 WHERE NOT is_deleted
)

SELECT
    category3.id,
    category3.name,
    category3.category2_id,
    category2.name AS category2_name,
    category2.category1_id,
    category1.name AS category1_name
FROM category3
LEFT JOIN category2 ON category2.id = category3.category2_id
LEFT JOIN category1 ON category1.id = category2.category1_id
