-- app_log_with_device: ods_app_log's rows with the device fields of each message (log.common) as the
-- columns the app-log tables name them, mapped here once. Not a table: an entry that reads these columns
-- names this file in its header (ctes: [app_log_with_device]) and reads app_log_with_device instead of
-- ods_app_log; the loader puts this SELECT in front of the entry's as a CTE of that name, so whatever stands
-- for ods_app_log there (the table, or the live ingest's micro-batch) is what this reads.
SELECT
    *,
    log.common.ar            AS area_code,
    log.common.ba            AS brand,
    log.common.ch            AS channel,
    log.common.is_new = '1'  AS is_new,
    log.common.md            AS model,
    log.common.os            AS operating_system,
    log.common.vc            AS app_version
FROM ods_app_log
