"""Notifications: tell someone when a run finishes, crashes or stops early.

Two channels, configured once in ``~/.glassnet/config.toml`` (or the file named by
``$GLASSNET_CONFIG``) or per run with ``Monitor(notify=...)``::

    [notify]
    webhook = "https://hooks.slack.com/services/T000/B000/XXXX"   # or a list of URLs
    format = "auto"          # "slack", "discord", "json" or "auto" (guessed from the URL)
    on = ["finished", "crashed", "stopped early"]                 # the default
    timeout = 10             # seconds per attempt

    [notify.email]           # optional: SMTP
    host = "smtp.example.com"
    port = 587
    starttls = true
    user = "me@example.com"
    password_env = "GLASSNET_SMTP_PASSWORD"   # read the password from this variable
    from = "me@example.com"
    to = ["me@example.com"]

A webhook gets one HTTP POST of JSON (``Content-Type: application/json``) whose shape
follows ``format``:

- ``"slack"`` (a Slack incoming webhook): ``{"text": "<message>"}``
- ``"discord"`` (a Discord channel webhook): ``{"content": "<message>"}``
- ``"json"`` (anything else): ``{"text": "<message>", "event": "<status>", "run": {"id",
  "name", "status", "started", "ended", "final_metrics", "exception"}}``

``"auto"`` picks slack for URLs on ``hooks.slack.com``, discord for ``.../api/webhooks/``
URLs on discord.com, json otherwise. A notification that fails (no network, a refused
login, an HTTP error) is logged as a warning on the ``glassnet.monitor`` logger and
never interrupts training.
"""
from __future__ import annotations

import json
import logging
import os
import smtplib
import tomllib
import urllib.request
from email.message import EmailMessage
from pathlib import Path

logger = logging.getLogger("glassnet.monitor")

EVENTS = ("finished", "crashed", "stopped early", "interrupted")
DEFAULT_EVENTS = ("finished", "crashed", "stopped early")
FORMATS = ("auto", "slack", "discord", "json")


def config_path() -> Path:
    """``$GLASSNET_CONFIG`` if set, else ``~/.glassnet/config.toml``."""
    env = os.environ.get("GLASSNET_CONFIG")
    return Path(env).expanduser() if env else Path.home() / ".glassnet" / "config.toml"


def load_config(path=None) -> dict:
    """The ``[notify]`` table of the config file ({} when the file or the table is absent).

    Raises:
        ValueError: if the file is not valid TOML.
    """
    path = Path(path) if path is not None else config_path()
    if not path.is_file():
        return {}
    try:
        with open(path, "rb") as file:
            return dict(tomllib.load(file).get("notify", {}))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"glassnet config {str(path)!r} is not valid TOML: {error}") from error


def _as_list(value) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class Notifier:
    """Sends the notifications described by a ``[notify]``-style dict.

    Args:
        config: ``{"webhook": url or [urls], "format", "on", "timeout", "email": {...}}``;
            a plain string is one webhook URL; None reads the config file; False (or {})
            sends nothing.

    Raises:
        ValueError: for an unknown format or event, or an ``email`` table without
            ``host`` or ``to``.
    """

    def __init__(self, config=None):
        if config is None:
            config = load_config()
        elif config is False:
            config = {}
        elif isinstance(config, str):
            config = {"webhook": config}
        elif not isinstance(config, dict):
            raise TypeError(f"Notifier: `config` must be a dict, a webhook URL, None or False, "
                            f"got {type(config).__name__}")
        self.webhooks = _as_list(config.get("webhook"))
        self.format = config.get("format", "auto")
        if self.format not in FORMATS:
            raise ValueError(f"notify: `format` must be one of {FORMATS}, got {self.format!r}")
        self.events = tuple(_as_list(config.get("on", DEFAULT_EVENTS)))
        for event in self.events:
            if event not in EVENTS:
                raise ValueError(f"notify: `on` lists {event!r}; events are {EVENTS}")
        self.timeout = float(config.get("timeout", 10))
        self.email = config.get("email") or None
        if self.email is not None and (not self.email.get("host") or not _as_list(self.email.get("to"))):
            raise ValueError("notify.email needs at least `host` and `to`")

    def __bool__(self) -> bool:
        return bool(self.webhooks or self.email)

    @staticmethod
    def message(run: dict) -> str:
        """One line for a person: name, id, status, duration, final metrics or the exception."""
        text = f"glassnet run {run['name']!r} ({run['id']}) {run['status']}"
        if run.get("ended") and run.get("started"):
            seconds = int(round(run["ended"] - run["started"]))
            text += f" after {seconds // 3600}h {seconds // 60 % 60:02d}m {seconds % 60:02d}s"
        if run.get("exception"):
            text += f": {run['exception']}"
        metrics = run.get("final_metrics") or {}
        shown = [f"{k} {v:.4g}" for k, v in metrics.items() if isinstance(v, (int, float))]
        if shown:
            text += " — " + ", ".join(shown)
        return text

    @staticmethod
    def shape(url: str, fmt: str) -> str:
        """The payload shape for ``url`` ("slack", "discord" or "json")."""
        if fmt != "auto":
            return fmt
        if "hooks.slack.com/" in url:
            return "slack"
        if ("discord.com/api/webhooks/" in url) or ("discordapp.com/api/webhooks/" in url):
            return "discord"
        return "json"

    def payload(self, run: dict, url: str) -> dict:
        text = self.message(run)
        shape = self.shape(url, self.format)
        if shape == "slack":
            return {"text": text}
        if shape == "discord":
            return {"content": text}
        keys = ("id", "name", "status", "started", "ended", "final_metrics", "exception")
        return {"text": text, "event": run["status"], "run": {k: run.get(k) for k in keys}}

    def send(self, run: dict) -> int:
        """Notify about ``run`` (a ``RunStore.get_run`` dict) if its status is one of the
        configured events; returns how many notifications went out. Never raises."""
        if run.get("status") not in self.events:
            return 0
        sent = 0
        for url in self.webhooks:
            try:
                body = json.dumps(self.payload(run, url), default=repr).encode("utf-8")
                request = urllib.request.Request(url, data=body, method="POST",
                                                 headers={"Content-Type": "application/json",
                                                          "User-Agent": "glassnet-monitor"})
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    response.read()
                sent += 1
            except Exception as error:   # a notification never breaks training
                logger.warning("glassnet.monitor: webhook notification to %s failed: %s", _redact(url), error)
        if self.email:
            try:
                self._send_email(run)
                sent += 1
            except Exception as error:
                logger.warning("glassnet.monitor: e-mail notification via %s failed: %s", self.email.get("host"), error)
        return sent

    def _send_email(self, run: dict) -> None:
        settings = self.email
        message = EmailMessage()
        message["Subject"] = f"[glassnet] {run['name']} {run['status']}"
        message["From"] = settings.get("from") or settings.get("user") or "glassnet@localhost"
        message["To"] = ", ".join(_as_list(settings["to"]))
        body = self.message(run)
        if run.get("traceback"):
            body += "\n\n" + run["traceback"]
        message.set_content(body)
        password = settings.get("password")
        if password is None and settings.get("password_env"):
            password = os.environ.get(settings["password_env"])
        smtp_class = smtplib.SMTP_SSL if settings.get("ssl") else smtplib.SMTP
        with smtp_class(settings["host"], int(settings.get("port", 465 if settings.get("ssl") else 587)),
                        timeout=self.timeout) as smtp:
            if not settings.get("ssl") and settings.get("starttls", True):
                smtp.starttls()
            if settings.get("user"):
                smtp.login(settings["user"], password or "")
            smtp.send_message(message)


def _redact(url: str) -> str:
    """A webhook URL without its secret path (Slack and Discord put the token there)."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}/…" if rest else url
