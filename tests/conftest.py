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
