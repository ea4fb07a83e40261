-- dim_base_province: provinces with their region.
-- snapshot, rebuilt whole
/*
key: [id]
columns:
  id: BIGINT NOT NULL
  name: STRING
  area_code: STRING
  iso_code: STRING
  iso_3166_2: STRING
  region_id: BIGINT
  region_name: STRING
*/
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
