"""SwapEMAWeights (evaluation with the optimizer's EMA of the weights) and RemoteMonitor (POST per epoch)."""
import http.server
import json
import threading
import urllib.parse
import warnings

import numpy as np
import pytest

from glassnet.callbacks import RemoteMonitor, SwapEMAWeights
from glassnet.layers import Dense, Input
from glassnet.models import Sequential
from glassnet.optimizers import SGD


def line_model(**optimizer_options):
    """y = w·x with w starting at 0 (one weight, no bias)."""
    model = Sequential([Input((1,)), Dense(1, use_bias=False, kernel_initializer="zeros")])
    model.compile(optimizer=SGD(learning_rate=0.1, **optimizer_options), loss="mse")
    return model


def data():
    x = np.linspace(-1, 1, 16, dtype="float32").reshape(-1, 1)
    return x, 2 * x


# --- SwapEMAWeights -------------------------------------------------------------------------
def test_validation_sees_the_ema_and_training_the_weights():
    x, y = data()
    model = line_model(use_ema=True, ema_momentum=0.9)
    seen = {}

    class Record(SwapEMAWeights):
        def on_test_begin(self, logs=None):
            super().on_test_begin(logs)
            seen["during_validation"] = model.get_weights()[0].copy()

    history = model.fit(x, y, epochs=1, batch_size=4, shuffle=False, validation_data=(x, y), verbose=0,
                        callbacks=[Record()])
    optimizer = model.optimizer
    average = optimizer._model_variables_moving_average[0]
    np.testing.assert_array_equal(seen["during_validation"], average)
    assert not np.array_equal(average, np.zeros_like(average))
    model.layers[0].kernel.data[...] = average                     # the loss validation reported is w̄'s
    assert model.evaluate(x, y, verbose=0) == pytest.approx(history.history["val_loss"][0], rel=1e-6)


def test_swap_and_swap_back_by_hand():
    model = line_model(use_ema=True)
    model.fit(*data(), epochs=1, batch_size=4, verbose=0)
    w = model.layers[0].kernel
    weights, average = w.data.copy(), model.optimizer._model_variables_moving_average[0].copy()
    callback = SwapEMAWeights()
    callback.set_model(model)
    callback.on_predict_begin()
    np.testing.assert_array_equal(w.data, average)
    callback.on_predict_end()                     # swaps back (Keras 3.15 does not here: see the docstring)
    np.testing.assert_array_equal(w.data, weights)
    np.testing.assert_array_equal(model.optimizer._model_variables_moving_average[0], average)


def test_swap_on_epoch_keeps_the_ema_at_the_end():
    x, y = data()
    model = line_model(use_ema=True, ema_momentum=0.5)
    model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0, callbacks=[SwapEMAWeights(swap_on_epoch=True)])
    w = model.layers[0].kernel.data
    np.testing.assert_array_equal(w, model.optimizer._model_variables_moving_average[0])


def test_without_use_ema_refused():
    model = line_model()
    callback = SwapEMAWeights()
    callback.set_model(model)
    with pytest.raises(ValueError, match="use_ema"):
        callback.on_test_begin()


# --- RemoteMonitor --------------------------------------------------------------------------
@pytest.fixture
def server():
    """A local HTTP server on 127.0.0.1 recording each POST's (path, headers, body)."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, dict(self.headers), body.decode()))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            """Quiet: the requests are recorded in ``received``, not printed."""

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", received
    httpd.shutdown()
    httpd.server_close()


def test_posts_each_epoch_as_a_form_field(server):
    root, received = server
    model = line_model()
    model.fit(*data(), epochs=2, batch_size=8, verbose=0, callbacks=[RemoteMonitor(root=root, field="payload")])
    assert len(received) == 2
    for epoch, (path, headers, body) in enumerate(received):
        assert path == "/publish/epoch/end/"
        assert headers["Content-Type"] == "application/x-www-form-urlencoded"
        sent = json.loads(urllib.parse.parse_qs(body)["payload"][0])
        assert sent["epoch"] == epoch and isinstance(sent["loss"], float)


def test_posts_json_with_headers(server):
    root, received = server
    monitor = RemoteMonitor(root=root, path="/events", headers={"X-Run": "7"}, send_as_json=True)
    monitor.on_epoch_end(3, {"loss": np.float32(0.5), "accuracy": np.array(0.25)})
    path, headers, body = received[0]
    assert path == "/events" and headers["X-Run"] == "7" and headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"epoch": 3, "loss": 0.5, "accuracy": 0.25}


def test_unreachable_server_warns_and_training_goes_on():
    import socket

    with socket.socket() as s:                  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    model = line_model()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(*data(), epochs=2, batch_size=8, verbose=0,
                            callbacks=[RemoteMonitor(root=f"http://127.0.0.1:{port}")])
    assert len(history.history["loss"]) == 2
    assert sum("Could not reach RemoteMonitor" in str(w.message) for w in caught) == 2


def test_bad_headers_refused():
    with pytest.raises(ValueError, match="headers"):
        RemoteMonitor(headers=["X-Run: 7"])
