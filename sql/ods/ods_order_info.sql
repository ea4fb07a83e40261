-- ods_order_info: the current state of the source table order_info, one row per id, applied from ods_maxwell's changes
-- by the CDC ingest. columns are the source's; the ingest adds the version of the change that wrote the row
-- (change_ts, change_xid, change_xoffset), is_deleted and changed_at. Deleted rows stay as tombstones
-- (is_deleted) so that an older change that arrives after the delete cannot bring the row back.
-- Partitioned by the date of create_time, which never changes, so a batch's write reads only the days it touches.
/*
written_by: ingest cdc
pipeline: orders
mirror_of: order_info
key: [id]
partitioned_by: [dt]
columns:
  id: BIGINT
  consignee: STRING
  consignee_tel: STRING
  user_id: BIGINT
  province_id: BIGINT
  order_status: STRING
  payment_way: STRING
  out_trade_no: STRING
  original_total_amount: DECIMAL(16,2)
  activity_reduce_amount: DECIMAL(16,2)
  coupon_reduce_amount: DECIMAL(16,2)
  feight_fee: DECIMAL(16,2)
  total_amount: DECIMAL(16,2)
  create_time: TIMESTAMP
  operate_time: TIMESTAMP
*/
