"""Numbers as URL text. Read as JavaScript's unary plus reads a text, the way TensorFlow
Playground reads its URL values: decimals, Infinity, 0x/0o/0b literals, NaN (here None)
for anything else; whatever the text's length or script, it never raises. Written as
the shortest text that reads back the same."""

import math
import re
from decimal import Decimal

# ASCII digits only: Python's \d and float() also take other scripts' digits, JS does not.
DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_RADIX = {"0x": (16, re.compile("[0-9a-fA-F]+")), "0o": (8, re.compile("[0-7]+"))}
_RADIX["0b"] = (2, re.compile("[01]+"))
# What JavaScript's Number() trims: WhiteSpace and LineTerminator, not all of Unicode's.
_SPACE = "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)


def js_number(text: str) -> float | None:
    """What JavaScript's ``+text`` gives, or None where that is NaN; never raises,
    whatever the length (a number beyond float range is infinite, as in JavaScript)."""
    text = text.strip(_SPACE)
    if DECIMAL.fullmatch(text):
        return float(text)  # no digit limit for floats: 1e400 and 4,301 digits are inf
    if text in ("Infinity", "+Infinity", "-Infinity"):
        return float(text.replace("Infinity", "inf"))
    base, digits = _RADIX.get(text[:2].lower(), (0, None))
    if digits is None or not digits.fullmatch(text[2:]):
        return None  # e.g. 0b2, or a sign before the prefix (NaN in JavaScript too)
    # Powers of two have no int-string limit; the float is correctly rounded, as in JS.
    try:
        return float(int(text[2:], base))
    except OverflowError:  # rounds to 2**1024 or beyond: Infinity in JavaScript
        return math.inf


def format_number(value: float) -> str:
    """Shortest text that parses back to ``value``, as JavaScript writes it: 0.00001, but
    1e-7 and 1e+21 (an exponent below 1e-6 and from 1e21 on)."""
    value = float(value)
    text = repr(value)
    if value and math.isfinite(value) and not 1e-6 <= abs(value) < 1e21:
        mantissa, exponent = text.split("e")  # repr has an exponent this far out
        return f"{mantissa.removesuffix('.0')}e{int(exponent):+d}"
    if "e" in text:
        text = format(Decimal(text), "f")
    return text.removesuffix(".0")


def js_round(value: float) -> int:
    return math.floor(value + 0.5)  # Math.round: halves go up
