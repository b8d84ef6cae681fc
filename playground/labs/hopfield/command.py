"""``python -m playground hopfield``: a Hopfield memory recalling pattern 1, headless.

p random patterns of N neurons are stored; the run starts from pattern 1 with a fraction
of its neurons flipped and prints, after each sweep, the overlap with pattern 1 and the
energy (``playground.labs.hopfield.model.recall``).
"""

import argparse
import json
import sys

from playground.labs.hopfield.model import recall

MAX_NEURONS = 20_000  # J is N x N floats: 3.2 GB at this size


def _bounded(kind: type, low: float, high: float | None = None):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            name = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"expected {name}, got {text!r}") from None
        if not value >= low or (high is not None and value > high):
            upper = f" to {high}" if high is not None else " or more"
            raise argparse.ArgumentTypeError(f"must be {low}{upper}, got {text}")
        return value

    return parse


def run(args: argparse.Namespace) -> int:
    overlap, energy = recall(
        args.neurons, args.patterns, args.temperature, args.sweeps, args.flip, args.seed
    )
    if args.json:
        sys.stdout.write(
            json.dumps({"overlap": overlap.tolist(), "energy": energy.tolist()}) + "\n"
        )
    else:
        sys.stdout.write("sweep overlap energy\n")
        for k, (m, E) in enumerate(zip(overlap, energy, strict=True), start=1):
            sys.stdout.write(f"{k} {m:.6f} {E:.6f}\n")
    return 0


def add_command(commands) -> None:
    """Adds ``hopfield`` to the command line's subparsers."""
    cmd = commands.add_parser("hopfield", help="recall a corrupted pattern in a Hopfield memory")
    cmd.add_argument("--neurons", type=_bounded(int, 1, MAX_NEURONS), default=400)
    cmd.add_argument("--patterns", type=_bounded(int, 1), default=10, help="random ±1 patterns")
    cmd.add_argument("--temperature", type=_bounded(float, 0.0, 1e6), default=0.0)
    cmd.add_argument("--sweeps", type=_bounded(int, 0, 100_000), default=20)
    cmd.add_argument(
        "--flip", type=_bounded(float, 0.0, 1.0), default=0.1,
        help="fraction of pattern 1's neurons flipped at the start",
    )  # fmt: skip
    cmd.add_argument("--seed", type=int, default=0)
    cmd.add_argument(
        "--json", action="store_true", help='print {"overlap": [...], "energy": [...]}'
    )
    cmd.set_defaults(run=run)
