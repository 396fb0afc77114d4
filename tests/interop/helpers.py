"""Shared helpers of the interop tests: the fixtures' paths and archive surgery."""
import os
import zipfile

import numpy as np

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
NAMES = ("mlp", "cnn", "cnn_global", "rnn", "transformer", "multi_io", "preprocessing")
ATOL = 1e-5
"""Float32 tolerance on predictions: the largest difference seen is 1.2e-7 (a few ulps at
the outputs' scale); 1e-5 leaves room for another BLAS's summation order."""


def fixture(name: str) -> str:
    return os.path.join(FIXTURES, f"{name}.keras")


def inputs_and_outputs(name: str):
    """``(inputs, outputs)``: lists of the arrays stored in ``NAME.npz``."""
    with np.load(os.path.join(FIXTURES, f"{name}.npz")) as stored:
        xs = [stored[k] for k in sorted(stored.files) if k.startswith("x")]
        ys = [stored[k] for k in sorted(stored.files) if k.startswith("y")]
    return xs, ys


def predict(model, xs):
    out = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    return [np.asarray(o) for o in (out if isinstance(out, (list, tuple)) else [out])]


def members(path: str) -> dict:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_archive(path: str, entries) -> str:
    """Write ``[(name, bytes), ...]`` (duplicates allowed) as a zip archive at ``path``."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # zipfile warns about a duplicate name: that is the point
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return str(path)


def with_member(path, source: str, name: str, data: bytes) -> str:
    """A copy of ``source`` with member ``name`` replaced (or added) by ``data``."""
    entries = members(source)
    entries[name] = data
    return write_archive(path, list(entries.items()))
