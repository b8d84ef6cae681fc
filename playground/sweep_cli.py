"""``playground sweep``: a grid or random search over one or two settings, headless.

playground sweep --x learningRate=0.001,0.003,0.01,0.03,0.1 --y batchSize=1,10,30
    --epochs 200 [the train command's scene flags] [--json]
playground sweep --x learningRate=0.0001:0.3 --y regularizationRate=0.001:0.3
    --random 20 --random-seed 1 --json
"""

import argparse
import json
import math

from playground.model import RunConfig
from playground.settings import run_settings
from playground.sweep import SweepJob, axis_keys, best_index, cell_values, parse_axis


def _axis(text: str):
    try:
        return parse_axis(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    keys = ", ".join(axis_keys())
    parser.add_argument(
        "--x", type=_axis, required=True, metavar="KEY=VALUES",
        help=f"the first setting and its values (v1,v2,… or low:high with --random); KEY: {keys}",
    )  # fmt: skip
    parser.add_argument("--y", type=_axis, metavar="KEY=VALUES", help="a second setting")
    parser.add_argument("--epochs", type=int, default=100, help="epochs per run")
    parser.add_argument(
        "--random", type=int, metavar="N", help="N random draws from ranges instead of a grid"
    )
    parser.add_argument("--random-seed", type=int, default=0, help="the draws' seed")
    parser.add_argument("--json", action="store_true", help='print {"cells": [...]}')


def run(args: argparse.Namespace) -> int:
    if args.epochs < 0:
        raise ValueError("--epochs must be 0 or more")
    axes = [a for a in (args.x, args.y) if a is not None]
    if len(axes) == 2 and axes[0].key == axes[1].key:
        raise ValueError("--x and --y must be different settings")
    ranged = [a.key for a in axes if a.low is not None]
    if args.random is None and ranged:
        raise ValueError(f"{', '.join(ranged)}: a range needs --random N")
    if args.random is not None and len(ranged) != len(axes):
        raise ValueError("--random draws from ranges: give each axis as low:high")
    if args.random is not None and args.random < 1:
        raise ValueError("--random needs 1 or more draws")
    base = RunConfig(**{name: getattr(args, name) for name in run_settings()})
    cells = cell_values(args.x, args.y, args.random, args.random_seed)
    results = SweepJob(base, cells, args.epochs).run_to_end()
    if args.json:
        print(json.dumps({"cells": results, "best": best_index(results)}))
        return 0
    heads = list(results[0])
    print("".join(f"{head:>20}" for head in heads))
    for result in results:
        print("".join(f"{_shown(result[head]):>20}" for head in heads))
    return 0


def _shown(value: float) -> str:
    return f"{value:.6g}" if isinstance(value, float) and math.isfinite(value) else str(value)
