"""Closed days stay true: after late app events for several days and changes to old orders in MariaDB,
one run of each DAG leaves every closed day of every derived table equal to a rebuild from scratch on the
same ods tables, made here in a fresh table root and compared row by row through Trino. Then a running CDC
ingest keeps today's day of the same tables current for the API's breakdowns.

Runs last (its file name sorts last): it changes the demo's inputs, which the other tests read."""

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pymysql
import pytest
from airflow.dag_processing.dagbag import BundleDagBag

from conftest import DAGS, ZONE, free_port

LATE_DEVICES_PER_DAY = 3


@pytest.fixture(scope="module")
def demo_servers(lakehouse, tmp_path_factory):
    """The demo's own broker, MariaDB and Maxwell started again where the demo left them (its run folder,
    its streams' checkpoints), on fresh ports; stopped after the test."""
    text = lakehouse.config.read_text()
    run_dir = lakehouse.setting("lakehouse.run-dir")
    db_port = free_port()
    config = tmp_path_factory.mktemp("restatement") / "demo-servers.properties"
    config.write_text(text + "\n".join([
        f"lakehouse.run-dir={run_dir}/demo",
        f"lakehouse.checkpoint-root={run_dir}/demo/checkpoints",
        f"kafka.bootstrap.servers=127.0.0.1:{free_port()}",
        f"source.db.port={db_port}",
        ""]))
    servers = lakehouse.with_config(config)
    started = []
    try:
        for server in ("kafka", "mariadb", "maxwell"):
            servers.run(server, "start")
            started.append(server)
        yield servers, db_port
    finally:
        for server in reversed(started):
            servers.run(server, "stop")


def run_dag(lakehouse, dagbag, dag_id, day):
    run = dagbag.dags[dag_id].test(logical_date=datetime(day.year, day.month, day.day, tzinfo=timezone.utc))
    assert str(run.state) in ("success", "DagRunState.SUCCESS"), f"{dag_id} {day}: {run.state}"


def test_one_dag_run_leaves_every_closed_day_equal_to_a_rebuild_from_scratch(lakehouse, demo_servers, tmp_path,
                                                                            monkeypatch):
    servers, db_port = demo_servers
    dau_days = lakehouse.days
    order_days = sorted(row[0] for row in lakehouse.query("SELECT DISTINCT dt FROM ads_order_daily"))
    assert len(dau_days) >= 2 and len(order_days) >= 2, "the demo builds at least two closed days"

    # late events: devices never seen, opening the app on each closed day and on a day no run built
    late_days = [*dau_days, dau_days[0] - timedelta(days=3)]
    for number, day in enumerate(late_days):
        servers.run("generate", "opening", "--devices", str(LATE_DEVICES_PER_DAY),
                    "--first-device", str(700_000 + 100 * number), "--at", f"{day}T10:30")
    servers.run("ingest", "logs", "--available-now")

    # the shop changes old orders: one deleted on the first day, one moved to another province on the last
    connection = pymysql.connect(host="127.0.0.1", port=db_port, user="root", database="gmall", autocommit=True)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT id FROM order_info WHERE DATE(create_time) = %s ORDER BY id LIMIT 1", (order_days[0],))
        (deleted,) = cursor.fetchone()
        cursor.execute("DELETE FROM order_detail WHERE order_id = %s", (deleted,))
        cursor.execute("DELETE FROM order_info WHERE id = %s", (deleted,))
        cursor.execute("SELECT id, province_id FROM order_info WHERE DATE(create_time) = %s ORDER BY id LIMIT 1",
                       (order_days[-1],))
        moved, province = cursor.fetchone()
        cursor.execute("SELECT min(id) FROM base_province WHERE id <> %s", (province,))
        (other_province,) = cursor.fetchone()
        cursor.execute("UPDATE order_info SET province_id = %s WHERE id = %s", (other_province, moved))
    # Maxwell produces the changes within seconds; each drain applies what the topic holds so far
    deadline = time.monotonic() + 120
    while True:
        servers.run("ingest", "cdc", "--available-now")
        # a deleted row stays in the mirror as a tombstone
        applied = lakehouse.query(f"SELECT is_deleted FROM ods_order_info WHERE id = {deleted}") == [[True]] and \
            lakehouse.query(f"SELECT province_id FROM ods_order_info WHERE id = {moved}") == [[other_province]]
        if applied or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert applied, "the CDC ingest applied the delete and the update within two minutes"

    status = {table["table"]: table for table in json.loads(lakehouse.run("status", "--tables", "--json"))["tables"]}
    # a day is stale where its inputs changed; the days downstream follow when the run rebuilds it
    assert str(dau_days[0]) in status["dwd_start_log"]["stale_days"], status["dwd_start_log"]
    assert str(order_days[0]) in status["dwd_order_detail"]["stale_days"], status["dwd_order_detail"]
    assert str(late_days[-1]) in status["dws_dau_device_day"]["days_never_built"], status["dws_dau_device_day"]

    dagbag = BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS)
    monkeypatch.setenv("LAKEHOUSE_CONFIG", str(lakehouse.config))
    monkeypatch.setenv("AIRFLOW_CONN_TRINO_LAKEHOUSE", f"trino://airflow@127.0.0.1:{lakehouse.trino_port}/")
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True, capture_output=True, env=os.environ)
    run_dag(lakehouse, dagbag, "dau_daily", dau_days[-1])
    run_dag(lakehouse, dagbag, "orders_daily", order_days[-1])

    # the late devices are counted on their closed days, as a count over the raw messages says
    independent = lakehouse.independent_dau()
    for day in dau_days:
        assert lakehouse.query(f"SELECT dau FROM ads_dau_daily WHERE dt = DATE '{day}'") == [[independent[day]]], day
    stale = json.loads(lakehouse.run("status", "--tables", "--json"))["tables"]
    assert all(table["stale_days"] == [] for table in stale), stale

    # a rebuild from scratch: the same ods tables and mirrors in a fresh root, every derived table built there
    tables = json.loads(lakehouse.run("manifest"))["tables"]
    root = lakehouse.setting("lakehouse.table-root")
    fresh_root = tmp_path / "fresh-tables"
    for table in tables:
        if table["written_by"] != "sql":
            shutil.copytree(f"{root}/{table['name']}", fresh_root / table["name"])
    fresh = tmp_path / "fresh.properties"
    fresh.write_text(lakehouse.config.read_text() + f"lakehouse.table-root={fresh_root}\n")
    rebuilt = lakehouse.with_config(fresh)
    rebuilt.run("run", "dau", "--from", str(dau_days[0]), "--to", str(dau_days[-1]))
    rebuilt.run("run", "orders", "--from", str(order_days[0]), "--to", str(order_days[-1]))

    lakehouse.query("CREATE SCHEMA IF NOT EXISTS lakehouse.fresh")
    differences = {}
    for table in (table for table in tables if table["written_by"] == "sql"):
        name = table["name"]
        lakehouse.query(f"CALL lakehouse.system.register_table(schema_name => 'fresh', table_name => '{name}', "
                        f"table_location => 'file://{fresh_root / name}')")
        days = dau_days if table["pipeline"] == "dau" else order_days
        closed = f"dt BETWEEN DATE '{days[0]}' AND DATE '{days[-1]}'" if table["daily"] else "true"
        ours = f"SELECT * FROM lakehouse.dau.{name} WHERE {closed}"
        scratch = f"SELECT * FROM lakehouse.fresh.{name} WHERE {closed}"
        (rows,) = lakehouse.query(f"SELECT count(*) FROM ({ours})")[0]
        assert rows > 0, f"{name} holds no closed day to compare"
        (differing,) = lakehouse.query(f"SELECT count(*) FROM (({ours} EXCEPT ALL {scratch}) "
                                       f"UNION ALL ({scratch} EXCEPT ALL {ours}))")[0]
        if differing:
            differences[name] = differing
    assert differences == {}, "rows that differ from a rebuild from scratch, by table"


def test_a_running_cdc_ingest_answers_todays_breakdowns_from_the_nightly_tables(lakehouse, demo_servers, tmp_path):
    """An order created today in MariaDB shows in today's trademarks and buyers' groups while the CDC ingest
    runs: its today's build of the order tables, the same tables the API reads for closed days."""
    from test_live_api import serve, stop  # the API as its own tests start it

    servers, db_port = demo_servers
    now = datetime.now(ZONE)
    today_start = now.replace(hour=0, minute=0, second=0, microsecond=0).replace(tzinfo=None)
    connection = pymysql.connect(host="127.0.0.1", port=db_port, user="root", database="gmall", autocommit=True)
    with connection, connection.cursor() as cursor:
        # a copy of an existing order with its lines, created now
        cursor.execute("SELECT min(order_id), max(id) FROM order_detail")
        (source, last_line) = cursor.fetchone()
        cursor.execute("SELECT max(id) FROM order_info")
        (new_order,) = cursor.fetchone()
        new_order += 1
        created = now.replace(tzinfo=None, microsecond=0)
        cursor.execute("CREATE TEMPORARY TABLE new_order AS SELECT * FROM order_info WHERE id = %s", (source,))
        cursor.execute("UPDATE new_order SET id = %s, create_time = %s, operate_time = NULL", (new_order, created))
        cursor.execute("CREATE TEMPORARY TABLE new_lines AS SELECT * FROM order_detail WHERE order_id = %s", (source,))
        cursor.execute("UPDATE new_lines SET id = id + %s, order_id = %s, create_time = %s", (last_line, new_order, created))
        cursor.execute("START TRANSACTION")
        cursor.execute("INSERT INTO order_info SELECT * FROM new_order")
        cursor.execute("INSERT INTO order_detail SELECT * FROM new_lines")
        cursor.execute("COMMIT")
        # today's GMV of the orders that have lines, as the source has it: what trademarks and groups add up to
        cursor.execute("SELECT coalesce(sum(total_amount), 0) FROM order_info WHERE create_time >= %s"
                       " AND create_time < %s AND id IN (SELECT order_id FROM order_detail)",
                       (today_start, today_start + timedelta(days=1)))
        (expected,) = cursor.fetchone()
    assert expected > 0

    fast = tmp_path / "today.properties"
    fast.write_text(servers.config.read_text() + "ingest.today-trigger=5 seconds\n")
    ingest = servers.with_config(fast)
    ingest.run("start", "ingest-cdc")
    process, api = serve(lakehouse)
    today = now.date()
    try:
        deadline = time.monotonic() + 240
        while True:
            answers = [api.get(f"/trademark-sum?start_date={today}&end_date={today}&topN=100"),
                       *(api.get(f"/stats-by-item?date={today}&item={item}") for item in ("gender", "age"))]
            assert all(status == 200 for status, _ in answers), answers
            answered = [sum(entry.get("amount", entry.get("value")) for entry in body) for _, body in answers]
            if answered == [expected] * 3 or time.monotonic() > deadline:
                break
            time.sleep(3)
        assert answered == [expected] * 3, "today's trademarks, genders and age groups add up to today's GMV"
    finally:
        stop(process)
        ingest.run("stop", "ingest-cdc")
