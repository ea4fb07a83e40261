-- ods_sku_info: the current state of the source table sku_info, one row per id, applied from ods_maxwell's changes
-- by the CDC ingest. columns are the source's; the ingest adds the version of the change that wrote the row
-- (change_ts, change_xid, change_xoffset), is_deleted and changed_at. Deleted rows stay as tombstones
-- (is_deleted) so that an older change that arrives after the delete cannot bring the row back.
/*
written_by: ingest cdc
pipeline: orders
mirror_of: sku_info
key: [id]
columns:
  id: BIGINT
  spu_id: BIGINT
  price: DECIMAL(10,2)
  sku_name: STRING
  sku_desc: STRING
  weight: DECIMAL(10,2)
  tm_id: BIGINT
  category3_id: BIGINT
  create_time: TIMESTAMP
*/
