-- dim_base_province: provinces with their region.
-- grain: id | sources: ods_base_province, ods_base_region | snapshot, rebuilt whole
WITH provinces AS (
    SELECT * FROM ods_base_province WHERE NOT is_deleted
),

regions AS (
    SELECT * FROM ods_base_region WHERE NOT is_deleted
)

SELECT
    provinces.id,
    provinces.name,
    provinces.area_code,
    provinces.iso_code,
    provinces.iso_3166_2,
    provinces.region_id,
    regions.region_name
FROM provinces
LEFT JOIN regions ON regions.id = provinces.region_id
