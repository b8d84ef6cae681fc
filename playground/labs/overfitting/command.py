"""``python -m playground overfit``: one polynomial fit of the overfitting lab's data.

python -m playground overfit --degree 10 --points 10 --noise 1 --seed 20 --json
prints {"x_train", "y_train", "x_test", "y_test", "coefficients", "train_mse",
"test_mse"} (coefficients lowest power first); without --json, a short table.
"""

import argparse
import json

from playground.labs.overfitting.polyfit import MAX_DEGREE, fit_polynomial, make_data, mse

MAX_POINTS = 100_000  # far beyond a lecture's needs; keeps a typo from eating memory


def _whole(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}, got {value}")
        return value

    return parse


def _at_least_zero(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 <= value < float("inf"):  # NaN and inf too
        raise argparse.ArgumentTypeError(f"must be a finite number, 0 or more, got {text!r}")
    return value


def overfit(args: argparse.Namespace) -> int:
    data = make_data(args.points, args.noise, args.seed, args.test_points)
    coefficients = fit_polynomial(data.x_train, data.y_train, args.degree, args.ridge)
    result = {
        **{name: values.tolist() for name, values in data._asdict().items()},
        "coefficients": coefficients.tolist(),
        "train_mse": mse(coefficients, data.x_train, data.y_train),
        "test_mse": mse(coefficients, data.x_test, data.y_test),
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"degree {args.degree} fitted to {args.points} points (noise {args.noise:g})")
    for power, c in enumerate(result["coefficients"]):
        print(f"  c{power:<2} = {c:.17g}")
    print(f"train MSE {result['train_mse']:.17g}\ntest MSE  {result['test_mse']:.17g}")
    return 0


def add_command(commands) -> None:
    """Adds ``overfit`` to ``python -m playground``'s subcommands."""
    parser = commands.add_parser(
        "overfit", help="fit a polynomial to the overfitting lab's data and print the errors"
    )
    parser.add_argument("--degree", type=_whole(0, MAX_DEGREE), required=True)
    parser.add_argument("--points", type=_whole(1, MAX_POINTS), default=10, help="N (default 10)")
    parser.add_argument("--noise", type=_at_least_zero, default=1.0, help="σ (default 1)")
    parser.add_argument("--seed", type=_whole(0, 2**63 - 1), default=20)
    parser.add_argument(
        "--test-points", type=_whole(1, MAX_POINTS), default=None, help="M (default: N)"
    )
    parser.add_argument(
        "--ridge", type=_at_least_zero, default=0.0, help="λ in ‖Vc - y‖² + λ‖c‖² (default 0)"
    )
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=overfit)
