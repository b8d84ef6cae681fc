"""The seeded ``Math.random`` of TensorFlow Playground: seedrandom 2.4.4's ARC4 generator.

The original calls ``Math.seedrandom(seed)`` with the URL's seed string and then draws the
data, the shuffle and the initial weights from ``Math.random``. Reproducing that stream
draw for draw is what lets a TensorFlow Playground link open the same run here.
"""

from __future__ import annotations

import random

_WIDTH = 256  # every ARC4 output is one byte
_START_DENOM = _WIDTH**6  # a double starts from 6 bytes over 2**48
_SIGNIFICANCE = 2**52  # ... and is topped up to 52 significant bits
_OVERFLOW = 2**53
_CHUNK = 1024  # keystream bytes produced per refill


def _utf16_units(seed: str) -> list[int]:
    # JS strings are UTF-16: charCodeAt sees surrogate halves, not code points.
    data = seed.encode("utf-16-le", "surrogatepass")
    return [lo | hi << 8 for lo, hi in zip(data[::2], data[1::2], strict=True)]


def _mixkey(seed: str) -> list[int]:
    """Fold the seed into at most 256 key bytes, as seedrandom's mixkey does."""
    units = _utf16_units(seed)
    # Unset JS entries behave as 0 here: undefined * 19 is NaN, and smear ^ NaN == smear.
    key = [0] * min(len(units), _WIDTH)
    smear = 0
    for j, unit in enumerate(units):
        smear ^= key[j & 255] * 19
        key[j & 255] = (smear + unit) & 255
    return key or [0]  # ARC4 treats an empty key as [0]


def _key_schedule(key: list[int]) -> list[int]:
    S = list(range(_WIDTH))
    j = 0
    for i in range(_WIDTH):
        j = (j + key[i % len(key)] + S[i]) & 255
        S[i], S[j] = S[j], S[i]
    return S


class SeedRandom:
    """``Math.seedrandom(seed)`` with a string seed; ``random()`` is the new ``Math.random``.

    The ARC4 keystream does not depend on how it is consumed, so it is produced in
    chunks: the per-byte loop then runs on local variables, and a draw is a slice.
    """

    def __init__(self, seed: str) -> None:
        self._S = _key_schedule(_mixkey(seed))
        self._i = 0
        self._j = 0
        self._keystream(_WIDTH)  # RC4-drop[256]: seedrandom discards the first 256 bytes
        self._buffer = b""
        self._pos = 0

    def _keystream(self, count: int) -> bytes:
        S, i, j = self._S, self._i, self._j
        out = bytearray(count)
        for k in range(count):
            i = (i + 1) & 255
            t = S[i]
            j = (j + t) & 255
            S[i] = S[j]
            S[j] = t
            out[k] = S[(S[i] + t) & 255]
        self._i, self._j = i, j
        return bytes(out)

    def _take(self, count: int) -> int:
        """The next ``count`` keystream bytes as one big-endian integer (ARC4's g)."""
        pos, end = self._pos, self._pos + count
        if end > len(self._buffer):
            self._buffer = self._buffer[pos:] + self._keystream(_CHUNK)
            pos, end = 0, count
        self._pos = end
        return int.from_bytes(self._buffer[pos:end], "big")

    def random(self) -> float:
        """A double in [0, 1) with all 52 mantissa bits random, built as seedrandom does."""
        n, d, x = self._take(6), _START_DENOM, 0
        while n < _SIGNIFICANCE:  # shift in bytes until 52 significant bits are filled
            n = (n + x) * _WIDTH
            d *= _WIDTH
            x = self._take(1)
        while n >= _OVERFLOW:  # drop surplus low bits rather than round, so n + x stays exact
            n >>= 1
            d >>= 1
            x >>= 1
        return (n + x) / d  # d is a power of two: the division is exact


def random_seed() -> str:
    """A fresh seed string like the original's Math.random().toFixed(5), from the
    system's randomness (a new tab's data)."""
    return f"{random.SystemRandom().random():.5f}"


def next_seed(rng: SeedRandom) -> str:
    """``Math.random().toFixed(5)``: the seed the original picks when it regenerates data.

    toFixed rounds the double's exact binary value and takes the larger candidate on a
    tie, so 0.015625 gives "0.01563" where Python's round-half-even would give "0.01562".
    """
    p, q = rng.random().as_integer_ratio()
    n = (2 * p * 10**5 + q) // (2 * q)  # floor(x * 1e5 + 1/2) in exact arithmetic
    return f"{n // 10**5}.{n % 10**5:05d}"
