"""``python -m playground perceptron``: the perceptron rule on the lab's data.

python -m playground perceptron --dataset line --epochs 20 --seed 1 --json
prints {"weights": [[w1, w2, b], …], "mistakes": […], "converged", "updates"}: the
weights at the end of each epoch and how many examples were wrong in it, until the
first epoch without a mistake or --epochs; without --json, a line per epoch.
"""

import argparse
import json

from playground.labs.overfitting.command import _at_least_zero, _whole
from playground.labs.perceptron.model import DATASETS, run

MAX_POINTS = 500  # what the playground's datasets draw


def perceptron(args: argparse.Namespace) -> int:
    _, _, result = run(args.dataset, args.points, args.seed, args.rate, args.epochs, args.noise)
    if args.json:
        print(json.dumps({
            "weights": result.weights.tolist(),
            "mistakes": result.mistakes,
            "converged": result.converged,
            "updates": len(result.updates),
        }))  # fmt: skip
        return 0
    for epoch, (weights, wrong) in enumerate(zip(result.weights, result.mistakes, strict=True), 1):
        shown = ", ".join(f"{w:.6g}" for w in weights)
        print(f"epoch {epoch:>4}: {wrong:>4} wrong; w1, w2, b = {shown}")
    ending = "no mistake in the last epoch" if result.converged else "still mistakes"
    print(f"{len(result.updates)} updates; {ending}")
    return 0


def add_command(commands) -> None:
    """Adds ``perceptron`` to ``python -m playground``'s subcommands."""
    parser = commands.add_parser(
        "perceptron", help="run the perceptron rule on the lab's data and print its weights"
    )
    parser.add_argument("--dataset", choices=DATASETS, default="line")
    parser.add_argument("--points", type=_whole(1, MAX_POINTS), default=40)
    parser.add_argument("--epochs", type=_whole(1, 100_000), default=20)
    parser.add_argument("--seed", type=_whole(0, 2**31 - 1), default=1)
    parser.add_argument("--rate", type=_at_least_zero, default=0.1, help="η (default 0.1)")
    parser.add_argument(
        "--noise", type=_at_least_zero, default=0.0, help="the playground's datasets' noise, %%"
    )
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=perceptron)
