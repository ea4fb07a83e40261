-- dim_user_info: the users as the source database has them now (deleted users dropped).
-- grain: id | sources: ods_user_info (mirror, newest change per id wins) | snapshot, rebuilt whole
WITH users AS (
    SELECT * FROM ods_user_info WHERE NOT is_deleted
)

SELECT id, login_name, nick_name, name, phone_num, email, user_level, birthday, gender, create_time, operate_time
FROM users
