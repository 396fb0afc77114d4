"""Small helpers shared by the layer tests."""
import numpy as np


def data(*shape, seed=0):
    """Standard-normal float64 test data of ``shape``, reproducible by ``seed``."""
    return np.random.default_rng(seed).standard_normal(shape)
