"""Shared fixtures of the Python end-to-end tests (Airflow DAGs, notebooks, dashboard).

One small lakehouse is built by the project's own `bin/lakehouse demo` (real Kafka, MariaDB, Maxwell
and Spark) and served by a real Trino started with `bin/lakehouse trino start`; every test reads it.
"""

import json
import os
import socket
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import trino

ROOT = Path(__file__).resolve().parents[1]
LAKEHOUSE = ROOT / "bin" / "lakehouse"
DAGS = ROOT / "airflow" / "dags"
ZONE = ZoneInfo("Asia/Shanghai")

# Airflow reads its configuration when it is first imported: a throwaway home, our DAGs, no examples.
os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="airflow-home-"))
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
# the DAGs' tasks call this checkout's launcher
os.environ["LAKEHOUSE_BIN"] = str(LAKEHOUSE)


@dataclass(frozen=True)
class Lakehouse:
    config: Path
    trino_port: int
    days: list

    @property
    def env(self) -> dict:
        return {**os.environ, "LAKEHOUSE_CONFIG": str(self.config)}

    @property
    def launcher(self) -> Path:
        return LAKEHOUSE

    def setting(self, key: str) -> str:
        """The value of `key` in this lakehouse's config file, the last one given, as Java's Properties reads it."""
        return [line.split("=", 1)[1] for line in self.config.read_text().splitlines() if line.startswith(key + "=")][-1]

    def with_config(self, config: Path) -> "Lakehouse":
        """The same lakehouse seen through another config file (e.g. another broker or checkpoint root)."""
        return replace(self, config=config)

    def run(self, *args: str) -> str:
        """Runs bin/lakehouse with this lakehouse's config; fails the test with its output if it fails."""
        result = subprocess.run([str(LAKEHOUSE), *args], env=self.env, capture_output=True, text=True)
        assert result.returncode == 0, f"lakehouse {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def query(self, sql: str) -> list:
        connection = trino.dbapi.connect(host="127.0.0.1", port=self.trino_port, user="tests",
                                         catalog="lakehouse", schema="dau")
        cursor = connection.cursor()
        cursor.execute(sql)
        return cursor.fetchall()

    def first_activities(self) -> dict:
        """{day: {mid: (ts, is_new)}} computed here from the raw messages: each device's first start or
        session-opening page of each day."""
        first = defaultdict(dict)
        for (raw,) in self.query("SELECT raw FROM ods_app_log"):
            log = json.loads(raw)
            if "start" in log or ("page" in log and "last_page_id" not in log["page"]):
                day = datetime.fromtimestamp(log["ts"] / 1000, ZONE).date()
                mid = log["common"]["mid"]
                if mid not in first[day] or log["ts"] < first[day][mid][0]:
                    first[day][mid] = (log["ts"], log["common"].get("is_new") == "1")
        return first

    def independent_dau(self) -> dict:
        """DAU per day computed here from the raw messages."""
        return {day: len(devices) for day, devices in self.first_activities().items()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def lakehouse(tmp_path_factory) -> Lakehouse:
    work = tmp_path_factory.mktemp("lakehouse")
    port = free_port()
    config = work / "lakehouse.properties"
    config.write_text("\n".join([
        f"lakehouse.table-root={work}/demo/tables",
        f"lakehouse.checkpoint-root={work}/demo/checkpoints",
        f"lakehouse.run-dir={work}/run",
        f"trino.port={port}",
        "",
    ]))
    house = Lakehouse(config=config, trino_port=port, days=[])
    house.run("demo", "--devices", "60", "--days", "2",
              "--users", "30", "--orders-per-day", "15")
    house.run("trino", "start")
    days = sorted(row[0] for row in house.query("SELECT DISTINCT dt FROM ads_dau_daily"))
    yield Lakehouse(config=config, trino_port=port, days=days)
    house.run("trino", "stop")


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    folder = Path(os.environ.get("LAKEHOUSE_REPORTS_DIR", ROOT / "reports"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
