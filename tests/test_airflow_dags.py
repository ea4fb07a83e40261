"""The DAGs loaded and run by real Airflow: they import, have the intended task graph, and a run of
dau_daily rebuilds a day whose DAU equals the count made here from the raw messages."""

import json
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from airflow.dag_processing.dagbag import BundleDagBag
from airflow.exceptions import ParamValidationError

from conftest import DAGS, ROOT

MANIFEST = ROOT / "target" / "lakehouse-manifest.json"


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


@pytest.mark.parametrize("dag_id, pipeline, checked", [("dau_daily", "dau", "ads_dau_daily"),
                                                       ("orders_daily", "orders", "ads_order_daily")])
def test_each_dag_builds_its_pipeline_in_one_task_then_checks_the_day(dagbag, dag_id, pipeline, checked):
    dag = dagbag.dags[dag_id]
    assert {task.task_id for task in dag.tasks} == {f"build_{pipeline}", f"check_{checked}"}
    assert dag.get_task(f"build_{pipeline}").bash_command.endswith("run {{ params.tables }} --date {{ ds }}")
    assert upstream(dag, f"check_{checked}") == {f"build_{pipeline}"}
    tables = dag.params.get_param("tables")
    assert tables.resolve() == pipeline
    tables.resolve("dws_dau_device_day ads_dau_daily")  # a trigger may name tables
    with pytest.raises(ParamValidationError):
        tables.resolve("ads_dau_daily; rm -rf /")  # but nothing the shell would run


def test_the_manifest_is_what_the_launcher_prints(lakehouse):
    assert json.loads(lakehouse.run("manifest")) == json.loads(MANIFEST.read_text())


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
