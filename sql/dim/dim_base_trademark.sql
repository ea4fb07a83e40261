-- dim_base_trademark: trademarks (brands).
-- snapshot, rebuilt whole
/*
key: [id]
columns:
  id: BIGINT NOT NULL
  tm_name: STRING
  logo_url: STRING
*/
WITH trademarks AS (
    SELECT * FROM ods_base_trademark WHERE NOT is_deleted
)

SELECT id, tm_name, logo_url
FROM trademarks
