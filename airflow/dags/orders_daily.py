"""
### orders_daily
Builds the order tables for one day from the source-table mirrors (`ods_order_info`, ...) that the
CDC ingest keeps current: the dimension snapshots, `dwd_order_info` and `dwd_order_detail` for
orders created on `{{ ds }}`, the apportioned `dwd_order_wide`, and the GMV tables; then checks the
day's GMV row through Trino.

An order changed or deleted after its day was built makes that day stale: the next run builds it
again (any day of the last 30 whose input changed) and its task log says what moved.
"""

from airflow.sdk import DAG

from lakehouse_tasks import DAG_DEFAULTS, build_params, build_pipeline, check_one_row_for_day

with DAG(
    dag_id="orders_daily",
    doc_md=__doc__,
    schedule="45 1 * * *",
    params=build_params("orders"),
    **DAG_DEFAULTS,
    tags=["lakehouse", "orders"],
):
    build_pipeline("orders") >> check_one_row_for_day("ads_order_daily", "order_count >= 0")
