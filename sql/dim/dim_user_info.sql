-- dim_user_info: the users as the source database has them now (deleted users dropped).
-- snapshot, rebuilt whole
/*
key: [id]
columns:
  id: BIGINT NOT NULL
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
WITH users AS (
    SELECT * FROM ods_user_info WHERE NOT is_deleted
)

SELECT id, login_name, nick_name, name, phone_num, email, user_level, birthday, gender, create_time, operate_time
FROM users
