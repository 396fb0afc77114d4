"""glassnet.allocator: malloc keeps freed memory once training starts (glibc), and can be left alone."""
import ctypes
import subprocess
import sys

import numpy as np
import pytest

import glassnet as gn
from glassnet import allocator


def _glibc():
    try:
        ctypes.CDLL(None).gnu_get_libc_version
        return True
    except (OSError, AttributeError):
        return False


@pytest.mark.skipif(not _glibc(), reason="malloc tuning applies to glibc only")
def test_the_first_fit_tunes_malloc(monkeypatch):
    monkeypatch.setattr(allocator, "_wanted", True)          # even under GLASSNET_MALLOC_TUNING=0
    monkeypatch.setattr(allocator, "_applied", None)
    model = gn.Sequential([gn.layers.Input((3,)), gn.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(np.zeros((4, 3), "float32"), np.zeros((4, 1), "float32"), verbose=0)
    assert allocator.tuned()


def test_the_environment_variable_leaves_malloc_alone():
    code = ("import numpy as np, glassnet as gn; m = gn.Sequential([gn.layers.Input((3,)), gn.layers.Dense(1)]); "
            "m.compile('sgd', 'mse'); m.predict(np.zeros((2, 3), 'float32'), verbose=0); "
            "print(gn.allocator.tuned())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"GLASSNET_MALLOC_TUNING": "0", "PATH": ""})
    assert out.stdout.strip() == "False"


def test_not_tried_when_disabled(monkeypatch):
    monkeypatch.setattr(allocator, "_applied", None)
    allocator.set_enabled(False)
    try:
        assert allocator.keep_freed_memory() is False
        assert allocator._applied is None                 # nothing was set, it can still be tried later
    finally:
        allocator.set_enabled(True)
