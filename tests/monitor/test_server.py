"""The dashboard server's JSON API and pages, through a real HTTP client on loopback."""
import json
import threading
import urllib.error
import urllib.request

import pytest

from glassnet.monitor import RunStore, make_server

XSS = "<script>alert(1)</script>"


@pytest.fixture
def served(tmp_path):
    """(server, store) on an ephemeral loopback port, with one finished and one crashed run."""
    store = RunStore(tmp_path / "runs.db")
    good = store.create_run(XSS, hyperparameters={"<b>lr</b>": 0.01})
    store.log(good, [("epoch", e, e, 100.0 + e, {"loss": 1.0 / (e + 1), "<img src=x>": 0.5}) for e in range(3)]
              + [("batch", s, 0, 100.0 + s / 10, {"loss": 2.0 - s / 10}) for s in (5, 10, 15)])
    store.update_run(good, status="finished", ended=200.0, final_metrics={"loss": 1 / 3})
    bad = store.create_run("broken")
    store.update_run(bad, status="crashed", exception="ValueError: boom", traceback="Traceback ...\nValueError: boom")
    server = make_server("127.0.0.1", 0, db=store)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server, store, good, bad
    server.shutdown()
    server.server_close()


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def error_of(url, headers=None):
    with pytest.raises(urllib.error.HTTPError) as caught:
        fetch(url, headers)
    return caught.value.code, json.loads(caught.value.read())["error"]


def test_the_json_api(served):
    server, store, good, bad = served
    status, headers, body = fetch(server.url + "api/runs")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    runs = json.loads(body)
    assert [(r["id"], r["name"], r["status"]) for r in runs] == [(bad, "broken", "crashed"), (good, XSS, "finished")]
    assert runs == store.list_runs()
    run = json.loads(fetch(server.url + f"api/runs/{bad}")[2])
    assert run["exception"] == "ValueError: boom" and run["traceback"].endswith("ValueError: boom")
    assert json.loads(fetch(server.url + f"api/runs/{good}")[2])["hyperparameters"] == {"<b>lr</b>": 0.01}
    epochs = json.loads(fetch(server.url + f"api/runs/{good}/metrics")[2])
    assert epochs == store.metrics(good) and [row["loss"] for row in epochs] == [1.0, 0.5, 1.0 / 3]
    after = json.loads(fetch(server.url + f"api/runs/{good}/metrics?level=batch&after=5")[2])
    assert [(row["step"], row["loss"]) for row in after] == [(10, 1.0), (15, 0.5)]


def test_names_come_back_as_data_and_the_page_never_inlines_them(served):
    server, _, good, _ = served
    status, headers, raw = fetch(server.url + "api/runs")
    assert b"<script>" not in raw and b"<img" not in raw       # "<" travels as \u003c: still the same JSON
    assert json.loads(raw)[1]["name"] == XSS
    assert "<img src=x>" in json.loads(fetch(server.url + f"api/runs/{good}/metrics")[2])[0]
    status, headers, page = fetch(server.url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"alert(1)" not in page and b"broken" not in page    # the page is static: data comes by script
    assert "script-src 'self'" in headers["Content-Security-Policy"] and headers["X-Content-Type-Options"] == "nosniff"
    script = fetch(server.url + "static/dashboard.js")[2].decode()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "textContent" in script


def test_errors(served):
    server, _, good, _ = served
    assert error_of(server.url + "api/runs/nope")[0] == 404
    assert error_of(server.url + f"api/runs/{good}/metrics?level=minute") == (
        400, "RunStore.metrics: `level` must be one of ('epoch', 'batch', 'system'), got 'minute'")
    assert error_of(server.url + f"api/runs/{good}/metrics?after=x")[0] == 400
    assert error_of(server.url + "static/../store.py")[0] == 404
    assert error_of(server.url + "api/nothing")[0] == 404
    code, message = error_of(server.url + "api/runs", headers={"Host": "evil.example:80"})   # DNS rebinding
    assert code == 403 and "localhost" in message


def test_a_token_guards_the_api(tmp_path):
    token = "correct-horse-battery-staple"
    server = make_server("127.0.0.1", 0, db=tmp_path / "runs.db", token=token)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        assert error_of(server.url + "api/runs")[0] == 401
        assert error_of(server.url + "api/runs", {"Authorization": "Bearer wrong-token-wrong-token"})[0] == 401
        assert fetch(server.url + "api/runs", {"Authorization": f"Bearer {token}"})[2] == b"[]"
        assert fetch(server.url + f"api/runs?token={token}")[2] == b"[]"
        assert fetch(server.url)[0] == 200                       # the page itself holds no data
    finally:
        server.shutdown()
        server.server_close()


def test_a_public_address_needs_a_token(tmp_path):
    with pytest.raises(ValueError, match="not loopback"):
        make_server("0.0.0.0", 0, db=tmp_path / "runs.db")
    with pytest.raises(ValueError, match="at least 16 characters"):
        make_server("0.0.0.0", 0, db=tmp_path / "runs.db", token="short")
    server = make_server("0.0.0.0", 0, db=tmp_path / "runs.db", token="x" * 16)
    server.server_close()
