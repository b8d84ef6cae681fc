"""``python -m playground optimize``: one racer's path on a surface, headless.

    python -m playground optimize --surface rosenbrock --optimizer adam --lr 0.01 \\
        --steps 100 --start -1.5,2.5 [--momentum μ] [--rho r] [--beta1 b] [--beta2 b] \\
        [--epsilon e] [--json]

The optimizers and their hyper-parameters' flags are the engine's registry's
(``racers.py``): an optimizer registered there is one more ``--optimizer`` choice, and
each hyper-parameter it takes a flag, with the range the engine gives it.

``--json`` prints ``{"path": [[x, y], ...]}``: steps + 1 points, the start first. A path
that diverges is printed up to its last finite point, with ``"diverged_at"``, and the
command exits with status 1.
"""

import argparse
import json
import math
import re
import sys

from playground.engine import OPTIMIZERS, Range, hyper_defaults
from playground.labs.optimizers.race import hyper_parameters, run_racer
from playground.labs.optimizers.racers import LECTURE_LR, HyperParameter, all_hyper_parameters
from playground.labs.optimizers.surfaces import SURFACES

MAX_STEPS = 1_000_000


def _point(text: str) -> tuple[float, float]:
    parts = text.split(",")
    try:
        x, y = (float(part) for part in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected two numbers as X,Y, got {text!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise argparse.ArgumentTypeError(f"the start must be finite, got {text!r}")
    return x, y


def _number(low: float, high: float, low_open: bool = False, high_open: bool = False):
    """A float in [low, high] (an end given as open is excluded)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        too_low = value <= low if low_open else value < low
        too_high = value >= high if high_open else value > high
        if not math.isfinite(value) or too_low or too_high:
            if math.isinf(high):
                raise argparse.ArgumentTypeError(f"must be a finite number above {low:g}")
            left, right = "(" if low_open else "[", ")" if high_open else "]"
            raise argparse.ArgumentTypeError(f"must be in {left}{low:g}, {high:g}{right}")
        return value

    return parse


def _in(range_: Range):
    return _number(range_.low, range_.high, range_.low_open, range_.high_open)


def _help(hyper: HyperParameter) -> str:
    """ "Momentum μ (0.8)"; "ε (each optimizer's own default)" where they differ."""
    if math.isnan(hyper.default):
        return f"{hyper.symbol} (each optimizer's own default)"
    return f"{hyper.label} ({hyper.default:g})"


def _steps(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value <= MAX_STEPS:
        raise argparse.ArgumentTypeError(f"must be from 0 to {MAX_STEPS}")
    return value


def add_command(commands) -> None:
    """Adds ``optimize`` to the command line's subparsers."""
    opt = commands.add_parser("optimize", help="an optimizer's path on a 2-D loss surface")
    opt.add_argument("--surface", required=True, choices=list(SURFACES))
    opt.add_argument("--optimizer", required=True, choices=list(OPTIMIZERS))
    opt.add_argument("--lr", type=_number(0.0, math.inf, low_open=True), default=LECTURE_LR)
    opt.add_argument("--steps", type=_steps, required=True)
    opt.add_argument("--start", type=_point, required=True, metavar="X,Y")
    # The race's first (their defaults are the lecture's), then ε and its like.
    for hyper in sorted(all_hyper_parameters().values(), key=lambda h: math.isnan(h.default)):
        opt.add_argument(f"--{hyper.name}", type=_in(hyper.range), help=_help(hyper))
    opt.add_argument("--json", action="store_true", help='print {"path": [[x, y], ...]}')
    opt.set_defaults(run=optimize)
    # "--start -1.5,2.5" must read as a value: before Python 3.13, argparse takes only a
    # bare number for a negative one and would see an unknown option. This is the
    # pattern 3.13 itself uses.
    opt._negative_number_matcher = re.compile(r"-\.?\d")


def optimize(args: argparse.Namespace) -> int:
    given = {
        name: getattr(args, name)
        for name in all_hyper_parameters()
        if getattr(args, name) is not None
    }
    unknown = sorted(set(given) - set(hyper_defaults(OPTIMIZERS[args.optimizer])))
    if unknown:
        flags = ", ".join(f"--{name}" for name in unknown)
        print(f"error: {flags} does not apply to {args.optimizer}", file=sys.stderr)
        return 2
    hyper = hyper_parameters(args.optimizer, given)
    path = run_racer(args.optimizer, args.surface, args.start, args.steps, args.lr, hyper)
    points = path.points.tolist()
    if args.json:
        result = {"path": points}
        if path.diverged_at is not None:
            result["diverged_at"] = path.diverged_at
        print(json.dumps(result))
    else:
        print(f"{'step':>6}  {'x':>22}  {'y':>22}  {'loss':>22}")
        for i, ((x, y), loss) in enumerate(zip(points, path.loss.tolist(), strict=True)):
            print(f"{i:>6}  {x:>22.17g}  {y:>22.17g}  {loss:>22.17g}")
    if path.diverged_at is not None:
        print(
            f"diverged: step {path.diverged_at} left the finite numbers; try a smaller --lr",
            file=sys.stderr,
        )
        return 1
    return 0
