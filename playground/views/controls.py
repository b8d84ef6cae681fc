"""How the page writes its figures: the epoch counter's, the losses'."""

import math


def format_epoch(epoch: int) -> str:
    """The original's counter: the last six digits, zero-padded, with a comma: 001,234."""
    digits = f"{epoch % 1_000_000:06d}"
    return f"{digits[:3]},{digits[3:]}"


def format_loss(value: float) -> str:
    return f"{value:.3f}" if math.isfinite(value) else "NaN"
