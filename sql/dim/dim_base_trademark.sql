-- dim_base_trademark: trademarks (brands).
-- grain: id | sources: ods_base_trademark | snapshot, rebuilt whole
WITH trademarks AS (
    SELECT * FROM ods_base_trademark WHERE NOT is_deleted
)

SELECT id, tm_name, logo_url
FROM trademarks
