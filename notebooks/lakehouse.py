"""Shared setup of the notebooks: a Trino connection to the lakehouse and a query helper.

The notebooks read the same tables people query with `bin/lakehouse query`, through Trino's
delta_lake connector, so they need no Spark and see every write at once.
"""

import os
from pathlib import Path

import pandas as pd
import trino


def connect(host: str, port: int, user: str = "notebook", catalog: str = "lakehouse", schema: str = "dau"):
    """A connection as bin/lakehouse makes it. A Trino that asks for a password takes it over HTTPS: the
    same LAKEHOUSE_TRINO_* variables as bin/lakehouse's then give the user, the password (or the file
    holding it) and the certificates to trust (a PEM file; PKCS12 and JKS stores are Java's). They are
    read from the environment, never taken as papermill parameters, which are saved in the output. Note
    that requests lets REQUESTS_CA_BUNDLE, when set, replace the trusted file: unset it, or add the
    certificate to that bundle."""
    if os.environ.get("LAKEHOUSE_TRINO_HTTPS", "false") != "true":
        return trino.dbapi.connect(host=host, port=port, user=user, catalog=catalog, schema=schema)
    user = os.environ.get("LAKEHOUSE_TRINO_USER", user)
    password = os.environ.get("LAKEHOUSE_TRINO_PASSWORD") or _read_secret(os.environ.get("LAKEHOUSE_TRINO_PASSWORD_FILE"))
    return trino.dbapi.connect(host=host, port=port, user=user, catalog=catalog, schema=schema, http_scheme="https",
                               auth=trino.auth.BasicAuthentication(user, password) if password else trino.constants.DEFAULT_AUTH,
                               verify=os.environ.get("LAKEHOUSE_TRINO_TRUSTSTORE") or True)


def _read_secret(path: str | None) -> str | None:
    return Path(path).read_text(encoding="utf-8").strip() if path else None


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
