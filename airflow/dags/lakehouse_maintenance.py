"""
### lakehouse_maintenance
Weekly housekeeping of every Delta table: OPTIMIZE compacts the small files that micro-batches and
daily overwrites leave, VACUUM deletes files no table version of the last 7 days needs. 168 hours is
Delta's own minimum: a running stream, a long query or time travel may still read younger files, so
the launcher refuses less. Neither step changes any query result.
"""

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

from lakehouse_tasks import DAG_DEFAULTS, LAKEHOUSE_BIN

with DAG(
    dag_id="lakehouse_maintenance",
    doc_md=__doc__,
    schedule="0 4 * * 0",
    **DAG_DEFAULTS,
    tags=["lakehouse", "maintenance"],
):
    # one task, table by table: OPTIMIZE, then VACUUM of the same table
    BashOperator(task_id="optimize_and_vacuum_all", bash_command=f"{LAKEHOUSE_BIN} maintain all --retain-hours 168")
