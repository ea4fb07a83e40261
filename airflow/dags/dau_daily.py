"""
### dau_daily
Builds one day of the app-log tables from `ods_app_log` (which the streaming ingest fills):
the dwd event tables and `dws_dau_device_day`, then `ads_dau_daily` and `ads_dau_hourly`, and checks the
day's DAU through Trino. The build writes exactly the `dt = {{ ds }}` partition of each table, all in
one Spark session.

A late event lands in its own day's partition of `ods_app_log`; the next run builds that day again
(any day of the last 30 whose input changed since it was built) and its task log says what moved.
"""

from airflow.sdk import DAG

from lakehouse_tasks import DAG_DEFAULTS, build_params, build_pipeline, check_one_row_for_day

with DAG(
    dag_id="dau_daily",
    doc_md=__doc__,
    schedule="30 1 * * *",  # UTC: the run for {{ ds }} starts at 09:30 Asia/Shanghai the next day
    params=build_params("dau"),
    **DAG_DEFAULTS,
    tags=["lakehouse", "dau"],
):
    build_pipeline("dau") >> check_one_row_for_day("ads_dau_daily", "dau > 0")
