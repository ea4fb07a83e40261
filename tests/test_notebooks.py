"""The notebooks executed headless against the lakehouse through Trino: a broken notebook (or a failed
assertion inside one) fails the build, and each leaves its charts as PNG files."""

from pathlib import Path

import papermill
import pytest

from conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
CHARTS = {
    "01_dau_exploration.ipynb": ["dau_daily_trend", "dau_hourly_vs_yesterday", "dau_split"],
    "02_orders_gmv.ipynb": ["gmv_by_day", "gmv_by_trademark", "gmv_by_province"],
}


def test_every_notebook_is_tested():
    assert sorted(path.name for path in NOTEBOOKS.glob("*.ipynb")) == sorted(CHARTS)


@pytest.mark.parametrize("notebook", sorted(CHARTS))
def test_notebook_runs_and_saves_its_charts(notebook, lakehouse, reports_dir, tmp_path):
    charts = reports_dir / Path(notebook).stem
    for old in charts.glob("*.png"):
        old.unlink()
    papermill.execute_notebook(
        str(NOTEBOOKS / notebook), str(tmp_path / notebook), cwd=str(NOTEBOOKS), kernel_name="python3",
        parameters={"trino_host": "127.0.0.1", "trino_port": lakehouse.trino_port,
                    "start_date": str(lakehouse.days[0]), "end_date": str(lakehouse.days[-1]),
                    "reports_dir": str(charts)})
    for chart in CHARTS[notebook]:
        png = charts / f"{chart}.png"
        assert png.exists() and png.stat().st_size > 5_000, f"{png} missing or empty"
