"""The DAGs loaded and run by real Airflow: they import, have the intended task graph, and a run of
dau_daily rebuilds a day whose DAU equals the count made here from the raw messages."""

import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from airflow.dag_processing.dagbag import BundleDagBag

from conftest import DAGS


@pytest.fixture(scope="module")
def dagbag():
    # what Airflow's DAG processor does: the bundle folder is on sys.path, so lakehouse_tasks imports
    return BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS)


def upstream(dag, task_id):
    return set(dag.get_task(task_id).upstream_task_ids)


def test_every_dag_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == {"dau_daily", "orders_daily", "lakehouse_maintenance"}
    for dag in dagbag.dags.values():
        assert dag.doc_md, f"{dag.dag_id} has no doc_md"
        assert dag.default_args["retries"] >= 1
        assert not dag.catchup


def test_dau_daily_builds_each_table_after_the_tables_it_reads(dagbag):
    dag = dagbag.dags["dau_daily"]
    assert upstream(dag, "dws_dau_device_day") == {"dwd_start_log", "dwd_page_log"}
    assert upstream(dag, "ads_dau_daily") == {"dws_dau_device_day"}
    assert upstream(dag, "ads_dau_hourly") == {"dws_dau_device_day"}
    assert upstream(dag, "check_ads_dau_daily") == {"ads_dau_daily"}
    for task_id in ["dwd_display_log", "dwd_action_log", "dwd_error_log"]:
        assert upstream(dag, task_id) == set()
    for task in dag.tasks:
        if not task.task_id.startswith("check_"):
            assert task.bash_command.endswith(f"run {task.task_id} --date {{{{ ds }}}}")


def test_orders_daily_builds_dimensions_then_facts_then_gmv(dagbag):
    dag = dagbag.dags["orders_daily"]
    assert upstream(dag, "dwd_order_info") == {"dim_user_info", "dim_base_province"}
    assert upstream(dag, "dwd_order_detail") == {"dim_sku_info"}
    assert upstream(dag, "dwd_order_wide") == {"dwd_order_info", "dwd_order_detail"}
    assert upstream(dag, "ads_trademark_gmv") == {"dwd_order_wide"}
    assert upstream(dag, "ads_order_daily") == {"dwd_order_info"}
    assert upstream(dag, "ads_province_gmv") == {"dwd_order_info"}
    assert upstream(dag, "check_ads_order_daily") == {"ads_order_daily"}


def test_maintenance_never_vacuums_below_seven_days(dagbag):
    task = dagbag.dags["lakehouse_maintenance"].get_task("optimize_and_vacuum_all")
    assert "--retain-hours 168" in task.bash_command


def test_a_dau_daily_run_rebuilds_the_day_with_the_true_dau(lakehouse, dagbag, monkeypatch):
    day = lakehouse.days[-1]
    expected = lakehouse.independent_dau()[day]
    (versions_before,) = lakehouse.query("SELECT count(*) FROM \"ads_dau_daily$history\"")[0]

    monkeypatch.setenv("LAKEHOUSE_CONFIG", str(lakehouse.config))
    monkeypatch.setenv("AIRFLOW_CONN_TRINO_LAKEHOUSE", f"trino://airflow@127.0.0.1:{lakehouse.trino_port}/")
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True, capture_output=True, env=os.environ)
    run = dagbag.dags["dau_daily"].test(logical_date=datetime(day.year, day.month, day.day, tzinfo=timezone.utc))

    assert str(run.state) in ("success", "DagRunState.SUCCESS"), run.state
    (versions_after,) = lakehouse.query("SELECT count(*) FROM \"ads_dau_daily$history\"")[0]
    assert versions_after > versions_before, "the run wrote ads_dau_daily"
    assert lakehouse.query(f"SELECT dau FROM ads_dau_daily WHERE dt = DATE '{day}'") == [[expected]]
