"""Thread safety of the autograd mode, the layer-call state, automatic names and lazy build.

The faults these guard (issue 16, items 1 and 2): ``no_grad`` was one process-wide flag, so
two threads predicting at once could leave recording off for good (every later ``fit``
trained nothing, with a normal-looking loss); and two threads making the first call of an
unbuilt model could both build it, leaving extra weights.

The exact interleavings are forced with events and barriers (deterministic), then the
stress tests repeat the natural race many times with a tiny thread switch interval.
"""
import sys
import threading

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.layers.base import Layer, unique_name
from glassnet.models import Sequential
from glassnet.tensor import enable_grad


def _mlp():
    model = Sequential([layers.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(3, activation="softmax")])
    model.compile(optimizer=gn.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy")
    return model


def _data(n=20, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0.5).astype("int64")


def _run(targets):
    """Start one thread per function, join them all, re-raise the first error of any."""
    errors = []

    def wrap(function):
        def run():
            try:
                function()
            except BaseException as error:      # noqa: BLE001 - handed to the test
                errors.append(error)
        return run

    threads = [threading.Thread(target=wrap(f)) for f in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]


@pytest.fixture
def fast_switching():
    """Switch threads every microsecond, so races that need an unlucky switch happen often."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


# --- grad mode ----------------------------------------------------------------------------
def test_no_grad_in_one_thread_does_not_stop_recording_in_another():
    entered, release = threading.Event(), threading.Event()
    seen = {}

    def inferring():
        with gn.no_grad():
            seen["inside"] = gn.is_grad_enabled()
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=inferring)
    thread.start()
    entered.wait(10)
    w = gn.Variable(np.ones(3, np.float32))
    y = (w * 2.0).sum()                    # main thread, while the other is inside no_grad
    release.set()
    thread.join()
    assert seen["inside"] is False
    assert gn.is_grad_enabled() and y.requires_grad
    y.backward()
    np.testing.assert_array_equal(w.grad, [2.0, 2.0, 2.0])


def test_overlapping_no_grad_of_two_threads_restores_both():
    """The interleaving that left recording off: A enters, B enters, A exits, B exits.
    With one global flag B saved A's False and restored it last."""
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    inside = []

    def a():
        with gn.no_grad():
            inside.append(gn.is_grad_enabled())
            a_in.set()
            b_in.wait(10)
        a_out.set()
        inside.append(("a after", gn.is_grad_enabled()))

    def b():
        a_in.wait(10)
        with gn.no_grad():
            inside.append(gn.is_grad_enabled())
            b_in.set()
            a_out.wait(10)
        inside.append(("b after", gn.is_grad_enabled()))

    _run([a, b])
    assert inside.count(False) == 2
    assert ("a after", True) in inside and ("b after", True) in inside
    assert gn.is_grad_enabled()


def test_a_new_thread_records_and_enable_grad_is_per_thread():
    seen = {}

    def worker():
        seen["start"] = gn.is_grad_enabled()
        with gn.no_grad():
            with enable_grad():
                seen["enabled"] = gn.is_grad_enabled()
            seen["restored"] = gn.is_grad_enabled()

    with gn.no_grad():                   # the main thread is in no_grad: the new thread does not inherit it
        _run([worker])
        assert not gn.is_grad_enabled()
    assert seen == {"start": True, "enabled": True, "restored": False}
    assert gn.is_grad_enabled()


def test_gradient_tape_inside_no_grad_records_in_a_thread():
    out = {}

    def worker():
        w = gn.Variable(np.array([3.0], np.float32))
        with gn.no_grad(), gn.GradientTape() as tape:
            loss = (w * w).sum()
        out["grad"] = tape.gradient(loss, w)

    _run([worker])
    np.testing.assert_allclose(out["grad"], [6.0])


def test_two_threads_predicting_then_fit_trains(fast_switching):
    """Issue 16's reproduction, repeated: after two concurrent predicts, fit must train
    (every weight matrix changes and the loss falls) and recording must be on."""
    x, y = _data()
    for trial in range(12):
        model = _mlp()
        barrier = threading.Barrier(2)

        def predicting():
            barrier.wait(10)
            model.predict(x, batch_size=2, verbose=0)

        _run([predicting, predicting])
        assert gn.is_grad_enabled(), f"trial {trial}: recording left off"
        before = model.get_weights()
        history = model.fit(x, y, epochs=8, batch_size=20, shuffle=False, verbose=0)
        after = model.get_weights()
        assert all(not np.array_equal(a, b) for a, b in zip(before, after)), f"trial {trial}: a weight did not move"
        losses = history.history["loss"]
        assert losses[-1] < losses[0], f"trial {trial}: loss did not fall: {losses}"


# --- the training flag and the call depth ---------------------------------------------------
class _Probe(Layer):
    """Records the ``training`` flag it receives; optionally waits inside its call."""

    def __init__(self, wait=None, entered=None, **kwargs):
        super().__init__(**kwargs)
        self.seen, self._wait, self._entered = [], wait, entered

    def call(self, inputs, training=None):
        self.seen.append(training)
        if self._entered is not None:
            self._entered.set()
            self._wait.wait(10)
        return inputs


class _Outer(Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, inputs):
        return self.inner(inputs)


def test_training_flag_of_one_thread_does_not_reach_another():
    entered, release = threading.Event(), threading.Event()
    slow = _Outer(_Probe(wait=release, entered=entered))
    plain = _Outer(_Probe())
    x = np.zeros((2, 3), np.float32)

    def training_call():
        slow(x, training=True)              # stays inside the call (flag True on its stack) until released

    thread = threading.Thread(target=training_call)
    thread.start()
    entered.wait(10)
    plain(x)                                # no flag given: the inner layer must see None, not True
    release.set()
    thread.join()
    assert slow.inner.seen == [True]
    assert plain.inner.seen == [None]


def test_automatic_names_are_unique_across_threads(fast_switching):
    names = []
    lock = threading.Lock()

    def naming():
        mine = [unique_name("thread_safety_probe") for _ in range(300)]
        with lock:
            names.extend(mine)

    _run([naming] * 6)
    assert len(names) == 1800 and len(set(names)) == 1800


# --- lazy build -----------------------------------------------------------------------------
def test_first_predict_from_two_threads_builds_once(fast_switching):
    """Issue 16: ``Sequential([Dense(64), BatchNormalization(), Dense(5)])`` unbuilt, the
    first predict from two threads at once (a barrier lines them up): exactly 8 weights,
    and both threads get what a sequential predict gives afterwards."""
    x = np.random.default_rng(1).normal(size=(16, 4)).astype("float32")
    for trial in range(30):
        model = Sequential([layers.Dense(64), layers.BatchNormalization(), layers.Dense(5)])
        barrier = threading.Barrier(2)
        outputs = [None, None]

        def first_predict(i):
            def run():
                barrier.wait(10)
                outputs[i] = model.predict(x, verbose=0)
            return run

        _run([first_predict(0), first_predict(1)])
        assert len(model.weights) == 8, f"trial {trial}: {[w.path for w in model.weights]}"
        assert [tuple(w.shape) for w in model.weights] == [(4, 64), (64,), (64,), (64,), (64,), (64,), (64, 5), (5,)]
        expected = model.predict(x, verbose=0)
        np.testing.assert_array_equal(outputs[0], expected)
        np.testing.assert_array_equal(outputs[1], expected)


def test_a_layer_called_first_from_many_threads_builds_once():
    layer = layers.Dense(3)
    barrier = threading.Barrier(4)
    x = np.ones((2, 5), np.float32)

    def call():
        barrier.wait(10)
        layer(x)

    _run([call] * 4)
    assert len(layer.weights) == 2 and layer.built
