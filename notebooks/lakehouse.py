"""Shared setup of the notebooks: a Trino connection to the lakehouse and a query helper.

The notebooks read the same tables people query with `bin/lakehouse query`, through Trino's
delta_lake connector, so they need no Spark and see every write at once.
"""

import os
from pathlib import Path

import pandas as pd
import trino


def connect(host: str, port: int, user: str = "notebook", catalog: str = "lakehouse", schema: str = "dau"):
    return trino.dbapi.connect(host=host, port=port, user=user, catalog=catalog, schema=schema)


def query(connection, sql: str) -> pd.DataFrame:
    """Runs one statement and returns the result as a DataFrame with Trino's column names."""
    cursor = connection.cursor()
    cursor.execute(sql)
    rows = cursor.fetchall()
    return pd.DataFrame(rows, columns=[column[0] for column in cursor.description])


def save_chart(figure, reports_dir: str, name: str) -> Path:
    """Saves a chart as reports_dir/name.png (the folder is made if needed) and returns its path."""
    folder = Path(reports_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    figure.savefig(path, dpi=100, bbox_inches="tight")
    return path


def default_reports_dir() -> str:
    return os.environ.get("LAKEHOUSE_REPORTS_DIR", str(Path(__file__).resolve().parents[1] / "reports"))
