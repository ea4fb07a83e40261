-- The business database the order path captures (a trimmed gmall schema): users, the catalogue and
-- orders. Maxwell reads its binlog; the order generator writes to it. Amounts are DECIMAL and times
-- are local DATETIMEs in lakehouse.time-zone, as the shop's application writes them.
-- Order amounts: original_total_amount = sum(order_price * sku_num) of the order's lines and
-- total_amount = original_total_amount - activity_reduce_amount - coupon_reduce_amount + feight_fee.

CREATE TABLE IF NOT EXISTS user_info (
  id           BIGINT       NOT NULL PRIMARY KEY,
  login_name   VARCHAR(200) NOT NULL,
  nick_name    VARCHAR(200),
  name         VARCHAR(200),
  phone_num    VARCHAR(200),
  email        VARCHAR(200),
  user_level   VARCHAR(20),
  birthday     DATE,
  gender       VARCHAR(1),
  create_time  DATETIME     NOT NULL,
  operate_time DATETIME
) DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS base_region (
  id          BIGINT       NOT NULL PRIMARY KEY,
  region_name VARCHAR(20)  NOT NULL
) DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS base_province (
  id         BIGINT       NOT NULL PRIMARY KEY,
  name       VARCHAR(20)  NOT NULL,
  region_id  BIGINT       NOT NULL,
  area_code  VARCHAR(20),
  iso_code   VARCHAR(20),
  iso_3166_2 VARCHAR(20)
) DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS base_trademark (
  id       BIGINT       NOT NULL PRIMARY KEY,
  tm_name  VARCHAR(100) NOT NULL,
  logo_url VARCHAR(200)
) DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS base_category1 (
  id   BIGINT      NOT NULL PRIMARY KEY,
  name VARCHAR(10) NOT NULL
) DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS base_category2 (
  id           BIGINT       NOT NULL PRIMARY KEY,
  name         VARCHAR(200) NOT NULL,
  category1_id BIGINT       NOT NULL
) DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS base_category3 (
  id           BIGINT       NOT NULL PRIMARY KEY,
  name         VARCHAR(200) NOT NULL,
  category2_id BIGINT       NOT NULL
) DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS spu_info (
  id           BIGINT       NOT NULL PRIMARY KEY,
  spu_name     VARCHAR(200) NOT NULL,
  description  VARCHAR(1000),
  category3_id BIGINT       NOT NULL,
  tm_id        BIGINT       NOT NULL
) DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS sku_info (
  id           BIGINT        NOT NULL PRIMARY KEY,
  spu_id       BIGINT        NOT NULL,
  price        DECIMAL(10,2) NOT NULL,
  sku_name     VARCHAR(200)  NOT NULL,
  sku_desc     VARCHAR(2000),
  weight       DECIMAL(10,2),
  tm_id        BIGINT        NOT NULL,
  category3_id BIGINT        NOT NULL,
  create_time  DATETIME      NOT NULL
) DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS order_info (
  id                     BIGINT        NOT NULL PRIMARY KEY,
  consignee              VARCHAR(100),
  consignee_tel          VARCHAR(20),
  user_id                BIGINT        NOT NULL,
  province_id            BIGINT        NOT NULL,
  order_status           VARCHAR(20)   NOT NULL,
  payment_way            VARCHAR(20),
  out_trade_no           VARCHAR(50),
  original_total_amount  DECIMAL(16,2) NOT NULL,
  activity_reduce_amount DECIMAL(16,2) NOT NULL,
  coupon_reduce_amount   DECIMAL(16,2) NOT NULL,
  feight_fee             DECIMAL(16,2) NOT NULL,
  total_amount           DECIMAL(16,2) NOT NULL,
  create_time            DATETIME      NOT NULL,
  operate_time           DATETIME
) DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS order_detail (
  id          BIGINT        NOT NULL PRIMARY KEY,
  order_id    BIGINT        NOT NULL,
  sku_id      BIGINT        NOT NULL,
  sku_name    VARCHAR(200)  NOT NULL,
  order_price DECIMAL(10,2) NOT NULL,
  sku_num     BIGINT        NOT NULL,
  source_type VARCHAR(20),
  create_time DATETIME      NOT NULL,
  KEY order_detail_order (order_id)
) DEFAULT CHARSET = utf8mb4;
