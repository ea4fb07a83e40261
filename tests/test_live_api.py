"""The query API (`bin/lakehouse serve`) over HTTP, against figures computed here from the raw messages,
and the live page in a real headless Chromium moving by itself when new devices open the app."""

import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import yaml
from playwright.sync_api import sync_playwright
from prometheus_client.parser import text_string_to_metric_families

from conftest import ZONE, free_port


class Api:
    def __init__(self, base: str):
        self.base = base

    def get(self, path: str):
        """(status, parsed JSON body) of a GET."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=60) as response:
                return response.status, json.loads(response.read(), parse_float=Decimal)
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


def serve(lakehouse, config=None):
    """Starts `lakehouse serve` on a free port; returns the process and its Api once it answers."""
    port = free_port()
    env = dict(lakehouse.env)
    if config:
        env["LAKEHOUSE_CONFIG"] = str(config)
    process = subprocess.Popen([str(lakehouse.launcher), "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, f"serve exited:\n{process.stdout.read()}"
        try:
            urllib.request.urlopen(base + "/openapi.yaml", timeout=5).close()
            return process, Api(base)
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise AssertionError("serve did not answer within 120 s")


def stop(process):
    process.terminate()
    process.wait(timeout=60)


@pytest.fixture(scope="module")
def api(lakehouse):
    process, client = serve(lakehouse)
    yield client
    stop(process)


def current_orders(lakehouse) -> list:
    """The source's order_info rows as they stand, replayed here from Maxwell's raw changes."""
    newest = {}
    for (raw,) in lakehouse.query("SELECT raw FROM ods_maxwell WHERE table_name = 'order_info'"):
        change = json.loads(raw, parse_float=Decimal)
        if change["type"] in ("bootstrap-start", "bootstrap-complete"):
            continue
        version = (change["ts"], change.get("xid") or 0, change.get("xoffset") or 0)
        order_id = change["data"]["id"]
        if order_id not in newest or version > newest[order_id][0]:
            newest[order_id] = (version, change)
    return [change["data"] for _, change in newest.values() if change["type"] != "delete"]


def orders_by_day(lakehouse) -> dict:
    """{day: number of orders} from the replayed orders, by create_time."""
    counts = defaultdict(int)
    for order in current_orders(lakehouse):
        counts[datetime.strptime(order["create_time"], "%Y-%m-%d %H:%M:%S").date()] += 1
    return counts


def gmv_by_day_and_hour(lakehouse) -> dict:
    """{day: {hour: GMV}} from the replayed orders, by create_time."""
    gmv = defaultdict(lambda: defaultdict(Decimal))
    for order in current_orders(lakehouse):
        created = datetime.strptime(order["create_time"], "%Y-%m-%d %H:%M:%S")
        gmv[created.date()][created.hour] += Decimal(str(order["total_amount"]))
    return gmv


def by_hour(counts: dict) -> dict:
    return {f"{hour:02d}": value for hour, value in sorted(counts.items()) if value}


def test_realtime_total_and_hours_match_the_raw_messages_for_every_day_and_today(lakehouse, api):
    activities = lakehouse.first_activities()
    gmv = gmv_by_day_and_hour(lakehouse)
    today = datetime.now(ZONE).date()
    # the demo ingests today so far: some devices, or none just after midnight
    for day in [*lakehouse.days, today]:
        status, totals = api.get(f"/realtime-total?date={day}")
        assert status == 200
        assert totals == [
            {"id": "dau", "name": "新增日活", "value": len(activities[day])},
            {"id": "new_mid", "name": "新增设备", "value": sum(is_new for _, is_new in activities[day].values())},
            {"id": "order_amount", "name": "新增交易额", "value": sum(gmv[day].values(), Decimal("0.00"))},
        ], day

        devices_by_hour = defaultdict(int)
        yesterday_by_hour = defaultdict(int)
        for counts, of_day in ((devices_by_hour, day), (yesterday_by_hour, day - timedelta(days=1))):
            for ts, _ in activities[of_day].values():
                counts[datetime.fromtimestamp(ts / 1000, ZONE).hour] += 1
        assert api.get(f"/realtime-hour?id=dau&date={day}") == (
            200, {"today": by_hour(devices_by_hour), "yesterday": by_hour(yesterday_by_hour)})
        assert api.get(f"/realtime-hour?id=order_amount&date={day}") == (
            200, {"today": by_hour(gmv[day]), "yesterday": by_hour(gmv[day - timedelta(days=1)])})

    # without a date: today
    assert api.get("/realtime-total")[1][0]["value"] == len(activities[today])
    status, daily = api.get(f"/daily?date={today}&days=7")
    assert status == 200
    orders = orders_by_day(lakehouse)
    days = [today - timedelta(days=back) for back in range(6, -1, -1)]
    assert daily == [{"date": str(day), "dau": len(activities.get(day, {})), "order_count": orders.get(day, 0),
                      "order_amount": sum(gmv[day].values(), Decimal("0.00"))} for day in days]


def test_trademarks_and_user_groups_add_up_to_the_days_gmv(lakehouse, api):
    gmv = gmv_by_day_and_hour(lakehouse)
    first, last = lakehouse.days[0], lakehouse.days[-1]
    period_gmv = sum((sum(gmv[day].values(), Decimal(0)) for day in lakehouse.days), Decimal(0))
    status, trademarks = api.get(f"/trademark-sum?start_date={first}&end_date={last}&topN=100")
    assert status == 200
    assert sum(entry["amount"] for entry in trademarks) == period_gmv
    amounts = [entry["amount"] for entry in trademarks]
    assert amounts == sorted(amounts, reverse=True)
    assert api.get(f"/trademark-sum?start_date={first}&end_date={last}&topN=2") == (200, trademarks[:2])

    for item in ("gender", "age"):
        status, groups = api.get(f"/stats-by-item?date={last}&item={item}")
        assert status == 200 and len(groups) >= 2
        assert sum(group["value"] for group in groups) == sum(gmv[last].values(), Decimal(0)), item


@pytest.mark.parametrize("path, named", [
    ("/realtime-total?date=2026-02-30", "date"),
    ("/realtime-hour?date=2026-01-01", "id"),
    ("/realtime-hour?id=gmv", "id"),
    ("/trademark-sum?start_date=2026-01-02&end_date=2026-01-01", "end_date"),
    ("/trademark-sum?start_date=2026-01-01&end_date=2026-01-02&topN=0", "topN"),
    ("/stats-by-item?item=height", "item"),
    ("/daily?days=many", "days"),
])
def test_a_bad_parameter_gets_400_naming_it(api, path, named):
    status, body = api.get(path)
    assert status == 400
    assert body["error"].startswith(named + " "), body


def test_trino_unreachable_gets_503(lakehouse, tmp_path):
    config = tmp_path / "no-trino.properties"
    config.write_text(lakehouse.config.read_text() + f"trino.port={free_port()}\n")
    process, client = serve(lakehouse, config)
    try:
        status, body = client.get("/realtime-total")
        assert status == 503
        assert "cannot reach Trino" in body["error"]
        status, health = client.get("/health")
        assert status == 503
        assert [problem for problem in health["problems"] if problem.startswith("Trino does not answer")], health
    finally:
        stop(process)


def test_a_token_guards_the_figures_and_the_page_passes_it_on(lakehouse, tmp_path):
    token = "tok-" + str(free_port()) + "-secret"
    token_file = tmp_path / "serve.token"
    token_file.write_text(token + "\n")
    config = tmp_path / "token.properties"
    config.write_text(lakehouse.config.read_text() + f"serve.token-file={token_file}\n")
    process, client = serve(lakehouse, config)
    try:
        status, body = client.get("/realtime-total")
        assert status == 401 and "bearer token" in body["error"] and token not in body["error"]
        assert client.get("/metrics")[0] == 401
        assert client.get("/health")[0] in (200, 503), "health stays open for load balancers"
        request = urllib.request.Request(client.base + "/realtime-total", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
        wrong = urllib.request.Request(client.base + "/daily", headers={"Authorization": f"Bearer {token}x"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(wrong, timeout=60)
        assert refused.value.code == 401

        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(client.base + f"/?token={token}&refresh=1")
            page.wait_for_function("document.getElementById('dau-tile').dataset.value !== ''")
            browser.close()
    finally:
        stop(process)
    assert token not in process.stdout.read(), "the token is never printed"


def test_health_and_metrics_say_how_the_pipeline_is(lakehouse, tmp_path):
    # the demo's streams ran on its own broker, with their checkpoints (and what they reported) under its run folder
    run_dir = lakehouse.setting("lakehouse.run-dir")
    config = tmp_path / "demo-streams.properties"
    config.write_text(lakehouse.config.read_text() + f"lakehouse.checkpoint-root={run_dir}/demo/checkpoints\n")
    process, client = serve(lakehouse, config)
    try:
        status, health = client.get("/health")
        assert status == 200 and health["healthy"] and health["problems"] == [], health
        # the demo's drains stopped cleanly, having reported beside their checkpoints
        drained = health["streams"]["ingest_app_log"]
        assert drained["stopped_at_ms"] is not None and drained["failure"] is None
        assert drained["offsets_behind_latest"] == 0

        with urllib.request.urlopen(client.base + "/metrics", timeout=60) as response:
            assert response.headers["Content-Type"].startswith("text/plain")
            families = {family.name: family for family in text_string_to_metric_families(response.read().decode())}
        input_rows = {sample.labels["query"]: sample.value
                      for sample in families["lakehouse_stream_last_batch_input_rows"].samples}
        assert input_rows["ingest_app_log"] == drained["last_batch_input_rows"] > 0
        assert set(input_rows) >= {"ingest_app_log", "ingest_app_log_live", "ingest_cdc"}
        assert [sample.value for sample in families["lakehouse_trino_up"].samples] == [1]
        rejected = {sample.labels["source"]: sample.value for sample in families["lakehouse_rejected_messages"].samples
                    if sample.name.endswith("_total")}
        assert rejected == {source: count for source, count in
                            lakehouse.query("SELECT source, count(*) FROM ods_rejected GROUP BY 1")}
        assert rejected["app_log"] > 0, "the demo's generator sends malformed messages"
        # the demo's nightly runs kept how each table's builds went beside the tables
        last_day = health["tables"]["ads_dau_daily"]["last_day_built"]
        assert last_day == str(lakehouse.days[-1]) and health["tables"]["ads_dau_daily"]["errors"] == {}
        ages = {sample.labels["table"]: sample.value for sample in families["lakehouse_table_last_day_built_age_days"].samples}
        assert ages["ads_dau_daily"] == (datetime.now(ZONE).date() - lakehouse.days[-1]).days
        assert families["lakehouse_api_trino_queries"].type == "counter"
    finally:
        stop(process)


def test_the_openapi_description_lists_what_the_server_answers(api):
    with urllib.request.urlopen(api.base + "/openapi.yaml") as response:
        description = yaml.safe_load(response.read())
    assert set(description["paths"]) == {"/realtime-total", "/realtime-hour", "/trademark-sum", "/stats-by-item", "/daily",
                                         "/health", "/metrics"}
    yesterday = date.today() - timedelta(days=1)
    samples = {"id": "dau", "item": "gender", "start_date": yesterday, "end_date": yesterday}
    shared = description["components"]["parameters"]
    for path in set(description["paths"]) - {"/metrics"}:  # /metrics is text, read by the test above
        # each endpoint refuses parameters it does not take, so it gets only its own, as the description lists them
        names = [shared[parameter["$ref"].rsplit("/", 1)[1]]["name"] if "$ref" in parameter else parameter["name"]
                 for parameter in description["paths"][path]["get"].get("parameters", [])]
        query = "&".join(f"{name}={samples[name]}" for name in names if name in samples)
        status, _ = api.get(f"{path}?{query}")
        assert status == 200, path


def test_the_live_page_moves_by_itself_when_devices_open_the_app(lakehouse, api, reports_dir, tmp_path):
    # the page's own stream: a fresh broker and checkpoint, writing the demo's tables
    config = tmp_path / "live.properties"
    config.write_text(lakehouse.config.read_text() + "\n".join([
        f"kafka.bootstrap.servers=127.0.0.1:{free_port()}",
        f"lakehouse.checkpoint-root={tmp_path}/checkpoints",
        f"lakehouse.run-dir={tmp_path}/run",
        ""]))
    live = lakehouse.with_config(config)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is not installed (bin/install-deps installs it)"
    live.run("kafka", "start")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1240, "height": 760})
            page.goto(api.base + "/?refresh=1")
            page.wait_for_function("document.getElementById('dau-tile').dataset.value !== ''")
            before = int(page.get_attribute("#dau-tile", "data-value"))
            assert before == api.get("/realtime-total")[1][0]["value"]
            page.evaluate("window.loadedOnce = true")  # gone if the page reloads
            page.screenshot(path=str(reports_dir / "live-page-before.png"))

            opened = 7
            live.run("generate", "opening", "--devices", str(opened), "--first-device", "900000")
            live.run("ingest", "logs", "--available-now")
            page.wait_for_function(f"Number(document.getElementById('dau-tile').dataset.value) === {before + opened}",
                                   timeout=60_000)
            assert page.evaluate("window.loadedOnce") is True
            page.screenshot(path=str(reports_dir / "live-page-after.png"))
            assert page.locator("#dau-hourly canvas").count() == 1
            browser.close()
    finally:
        live.run("kafka", "stop")
