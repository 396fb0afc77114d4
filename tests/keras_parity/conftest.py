"""Parity with Keras 3 itself (skipped unless keras and torch are importable).

Keras is not a dependency of glassnet: every module here starts with
``pytest.importorskip("keras")``. Keras runs on its PyTorch backend, chosen here before
any test module imports it.

Tight comparisons run both sides in float64 (fixture ``keras_float64``). Keras's type
promotion turns float64 into float32 on every backend but TensorFlow
(``keras.src.backend.common.dtypes.BIT64_TO_BIT32_DTYPE``, "to align with JAX"), so on
torch ``ops.mean`` of a float64 tensor, or ``ops.maximum(float64 tensor, 0.5)``, is
computed in float32. The fixture makes the torch backend promote as Keras's TensorFlow
backend does (float64 stays float64), which changes precision only, not formulas.
"""
import os
import sys

import pytest

os.environ["KERAS_BACKEND"] = "torch"


@pytest.fixture
def keras_float64(monkeypatch):
    """Keras (and glassnet) compute in float64 for this test; float32 is restored after."""
    import glassnet as gn
    import keras
    from keras.src.backend.common import dtypes

    monkeypatch.setitem(dtypes.BIT64_TO_BIT32_DTYPE, "float64", "float64")
    keras.config.set_floatx("float64")
    gn.backend.set_floatx("float64")
    yield
    keras.config.set_floatx("float32")
    gn.backend.set_floatx("float32")


@pytest.fixture(autouse=True)
def _keras_float32_after_each_test():
    yield
    keras = sys.modules.get("keras")
    if keras is not None:
        keras.config.set_floatx("float32")
        # Keras caches its global dtype policy the first time a layer is made (from floatx
        # then): forget it, or every later Keras layer would compute in float64
        from keras.src.backend.common import global_state
        global_state.set_global_attribute("dtype_policy", None)
        # and its name counters: a second AUC() would be named "auc_1", which Keras's
        # "auto" monitor mode of a later test could not find as "auc"
        keras.utils.clear_session()
