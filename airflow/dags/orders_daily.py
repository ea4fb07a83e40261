"""
### orders_daily
Builds the order tables for one day from the source-table mirrors (`ods_order_info`, ...) that the
CDC ingest keeps current: the dimension snapshots, `dwd_order_info` and `dwd_order_detail` for
orders created on `{{ ds }}`, the apportioned `dwd_order_wide`, and the GMV tables; then checks the
day's GMV row through Trino.

An order's later status changes reach `dwd_order_info` when its day is built again (clear the run).
"""

from airflow.sdk import DAG

from lakehouse_tasks import DAG_DEFAULTS, build_table, check_one_row_for_day

with DAG(
    dag_id="orders_daily",
    doc_md=__doc__,
    schedule="45 1 * * *",
    **DAG_DEFAULTS,
    tags=["lakehouse", "orders"],
):
    users = build_table("dim_user_info")
    provinces = build_table("dim_base_province")
    build_table("dim_base_trademark")
    build_table("dim_base_category3")
    build_table("dim_spu_info")
    skus = build_table("dim_sku_info")
    order_info = build_table("dwd_order_info")
    order_detail = build_table("dwd_order_detail")
    order_wide = build_table("dwd_order_wide")
    order_daily = build_table("ads_order_daily")
    province_gmv = build_table("ads_province_gmv")
    trademark_gmv = build_table("ads_trademark_gmv")

    [users, provinces] >> order_info
    skus >> order_detail
    [order_info, order_detail] >> order_wide >> trademark_gmv
    order_info >> [order_daily, province_gmv]
    order_daily >> check_one_row_for_day("ads_order_daily", "order_count >= 0")
