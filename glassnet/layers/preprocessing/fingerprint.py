"""The string hashes TensorFlow's hashing ops use, in pure Python, bit for bit.

Keras's ``Hashing``, ``HashedCrossing`` and the lookups' OOV buckets call TensorFlow:

    tf.strings.to_hash_bucket_fast(s, n)          = Fingerprint64(s) mod n
    tf.strings.to_hash_bucket_strong(s, n, key)   = SipHash-2-4_key(s) mod n
    tf.sparse.cross_hashed([a, b, ...], n)        = FingerprintCat64(...(FingerprintCat64(
                                                        0xDECAFCAFFE, F(a)), F(b))...) mod n

where Fingerprint64 is FarmHash's ``farmhashna::Hash64`` (Google's farmhash.cc, the
"forever-fixed" fingerprint), SipHash-2-4 the keyed hash of Aumasson and Bernstein with
the 128-bit key given as two 64-bit words (TF's ``StrongKeyedHash``), F(x) the
Fingerprint64 of the UTF-8 bytes of a string but an integer itself (as an unsigned 64-bit
word: TF's cross hashes integers without fingerprinting them), and

    FingerprintCat64(f1, f2):  m = 0xc6a4a7935bd1e995,  shift_mix(v) = v ⊕ (v >> 47)
        r = f1 ⊕ m;  r = r ⊕ shift_mix(f2·m)·m;  r = r·m;  r = shift_mix(r)·m;  return shift_mix(r)

Every operation is on unsigned 64-bit integers (multiplication and addition wrap mod 2⁶⁴),
and bytes are read little-endian. The code below follows the C sources' names (``a``, ``b``,
``mul``, ``shift_mix``, ``hash_len_16``) so each line can be checked against them;
``tests/layers/preprocessing/test_hashing.py`` checks them against farmhash's own test
vectors, the SipHash paper's vector and Keras's documented outputs.
"""
from __future__ import annotations

import struct

MASK = (1 << 64) - 1
K0 = 0xc3a5c85c97cb3127
K1 = 0xb492b66fbe98f273
K2 = 0x9ae16a3b2f90404f
CROSS_HASH_KEY = 0xDECAFCAFFE
"""``tf.sparse.cross_hashed``'s default ``hash_key``."""
_CAT_MUL = 0xc6a4a7935bd1e995


def _fetch64(s: bytes, i: int) -> int:
    return struct.unpack_from("<Q", s, i)[0]


def _fetch32(s: bytes, i: int) -> int:
    return struct.unpack_from("<I", s, i)[0]


def _rotate(v: int, shift: int) -> int:
    return v if shift == 0 else ((v >> shift) | (v << (64 - shift))) & MASK


def shift_mix(v: int) -> int:
    return v ^ (v >> 47)


def _hash_len_16(u: int, v: int, mul: int) -> int:
    a = ((u ^ v) * mul) & MASK
    a ^= a >> 47
    b = ((v ^ a) * mul) & MASK
    b ^= b >> 47
    return (b * mul) & MASK


def _hash_len_0_to_16(s: bytes) -> int:
    n = len(s)
    if n >= 8:
        mul = K2 + n * 2
        a = (_fetch64(s, 0) + K2) & MASK
        b = _fetch64(s, n - 8)
        c = (_rotate(b, 37) * mul + a) & MASK
        d = ((_rotate(a, 25) + b) * mul) & MASK
        return _hash_len_16(c, d, mul)
    if n >= 4:
        mul = K2 + n * 2
        a = _fetch32(s, 0)
        return _hash_len_16(n + (a << 3), _fetch32(s, n - 4), mul)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return (shift_mix(((y * K2) ^ (z * K0)) & MASK) * K2) & MASK
    return K2


def _hash_len_17_to_32(s: bytes) -> int:
    n = len(s)
    mul = K2 + n * 2
    a = (_fetch64(s, 0) * K1) & MASK
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & MASK
    d = (_fetch64(s, n - 16) * K2) & MASK
    return _hash_len_16((_rotate((a + b) & MASK, 43) + _rotate(c, 30) + d) & MASK,
                        (a + _rotate((b + K2) & MASK, 18) + c) & MASK, mul)


def _hash_len_33_to_64(s: bytes) -> int:
    n = len(s)
    mul = K2 + n * 2
    a = (_fetch64(s, 0) * K2) & MASK
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & MASK
    d = (_fetch64(s, n - 16) * K2) & MASK
    y = (_rotate((a + b) & MASK, 43) + _rotate(c, 30) + d) & MASK
    z = _hash_len_16(y, (a + _rotate((b + K2) & MASK, 18) + c) & MASK, mul)
    e = (_fetch64(s, 16) * mul) & MASK
    f = _fetch64(s, 24)
    g = ((y + _fetch64(s, n - 32)) * mul) & MASK
    h = ((z + _fetch64(s, n - 24)) * mul) & MASK
    return _hash_len_16((_rotate((e + f) & MASK, 43) + _rotate(g, 30) + h) & MASK,
                        (e + _rotate((f + a) & MASK, 18) + g) & MASK, mul)


def _weak_hash_len_32_with_seeds(s: bytes, i: int, a: int, b: int) -> tuple:
    w, x, y, z = _fetch64(s, i), _fetch64(s, i + 8), _fetch64(s, i + 16), _fetch64(s, i + 24)
    a = (a + w) & MASK
    b = _rotate((b + a + z) & MASK, 21)
    c = a
    a = (a + x + y) & MASK
    b = (b + _rotate(a, 44)) & MASK
    return (a + z) & MASK, (b + c) & MASK


def fingerprint64(s: bytes) -> int:
    """FarmHash Fingerprint64 (``farmhashna::Hash64``) of ``s``: an int in [0, 2⁶⁴)."""
    n = len(s)
    if n <= 16:
        return _hash_len_0_to_16(s)
    if n <= 32:
        return _hash_len_17_to_32(s)
    if n <= 64:
        return _hash_len_33_to_64(s)
    # Over 64 bytes: 64-byte blocks through a 56-byte state (v, w, x, y, z), then the last 64.
    seed = 81
    x = seed
    y = (seed * K1 + 113) & MASK
    z = (shift_mix((y * K2 + 113) & MASK) * K2) & MASK
    v = (0, 0)
    w = (0, 0)
    x = (x * K2 + _fetch64(s, 0)) & MASK
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x = (_rotate((x + y + v[0] + _fetch64(s, i + 8)) & MASK, 37) * K1) & MASK
        y = (_rotate((y + v[1] + _fetch64(s, i + 48)) & MASK, 42) * K1) & MASK
        x ^= w[1]
        y = (y + v[0] + _fetch64(s, i + 40)) & MASK
        z = (_rotate((z + w[0]) & MASK, 33) * K1) & MASK
        v = _weak_hash_len_32_with_seeds(s, i, (v[1] * K1) & MASK, (x + w[0]) & MASK)
        w = _weak_hash_len_32_with_seeds(s, i + 32, (z + w[1]) & MASK, (y + _fetch64(s, i + 16)) & MASK)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = K1 + ((z & 0xff) << 1)
    i = last64
    w = ((w[0] + ((n - 1) & 63)) & MASK, w[1])
    v = ((v[0] + w[0]) & MASK, v[1])
    w = ((w[0] + v[0]) & MASK, w[1])
    x = (_rotate((x + y + v[0] + _fetch64(s, i + 8)) & MASK, 37) * mul) & MASK
    y = (_rotate((y + v[1] + _fetch64(s, i + 48)) & MASK, 42) * mul) & MASK
    x ^= (w[1] * 9) & MASK
    y = (y + v[0] * 9 + _fetch64(s, i + 40)) & MASK
    z = (_rotate((z + w[0]) & MASK, 33) * mul) & MASK
    v = _weak_hash_len_32_with_seeds(s, i, (v[1] * mul) & MASK, (x + w[0]) & MASK)
    w = _weak_hash_len_32_with_seeds(s, i + 32, (z + w[1]) & MASK, (y + _fetch64(s, i + 16)) & MASK)
    z, x = x, z
    return _hash_len_16((_hash_len_16(v[0], w[0], mul) + shift_mix(y) * K0 + z) & MASK,
                        (_hash_len_16(v[1], w[1], mul) + x) & MASK, mul)


def siphash24(key: tuple, s: bytes) -> int:
    """SipHash-2-4 of ``s`` with the 128-bit key ``(k0, k1)``: an int in [0, 2⁶⁴).

    State v0..v3 from the key and "somepseudorandomlygeneratedbytes"; each 8-byte word m:
    v3 ⊕= m, two SipRounds, v0 ⊕= m; the last word carries len(s) mod 256 in its top byte;
    then v2 ⊕= 0xff, four SipRounds, and the result v0 ⊕ v1 ⊕ v2 ⊕ v3.
    """
    k0, k1 = key[0] & MASK, key[1] & MASK
    v0, v1 = k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d
    v2, v3 = k0 ^ 0x6c7967656e657261, k1 ^ 0x7465646279746573

    def sip_round(v0, v1, v2, v3):
        v0 = (v0 + v1) & MASK
        v1 = _rotate(v1, 64 - 13) ^ v0
        v0 = _rotate(v0, 64 - 32)
        v2 = (v2 + v3) & MASK
        v3 = _rotate(v3, 64 - 16) ^ v2
        v0 = (v0 + v3) & MASK
        v3 = _rotate(v3, 64 - 21) ^ v0
        v2 = (v2 + v1) & MASK
        v1 = _rotate(v1, 64 - 17) ^ v2
        v2 = _rotate(v2, 64 - 32)
        return v0, v1, v2, v3

    n = len(s)
    tail = s[n - n % 8:] + bytes(7 - n % 8) + bytes([n & 0xff])
    for m in [_fetch64(s, i) for i in range(0, n - n % 8, 8)] + [_fetch64(tail, 0)]:
        v3 ^= m
        v0, v1, v2, v3 = sip_round(*sip_round(v0, v1, v2, v3))
        v0 ^= m
    v2 ^= 0xff
    for _ in range(4):
        v0, v1, v2, v3 = sip_round(v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3


def fingerprint_cat64(fp1: int, fp2: int) -> int:
    """TF's FingerprintCat64: combine two fingerprints, order-dependent (see the module docstring)."""
    result = fp1 ^ _CAT_MUL
    result ^= (shift_mix((fp2 * _CAT_MUL) & MASK) * _CAT_MUL) & MASK
    result = (result * _CAT_MUL) & MASK
    result = (shift_mix(result) * _CAT_MUL) & MASK
    return shift_mix(result)


def cross_feature(value) -> int:
    """F(x) of ``tf.sparse.cross_hashed``: Fingerprint64 of a string, an integer as it is (mod 2⁶⁴)."""
    if isinstance(value, (str, bytes)):
        return fingerprint64(as_bytes(value))
    return int(value) & MASK


def as_bytes(value) -> bytes:
    """What TF hashes for a value: a str's UTF-8 bytes, bytes as they are, an integer's decimal
    text (``tf.as_string``: ``-3`` → ``b"-3"``)."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    return str(int(value)).encode("ascii")
