"""The DAU dashboard page renders in a real headless Chromium, shows the DAU of the day, and is saved
as a screenshot."""

import re
import shutil
import subprocess

import matplotlib.image


def test_dashboard_renders_in_chromium_with_the_days_dau(lakehouse, reports_dir):
    day = lakehouse.days[-1]
    page = reports_dir / "dau-dashboard.html"
    screenshot = reports_dir / "dau-dashboard.png"
    screenshot.unlink(missing_ok=True)
    lakehouse.run("dashboard", "--date", str(day), "--out", str(page))

    html = page.read_text()
    (dau,) = lakehouse.query(f"SELECT dau FROM ads_dau_daily WHERE dt = DATE '{day}'")[0]
    assert re.search(r'id="dau-today" data-value="(\d+)"', html).group(1) == str(dau)
    assert html.count("<rect class='bar'") == len(lakehouse.days)

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is not installed (bin/install-deps installs it)"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1240,720", f"--screenshot={screenshot}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    pixels = matplotlib.image.imread(str(screenshot))
    assert pixels.shape[:2] == (720, 1240)
    assert pixels.std() > 0.05, "the screenshot is blank"
