"""How the lakehouse DAGs call the project: shared settings and the task factories. Not a DAG itself.

Every task runs the project's launcher for one table and the run's logical date, so a backfill over
any range is `airflow dags backfill` and re-running a task replaces exactly its partition (and runs
that table's data-quality checks). Which tables a pipeline builds, and in what order, comes from the
table manifest that the build derives from sql/ (`lakehouse manifest`), not from the DAG files.
"""

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from airflow.providers.common.sql.operators.sql import SQLCheckOperator
from airflow.providers.standard.operators.bash import BashOperator

# Where the project's launcher is (bin/lakehouse, or a wrapper around spark-submit on a cluster).
# The launcher reads LAKEHOUSE_CONFIG and LAKEHOUSE_* from the worker's environment.
LAKEHOUSE_BIN = os.environ.get("LAKEHOUSE_BIN", "lakehouse")
TRINO_CONN_ID = os.environ.get("LAKEHOUSE_TRINO_CONN_ID", "trino_lakehouse")
TRINO_SCHEMA = os.environ.get("LAKEHOUSE_TRINO_SCHEMA", "lakehouse.dau")
# Every table with the tables it reads: target/lakehouse-manifest.json of this checkout's build, or the
# file `lakehouse manifest` wrote when the DAGs were deployed.
MANIFEST = Path(os.environ.get("LAKEHOUSE_MANIFEST", Path(__file__).resolve().parents[2] / "target" / "lakehouse-manifest.json"))

# What every lakehouse DAG shares: one run at a time (a day's tables build on the day before's),
# no automatic catch-up (backfills are explicit), and retries for the transient failures of a cluster.
DAG_DEFAULTS = {
    "start_date": datetime(2024, 1, 1),
    "catchup": False,
    "max_active_runs": 1,
    "default_args": {
        "owner": "data-platform",
        "retries": 2,
        "retry_delay": timedelta(minutes=5),
    },
}


def build_table(table: str) -> BashOperator:
    """Builds `table` for the logical date: its dt partition, or the whole snapshot of a dimension."""
    return BashOperator(task_id=table, bash_command=f"{LAKEHOUSE_BIN} run {table} --date {{{{ ds }}}}")


def build_pipeline(pipeline: str) -> dict:
    """One task per table that a SQL job of `pipeline` builds, each downstream of the tables it reads."""
    if not MANIFEST.is_file():
        raise FileNotFoundError(f"no table manifest at {MANIFEST}: build the project (mvn package) or run "
                                f"`lakehouse manifest > FILE` and set LAKEHOUSE_MANIFEST=FILE")
    tables = [table for table in json.loads(MANIFEST.read_text())["tables"]
              if table["pipeline"] == pipeline and table["written_by"] == "sql"]
    tasks = {table["name"]: build_table(table["name"]) for table in tables}
    for table in tables:
        for read in table["reads"]:
            if read in tasks:
                tasks[read] >> tasks[table["name"]]
    return tasks


def check_one_row_for_day(table: str, condition: str = "true") -> SQLCheckOperator:
    """Fails unless Trino sees exactly one row of `table` for the logical date that meets `condition`."""
    return SQLCheckOperator(
        task_id=f"check_{table}",
        conn_id=TRINO_CONN_ID,
        sql=f"SELECT count(*) = 1 AND bool_and({condition}) FROM {TRINO_SCHEMA}.{table} WHERE dt = DATE '{{{{ ds }}}}'",
    )
