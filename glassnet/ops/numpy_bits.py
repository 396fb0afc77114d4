"""keras.ops on integers and bits: and, or, xor, invert, shifts, gcd, lcm.

These are defined on integer (and boolean) tensors only and have no gradient; both operands
are promoted to one integer dtype first (Keras's rule), and a float operand is a clear error.
"""
from __future__ import annotations

from ..backend import xp
from ..tensor import Tensor
from .keras_base import constant, promoted


def _integer(function, *xs):
    arrays = [t.data for t in promoted(*xs)]
    if arrays[0].dtype.kind not in "biu":
        raise TypeError(f"{function.__name__}: needs integer or boolean tensors, got {arrays[0].dtype}")
    return constant(function(*arrays))


def bitwise_and(x, y) -> Tensor:
    return _integer(xp.bitwise_and, x, y)


def bitwise_or(x, y) -> Tensor:
    return _integer(xp.bitwise_or, x, y)


def bitwise_xor(x, y) -> Tensor:
    return _integer(xp.bitwise_xor, x, y)


def bitwise_invert(x) -> Tensor:
    return _integer(xp.invert, x)


bitwise_not = bitwise_invert


def bitwise_left_shift(x, y) -> Tensor:
    return _integer(xp.left_shift, x, y)


def bitwise_right_shift(x, y) -> Tensor:
    return _integer(xp.right_shift, x, y)


left_shift, right_shift = bitwise_left_shift, bitwise_right_shift


def gcd(x1, x2) -> Tensor:
    return _integer(xp.gcd, x1, x2)


def lcm(x1, x2) -> Tensor:
    return _integer(xp.lcm, x1, x2)


__all__ = ["bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_invert", "bitwise_not", "bitwise_left_shift",
           "bitwise_right_shift", "left_shift", "right_shift", "gcd", "lcm"]
