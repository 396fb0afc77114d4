"""Keras 3 programs ported by changing one import (``import glassnet as keras``).

``programs/`` holds the programs, written as Keras users write them; each has
``build_model()`` and ``main()``. ``test_ports.py`` runs them under glassnet and checks they
learned; ``test_ports_keras.py`` runs the same source under Keras 3 (PyTorch backend, when
keras and torch are installed) and compares. Keras is not a dependency of glassnet.
"""
import os
import sys

os.environ["KERAS_BACKEND"] = "torch"

PROGRAMS = os.path.join(os.path.dirname(__file__), "programs")
if PROGRAMS not in sys.path:
    sys.path.insert(0, PROGRAMS)
