"""Command line: serve the playground, replay a reference run, or train headless.

python -m playground serve [--port 5006] [--address 0.0.0.0] [--num-procs 2] [--show]
python -m playground replay FILE.json [--from-seed] [--json]
python -m playground train --dataset spiral --features x,y,sinX,sinY --hidden 8,8 ...
"""

import argparse
import json
import sys

from playground import reference, serve
from playground.datasets import DATASETS
from playground.engine import ACTIVATIONS, FEATURES, REGULARIZERS, Trainer
from playground.model import RunConfig, new_trainer, start_run
from playground.threads import single_threaded_blas


def train_curves(trainer: Trainer, epochs: int) -> dict[str, list[float]]:
    """Train and test loss before training (index 0) and after every epoch."""
    curves = {"train_loss": [trainer.train_loss], "test_loss": [trainer.test_loss]}
    for _ in range(epochs):
        trainer.epoch()
        curves["train_loss"].append(trainer.train_loss)
        curves["test_loss"].append(trainer.test_loss)
    return curves


def print_curves(curves: dict[str, list[float]], as_json: bool) -> None:
    if as_json:
        print(json.dumps(curves))
        return
    print(f"{'epoch':>6}  {'train loss':>22}  {'test loss':>22}")
    for epoch, (train, test) in enumerate(zip(*curves.values(), strict=True)):
        print(f"{epoch:>6}  {train:>22.17g}  {test:>22.17g}")


def replay(args: argparse.Namespace) -> int:
    ref = reference.load(args.file)
    config = reference.run_config(ref)
    if args.from_seed:
        _, _, trainer = start_run(config)
    else:
        net = reference.network_from_layers(ref["initial_network"]["layers"], config)
        trainer = new_trainer(config, net, reference.stored_data(ref))
    epochs = int(ref["config"]["epochs"]) if args.epochs is None else args.epochs
    print_curves(train_curves(trainer, epochs), args.json)
    return 0


def train(args: argparse.Namespace) -> int:
    config = RunConfig(
        dataset=args.dataset,
        noise=args.noise,
        perc_train=args.perc_train,
        batch_size=args.batch,
        learning_rate=args.lr,
        activation=args.activation,
        regularization=args.regularization,
        regularization_rate=args.reg_rate,
        hidden=args.hidden,
        features=args.features,
        seed=args.seed,
        init_zero=args.init_zero,
    )
    _, _, trainer = start_run(config)
    print_curves(train_curves(trainer, args.epochs), args.json)
    return 0


def _int_list(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers, got {text!r}"
        ) from None
    if any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError("every hidden layer needs at least 1 neuron")
    return sizes


def _feature_list(text: str) -> tuple[str, ...]:
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        choices = ", ".join(FEATURES)
        raise argparse.ArgumentTypeError(f"unknown feature(s) {unknown}; choose from {choices}")
    return names


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m playground", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)

    srv = commands.add_parser("serve", help="serve the playground's pages in a browser")
    serve.add_arguments(srv)
    srv.set_defaults(run=serve.run)

    rep = commands.add_parser("replay", help="replay a tfp-reference/v1 JSON run")
    rep.add_argument("file")
    rep.add_argument(
        "--from-seed", action="store_true", help="regenerate data and weights from config.seed"
    )
    rep.add_argument("--epochs", type=int, default=None, help="default: config.epochs")
    rep.add_argument(
        "--json", action="store_true", help='print {"train_loss": [...], "test_loss": [...]}'
    )
    rep.set_defaults(run=replay)

    defaults = RunConfig()
    tr = commands.add_parser("train", help="train headless and print the loss per epoch")
    tr.add_argument("--dataset", choices=list(DATASETS), default=defaults.dataset)
    tr.add_argument("--noise", type=float, default=defaults.noise, help="0-50 (slider units)")
    tr.add_argument(
        "--perc-train",
        type=float,
        default=defaults.perc_train,
        help="percent of data used for training",
    )
    tr.add_argument("--batch", type=_positive_int, default=defaults.batch_size)
    tr.add_argument("--lr", type=float, default=defaults.learning_rate)
    tr.add_argument("--activation", choices=list(ACTIVATIONS), default=defaults.activation)
    tr.add_argument("--regularization", choices=list(REGULARIZERS), default=defaults.regularization)
    tr.add_argument("--reg-rate", type=float, default=defaults.regularization_rate)
    tr.add_argument(
        "--features",
        type=_feature_list,
        default=defaults.features,
        help="comma-separated: " + ",".join(FEATURES),
    )
    tr.add_argument(
        "--hidden",
        type=_int_list,
        default=defaults.hidden,
        help="neurons per hidden layer, e.g. 8,8 ('' for none)",
    )
    tr.add_argument(
        "--seed", default=defaults.seed, help="any string, as TensorFlow Playground's URL seed"
    )
    tr.add_argument("--init-zero", action="store_true", help="all weights and biases start at 0")
    tr.add_argument("--epochs", type=int, default=100)
    tr.add_argument("--json", action="store_true")
    tr.set_defaults(run=train)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    single_threaded_blas()
    try:
        return args.run(args)
    except (OSError, ValueError, KeyError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
