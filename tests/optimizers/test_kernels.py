"""The compiled update kernels give the NumPy update rule's numbers, bit for bit.

Numba is in the test extra, so these run in CI; the NumPy path is the reference.
"""
from __future__ import annotations

import numpy as np
import pytest

import glassnet as gn
from glassnet import subnormals
from glassnet.optimizers import kernels
from glassnet.optimizers.base import BLOCK

pytest.importorskip("numba", reason="numba is in glassnet[test]; without it only the NumPy path exists")


@pytest.fixture
def spy(monkeypatch):
    """Count the kernel calls (so a test knows the kernel really ran)."""
    calls = []
    real = kernels.adam

    def counted(*args, **kwargs):
        calls.append(args[1].size)
        return real(*args, **kwargs)

    monkeypatch.setattr(kernels, "adam", counted)
    return calls


def train(optimizer_factory, w0, grads, use_kernels: bool):
    """(weights, slots) after applying ``grads`` one by one, with or without the kernels."""
    kernels.set_enabled(use_kernels)
    try:
        optimizer = optimizer_factory()
        w = gn.Variable(w0, dtype=w0.dtype)
        for g in grads:
            optimizer.apply_gradients([(g, w)])
        return w.data.copy(), [s.copy() for s in optimizer._slots[0].values()]
    finally:
        kernels.set_enabled(True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("shape", [(200, 100), (BLOCK // 100 + 7, 100)])   # one NumPy block, several
def test_adam_kernel_equals_numpy(dtype, amsgrad, shape, spy):
    rng = np.random.default_rng(3)
    w0 = rng.normal(size=shape).astype(dtype)
    grads = [rng.normal(size=shape).astype(dtype) * 10.0 ** rng.integers(-3, 2) for _ in range(6)]

    def factory():
        return gn.optimizers.Adam(learning_rate=0.01, amsgrad=amsgrad)

    w_kernel, slots_kernel = train(factory, w0, grads, use_kernels=True)
    assert spy == [w0.size] * len(grads)
    w_numpy, slots_numpy = train(factory, w0, grads, use_kernels=False)
    assert len(spy) == len(grads)                                        # the reference did not use it
    np.testing.assert_array_equal(w_kernel, w_numpy)
    for a, b in zip(slots_kernel, slots_numpy):
        np.testing.assert_array_equal(a, b)


def test_adamw_and_a_fortran_ordered_gradient(spy):
    rng = np.random.default_rng(4)
    w0 = rng.normal(size=(300, 80)).astype(np.float32)
    grads = [np.asfortranarray(rng.normal(size=w0.shape).astype(np.float32)) for _ in range(3)]

    def factory():
        return gn.optimizers.AdamW(learning_rate=0.01, weight_decay=0.1)

    w_kernel, slots_kernel = train(factory, w0, grads, use_kernels=True)
    w_numpy, slots_numpy = train(factory, w0, grads, use_kernels=False)
    assert spy == [w0.size] * 3
    np.testing.assert_array_equal(w_kernel, w_numpy)
    for a, b in zip(slots_kernel, slots_numpy):
        np.testing.assert_array_equal(a, b)


def test_small_variables_take_the_numpy_path(spy):
    optimizer = gn.optimizers.Adam()
    w = gn.Variable(np.ones(kernels.MIN_SIZE - 1, dtype=np.float32))
    optimizer.apply_gradients([(np.ones_like(w.data), w)])
    assert spy == []


def test_switching_kernels_off_and_on_mid_training(spy):
    optimizer = gn.optimizers.Adam()
    w = gn.Variable(np.ones(kernels.MIN_SIZE * 5, dtype=np.float32))
    g = np.full_like(w.data, 0.5)
    optimizer.apply_gradients([(g, w)])
    kernels.set_enabled(False)
    try:
        optimizer.apply_gradients([(g, w)])                   # the plan is rebuilt for blocks
    finally:
        kernels.set_enabled(True)
    optimizer.apply_gradients([(g, w)])
    assert len(spy) == 2
    assert optimizer.iterations == 3


def test_kernel_zeroes_what_would_be_subnormal(spy):
    """Adam's m decays as 0.9ᵗ once the gradient is 0; the kernel never stores a subnormal."""
    size = kernels.MIN_SIZE
    optimizer = gn.optimizers.Adam()
    w = gn.Variable(np.ones(size, dtype=np.float32))
    for step in range(300):
        optimizer.apply_gradients([(np.full(size, 1e-30 if step < 5 else 0.0, np.float32), w)])
    state = [w.data, *optimizer._slots[0].values()]
    assert sum(subnormals.count_subnormal(a) for a in state) == 0
    assert len(spy) == 300


def test_two_threads_updating_at_once(spy):
    """Two threads stepping their own optimizers concurrently: no crash, the NumPy result."""
    import threading

    rng = np.random.default_rng(6)
    w0 = rng.normal(size=kernels.MIN_SIZE * 2).astype(np.float32)
    grads = [rng.normal(size=w0.shape).astype(np.float32) for _ in range(20)]
    results, errors = [], []

    def run():
        try:
            optimizer, w = gn.optimizers.Adam(), gn.Variable(w0)
            for g in grads:
                optimizer.apply_gradients([(g, w)])
            results.append(w.data.copy())
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    expected, _ = train(gn.optimizers.Adam, w0, grads, use_kernels=False)
    for result in results:
        np.testing.assert_array_equal(result, expected)
    assert len(spy) == 40
