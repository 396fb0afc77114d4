"""RemoteMonitor: POST each epoch's logs to a server, as JSON (standard library only)."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from .base import Callback

TIMEOUT = 10.0
"""Seconds to wait for the server before giving up on one epoch's POST (and warning)."""


class RemoteMonitor(Callback):
    """Send ``{"epoch": epoch, **logs}`` to ``root + path`` by HTTP POST at the end of each epoch.

    The body is that dict as JSON, either as the whole request
    (``Content-Type: application/json``, ``send_as_json=True``) or as the form field
    ``field`` (``application/x-www-form-urlencoded``, ``field=<the JSON>``; the default,
    as in Keras). A failed POST (no server, an HTTP error, a timeout after ``TIMEOUT``
    seconds) only warns: training goes on.

    Args:
        root: the server's URL. Defaults to "http://localhost:9000".
        path: the path under ``root`` that receives the events. Defaults to
            "/publish/epoch/end/".
        field: the form field holding the JSON (used when ``send_as_json=False``).
            Defaults to "data".
        headers: extra HTTP headers, a dict. Defaults to None.
        send_as_json: send the JSON as the request body. Defaults to False.

    Keras sends with the ``requests`` library; this uses ``urllib`` from the standard
    library, with the same requests on the wire.
    """

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data", headers=None,
                 send_as_json=False):
        super().__init__()
        if headers is not None and not isinstance(headers, dict):
            raise ValueError(f"RemoteMonitor: argument `headers` must be a dict or None, got {headers!r}")
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            send[key] = value.item() if isinstance(value, (np.ndarray, np.generic)) else value
        text = json.dumps(send, default=str)
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = text.encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: text}).encode("ascii")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError) as error:
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root} ({error})", stacklevel=2)
