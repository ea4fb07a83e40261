"""`lakehouse dashboard` writes the live page of a day as one file: opened in a real headless Chromium with
every network request refused, it draws the day's DAU and charts, and is saved as a screenshot."""

import shutil

from playwright.sync_api import sync_playwright


def test_the_exported_live_page_draws_the_days_dau_with_no_server(lakehouse, reports_dir):
    day = lakehouse.days[-1]
    exported = reports_dir / "dashboard.html"
    lakehouse.run("dashboard", "--date", str(day), "--out", str(exported))

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is not installed (bin/install-deps installs it)"
    requests = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1240, "height": 760})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(exported.as_uri())
        page.wait_for_function("document.getElementById('dau-tile').dataset.value !== ''")
        assert int(page.get_attribute("#dau-tile", "data-value")) == lakehouse.independent_dau()[day]
        assert page.text_content("#day") == str(day)
        status = page.locator("#status")
        assert status.text_content().startswith("figures of") and "failing" not in (status.get_attribute("class") or ""), \
            status.text_content()
        assert page.locator("#dau-hourly canvas").count() == 1 and page.locator("#last-days canvas").count() == 1
        page.screenshot(path=str(reports_dir / "dashboard.png"))
        browser.close()
    assert requests == [exported.as_uri()], "the file needs nothing but itself"
