"""Shared test setup: every test starts from the same seed and the default dtype."""
import pytest

import glassnet
from glassnet import backend


@pytest.fixture(autouse=True)
def _fresh_state():
    backend.set_floatx("float32")
    glassnet.utils.set_random_seed(1234)
    yield
    backend.set_floatx("float32")


@pytest.fixture
def float64():
    """glassnet's default float dtype is float64 for this test (gradient checks, tight parity), float32 after."""
    backend.set_floatx("float64")
    yield
    backend.set_floatx("float32")


@pytest.fixture(autouse=True)
def _registered_objects_restored():
    """Each test starts with the registry of custom classes as it found it: a class one test
    registers (``register_serializable``) must not make a short name resolve in another."""
    from glassnet.layers import registry

    registered, names = dict(registry._REGISTERED), dict(registry._NAMES)
    yield
    registry._REGISTERED.clear()
    registry._REGISTERED.update(registered)
    registry._NAMES.clear()
    registry._NAMES.update(names)
