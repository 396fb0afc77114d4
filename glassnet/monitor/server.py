"""The dashboard's web server: the standard library's ``ThreadingHTTPServer``, no framework.

Routes (GET only; the server never changes the run store)::

    /                                  the dashboard page (static HTML)
    /static/dashboard.js, .css         its script and style sheet, shipped in the package
    /api/runs                          [{"id", "name", "status", "started", "ended", ...}]
    /api/runs/<id>                     everything about one run (RunStore.get_run)
    /api/runs/<id>/metrics?level=epoch|batch|system&after=<step>
                                       the rows after ``step`` (the page polls with the
                                       last step it has, so it gets only what is new)

Safety. By default the server listens on 127.0.0.1 only, and answers only requests whose
``Host`` is a loopback name (a web page elsewhere cannot read the runs through DNS
rebinding). Listening on another address requires a ``token``: every ``/api`` request
must then carry ``Authorization: Bearer <token>`` (or ``?token=<token>``, which the page
forwards from its own address). Pages are served with a Content-Security-Policy that
allows only the server's own script — no inline script runs, so a run named
``<script>…</script>`` can only ever be text; the script also renders every name with
``textContent``.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import mimetypes
import re
import sys
import threading
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

from .store import RunStore, to_json

STATIC_FILES = ("index.html", "dashboard.js", "dashboard.css")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_RUN_PATH = re.compile(r"^/api/runs/([0-9A-Za-z_-]{1,64})(/metrics)?$")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or address) is this machine only."""
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class DashboardServer(ThreadingHTTPServer):
    """A ``ThreadingHTTPServer`` holding the run store and the token; ``url`` is its address."""

    daemon_threads = True

    def __init__(self, address, store: RunStore, token=None):
        self.store = store
        self.token = token
        self.loopback_only = is_loopback(address[0])
        super().__init__(address, DashboardHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/"


class DashboardHandler(BaseHTTPRequestHandler):
    """Answers the routes listed in the module docstring."""

    server_version = "glassnet-monitor"

    def log_message(self, format, *args):   # quiet: no line per poll on stderr
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, value, status: int = 200) -> None:
        text = to_json(value).replace("<", "\\u003c")   # still the same JSON; never markup, even if sniffed
        self._send(status, text.encode("utf-8"), "application/json; charset=utf-8")

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._json({"error": message}, status=int(status))

    def _host_allowed(self) -> bool:
        if not self.server.loopback_only:
            return True
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return is_loopback(name)

    def _authorized(self, query: dict) -> bool:
        token = self.server.token
        if not token:
            return True
        header = self.headers.get("Authorization", "")
        given = header[len("Bearer "):] if header.startswith("Bearer ") else (query.get("token") or [""])[0]
        return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        if not self._host_allowed():
            return self._error(HTTPStatus.FORBIDDEN, "this dashboard answers only to localhost / 127.0.0.1")
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path in ("/", "/index.html"):
            return self._static("index.html")
        if path.startswith("/static/"):
            return self._static(path[len("/static/"):])
        if not path.startswith("/api/"):
            return self._error(HTTPStatus.NOT_FOUND, f"no such page: {path}")
        if not self._authorized(query):
            return self._error(HTTPStatus.UNAUTHORIZED, "a valid token is required (Authorization: Bearer <token>)")
        try:
            return self._api(path, query)
        except KeyError as error:
            return self._error(HTTPStatus.NOT_FOUND, str(error.args[0]) if error.args else "not found")
        except ValueError as error:
            return self._error(HTTPStatus.BAD_REQUEST, str(error))

    def _api(self, path: str, query: dict):
        store = self.server.store
        if path == "/api/runs":
            return self._json(store.list_runs())
        match = _RUN_PATH.match(path)
        if match is None:
            return self._error(HTTPStatus.NOT_FOUND, f"no such API route: {path}")
        run_id, metrics = match.groups()
        if not metrics:
            return self._json(store.get_run(run_id))
        level = (query.get("level") or ["epoch"])[0]
        after = (query.get("after") or [None])[0]
        if after is not None:
            try:
                after = int(after)
            except ValueError:
                raise ValueError(f"`after` must be an integer step, got {after!r}") from None
        return self._json(store.metrics(run_id, level, after=after))

    def _static(self, name: str):
        if name not in STATIC_FILES:
            return self._error(HTTPStatus.NOT_FOUND, f"no such file: {name}")
        body = resources.files(__package__).joinpath("static", name).read_bytes()
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self._send(200, body, f"{kind}; charset=utf-8")


def make_server(host: str = "127.0.0.1", port: int = 8765, db=None, token=None) -> DashboardServer:
    """The dashboard server, bound and ready (``serve_forever()`` to run it; port 0 picks a
    free one: read ``server.url``).

    Raises:
        ValueError: if ``host`` is not loopback and no ``token`` is given, or the token is
            shorter than 16 characters.
    """
    if not is_loopback(host) and not token:
        raise ValueError(f"monitor: serving on {host!r} (not loopback) exposes your runs to the network: pass a "
                         "token (--token / token=...), at least 16 characters, or use host='127.0.0.1'")
    if token is not None and len(str(token)) < 16:
        raise ValueError("monitor: the token must be at least 16 characters (e.g. python -c "
                         "\"import secrets; print(secrets.token_urlsafe())\")")
    store = db if isinstance(db, RunStore) else RunStore(db)
    return DashboardServer((host, int(port)), store, token=str(token) if token else None)


def serve(host: str = "127.0.0.1", port: int = 8765, db=None, token=None, open_browser: bool = False) -> None:
    """Run the dashboard until Ctrl-C (see ``make_server`` for the arguments and errors)."""
    server = make_server(host, port, db=db, token=token)
    url = server.url + (f"?token={server.token}" if server.token else "")
    print(f"glassnet monitor: serving {server.store.path} at {url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
