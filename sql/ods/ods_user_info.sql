-- ods_user_info: the current state of the source table user_info, one row per id, applied from ods_maxwell's changes
-- by the CDC ingest. columns are the source's; the ingest adds the version of the change that wrote the row
-- (change_ts, change_xid, change_xoffset), is_deleted and changed_at. Deleted rows stay as tombstones
-- (is_deleted) so that an older change that arrives after the delete cannot bring the row back.
/*
written_by: ingest cdc
pipeline: orders
mirror_of: user_info
key: [id]
columns:
  id: BIGINT
  login_name: STRING
  nick_name: STRING
  name: STRING
  phone_num: STRING
  email: STRING
  user_level: STRING
  birthday: DATE
  gender: STRING
  create_time: TIMESTAMP
  operate_time: TIMESTAMP
*/
