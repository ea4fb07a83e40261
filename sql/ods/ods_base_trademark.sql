-- ods_base_trademark: the current state of the source table base_trademark, one row per id, applied from ods_maxwell's changes
-- by the CDC ingest. columns are the source's; the ingest adds the version of the change that wrote the row
-- (change_ts, change_xid, change_xoffset), is_deleted and changed_at. Deleted rows stay as tombstones
-- (is_deleted) so that an older change that arrives after the delete cannot bring the row back.
/*
written_by: ingest cdc
pipeline: orders
mirror_of: base_trademark
key: [id]
columns:
  id: BIGINT
  tm_name: STRING
  logo_url: STRING
*/
