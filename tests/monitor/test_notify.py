"""Notifications: a webhook receives the run's end; failures are logged, never raised."""
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from glassnet.monitor import Monitor, RunStore
from glassnet.monitor import notify as notify_module
from glassnet.monitor.notify import Notifier, load_config

from .helpers import data, model


@pytest.fixture
def webhook():
    """A local HTTP server that records every POST: yields (url, received list)."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, self.headers["Content-Type"], json.loads(body)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()
    server.server_close()


def test_a_finished_run_posts_its_payload(tmp_path, webhook):
    url, received = webhook
    x, y = data()
    monitor = Monitor(name="notified", db=tmp_path / "runs.db", notify=url)
    history = model().fit(x, y, epochs=2, batch_size=32, verbose=0, callbacks=[monitor])
    [(path, kind, payload)] = received
    assert path == "/hook" and kind == "application/json"
    assert payload["event"] == "finished" and payload["run"]["id"] == monitor.run_id
    assert payload["run"]["name"] == "notified" and payload["run"]["status"] == "finished"
    assert payload["run"]["final_metrics"]["loss"] == history.history["loss"][-1]
    assert payload["text"].startswith(f"glassnet run 'notified' ({monitor.run_id}) finished after 0h 00m 0")
    assert f"loss {history.history['loss'][-1]:.4g}" in payload["text"]


def test_a_crash_posts_the_exception_in_slack_and_discord_shapes(tmp_path, webhook):
    url, received = webhook
    x, y = data()

    def explode(epoch, logs):
        raise RuntimeError("out of patience")

    import glassnet as gn
    monitor = Monitor(name="c", db=tmp_path / "runs.db", notify={"webhook": [url, url + "2"], "format": "slack"})
    with pytest.raises(RuntimeError):
        model().fit(x, y, epochs=2, verbose=0, callbacks=[monitor, gn.callbacks.LambdaCallback(on_epoch_end=explode)])
    assert [list(p) for _, _, p in received] == [["text"], ["text"]]
    assert "crashed" in received[0][2]["text"] and "RuntimeError: out of patience" in received[0][2]["text"]
    run = RunStore(tmp_path / "runs.db").get_run(monitor.run_id)
    assert Notifier({"webhook": url, "format": "discord"}).payload(run, url) == {"content": Notifier.message(run)}
    assert Notifier.shape("https://hooks.slack.com/services/T/B/X", "auto") == "slack"
    assert Notifier.shape("https://discord.com/api/webhooks/1/abc", "auto") == "discord"
    assert Notifier.shape(url, "auto") == "json"


def test_a_failed_notification_is_logged_and_training_goes_on(tmp_path, caplog):
    x, y = data()
    monitor = Monitor(db=tmp_path / "runs.db", notify={"webhook": "http://127.0.0.1:9/secret-token", "timeout": 2})
    with caplog.at_level(logging.WARNING, logger="glassnet.monitor"):
        model().fit(x, y, epochs=1, verbose=0, callbacks=[monitor])
    assert RunStore(tmp_path / "runs.db").get_run(monitor.run_id)["status"] == "finished"
    [record] = caplog.records
    assert "webhook notification to http://127.0.0.1:9/… failed" in record.getMessage()
    assert "secret-token" not in record.getMessage()


def test_events_filter_and_the_config_file(tmp_path, monkeypatch, webhook):
    url, received = webhook
    config = tmp_path / "config.toml"
    config.write_text(f'[notify]\nwebhook = "{url}"\non = ["crashed"]\n')
    monkeypatch.setenv("GLASSNET_CONFIG", str(config))
    assert load_config() == {"webhook": url, "on": ["crashed"]}
    x, y = data()
    model().fit(x, y, epochs=1, verbose=0, callbacks=[Monitor(db=tmp_path / "runs.db")])   # notify=None: the file
    assert received == []                                                                   # "finished" not asked for
    assert Notifier(None).send({"id": "1", "name": "n", "status": "crashed"}) == 1 and len(received) == 1
    config.write_text("[notify\n")
    with pytest.raises(ValueError, match="not valid TOML"):
        load_config()


def test_email_goes_through_smtp(monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent.append(("starttls",))

        def login(self, user, password):
            sent.append(("login", user, password))

        def send_message(self, message):
            sent.append(("message", message["Subject"], message["To"], message.get_content()))

    monkeypatch.setattr(notify_module.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setenv("SMTP_PW", "hunter2")
    notifier = Notifier({"email": {"host": "smtp.test", "port": 2525, "user": "me", "password_env": "SMTP_PW",
                                   "to": ["a@test", "b@test"]}})
    run = {"id": "abc", "name": "m", "status": "crashed", "exception": "ValueError: x",
           "traceback": "Traceback ...\nValueError: x"}
    assert notifier.send(run) == 1
    assert sent[:3] == [("connect", "smtp.test", 2525), ("starttls",), ("login", "me", "hunter2")]
    kind, subject, to, body = sent[3]
    assert subject == "[glassnet] m crashed" and to == "a@test, b@test"
    assert body.startswith("glassnet run 'm' (abc) crashed: ValueError: x") and "Traceback ..." in body
    with pytest.raises(ValueError, match="host"):
        Notifier({"email": {"to": "a@test"}})
