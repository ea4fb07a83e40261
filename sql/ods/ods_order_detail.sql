-- ods_order_detail: the current state of the source table order_detail, one row per id, applied from ods_maxwell's changes
-- by the CDC ingest. columns are the source's; the ingest adds the version of the change that wrote the row
-- (change_ts, change_xid, change_xoffset), is_deleted and changed_at. Deleted rows stay as tombstones
-- (is_deleted) so that an older change that arrives after the delete cannot bring the row back.
-- Partitioned by the date of create_time, which never changes, so a batch's write reads only the days it touches.
/*
written_by: ingest cdc
pipeline: orders
mirror_of: order_detail
key: [id]
partitioned_by: [dt]
columns:
  id: BIGINT
  order_id: BIGINT
  sku_id: BIGINT
  sku_name: STRING
  order_price: DECIMAL(10,2)
  sku_num: BIGINT
  source_type: STRING
  create_time: TIMESTAMP
*/
