"""Fixtures of the op tests."""
import pytest

from glassnet import kernels


@pytest.fixture
def kernels_on():
    """Compiled kernels on for a test (even under GLASSNET_KERNELS=0), the switch as it was after."""
    before = kernels.wanted()
    kernels.set_enabled(True)
    yield
    kernels.set_enabled(before)
