"""How the lakehouse DAGs call the project: shared settings and the task factories. Not a DAG itself.

A pipeline's day is one task: the project's launcher builds every table of the pipeline for the run's
logical date in one JVM and one Spark session, each table after the tables it reads (the order comes
from sql/, not from the DAG files), and runs each table's data-quality checks. One task per table would
pay a JVM and Spark start per table, several times the work itself. A backfill over any range is
`airflow dags backfill`; re-running the task replaces exactly the day's partitions, and each run also
builds again the earlier days whose inputs changed since they were built. To rebuild only
some tables of a day, trigger the DAG with `{"tables": "dws_dau_device_day ads_dau_daily"}` (or run
`lakehouse run TABLE... --date D` by hand).
"""

import os
from datetime import datetime, timedelta

from airflow.providers.common.sql.operators.sql import SQLCheckOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import Param

# Where the project's launcher is (bin/lakehouse, or a wrapper around spark-submit on a cluster).
# The launcher reads LAKEHOUSE_CONFIG and LAKEHOUSE_* from the worker's environment.
LAKEHOUSE_BIN = os.environ.get("LAKEHOUSE_BIN", "lakehouse")
TRINO_CONN_ID = os.environ.get("LAKEHOUSE_TRINO_CONN_ID", "trino_lakehouse")
TRINO_SCHEMA = os.environ.get("LAKEHOUSE_TRINO_SCHEMA", "lakehouse.dau")
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


def build_params(pipeline: str) -> dict:
    """The DAG parameter naming what a run builds: the whole pipeline unless a trigger names tables."""
    return {"tables": Param(pipeline, type="string", pattern=r"^[a-z0-9_]+( [a-z0-9_]+)*$",
                            description="tables to build, or the pipeline's name for all of them")}


def build_pipeline(pipeline: str) -> BashOperator:
    """The tables of `pipeline` (or those the run's `tables` parameter names) for the logical date."""
    return BashOperator(task_id=f"build_{pipeline}",
                        bash_command=f"{LAKEHOUSE_BIN} run {{{{ params.tables }}}} --date {{{{ ds }}}}")


def check_one_row_for_day(table: str, condition: str = "true") -> SQLCheckOperator:
    """Fails unless Trino sees exactly one row of `table` for the logical date that meets `condition`."""
    return SQLCheckOperator(
        task_id=f"check_{table}",
        conn_id=TRINO_CONN_ID,
        sql=f"SELECT count(*) = 1 AND bool_and({condition}) FROM {TRINO_SCHEMA}.{table} WHERE dt = DATE '{{{{ ds }}}}'",
    )
