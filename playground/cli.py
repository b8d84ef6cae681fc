"""Command line: serve the playground, replay a reference run, or train headless.

python -m playground serve [--port 5006] [--address 0.0.0.0] [--workers 4] [--show]
python -m playground proxy-config --workers 4 [--upstream HOST:PORT,...]
python -m playground replay FILE.json [--from-seed] [--json]
python -m playground train --dataset spiral --features x,y,sinX,sinY --hidden 8,8 ...
python -m playground train --data points.csv --epochs 50 --save scene.json
python -m playground export scene.json --csv F --model F --script F --png F --loss-png F
python -m playground optimize --surface rosenbrock --optimizer adam --lr 0.05 --steps 500 --start -1.5,2 --json
python -m playground overfit --degree 10 --points 10 --noise 1 --seed 20 --json
python -m playground perceptron --dataset line --epochs 20 --seed 1 --json
python -m playground sweep --x learningRate=0.001,0.01,0.1 --y batchSize=1,10,30 --epochs 200 --json
python -m playground hopfield --neurons 400 --patterns 10 --temperature 0 --sweeps 20 --flip 0.1 --json
"""

import argparse
import json
import sys
from pathlib import Path

from playground import export_cli, reference, serve, sweep_cli
from playground.datasets import DATASETS, read_csv
from playground.datasets.own import UPLOADED_SETS, decode_points, from_csv
from playground.engine import FEATURES, Trainer
from playground.hall import proxy_cli
from playground.labs.hopfield import command as hopfield_command
from playground.labs.optimizers import command as optimizers_command
from playground.labs.overfitting import command as overfitting_command
from playground.labs.perceptron import command as perceptron_command
from playground.model import RunConfig, new_trainer, normalization_for, start_run
from playground.scene_file import dumps, scene_dict
from playground.settings import (
    Choice,
    Dataset,
    Features,
    Flag,
    Number,
    Points,
    Rate,
    Shape,
    Slider,
    Text,
    run_settings,
)
from playground.threads import single_threaded_blas

CURVES = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")


def train_curves(trainer: Trainer, epochs: int) -> dict[str, list[float]]:
    """Train and test loss before training (index 0) and after every epoch, and for
    classification the train and test accuracy too."""
    names = CURVES[:2] if trainer.is_regression else CURVES
    curves = {name: [] for name in names}
    for epoch in range(epochs + 1):
        if epoch:
            trainer.epoch()
        for name in names:
            curves[name].append(getattr(trainer, name))
    return curves


def print_curves(curves: dict[str, list[float]], as_json: bool) -> None:
    if as_json:
        print(json.dumps(curves))
        return
    heads = [name.replace("_", " ") for name in curves]
    print(f"{'epoch':>6}" + "".join(f"  {head:>22}" for head in heads))
    for epoch, values in enumerate(zip(*curves.values(), strict=True)):
        print(f"{epoch:>6}" + "".join(f"  {value:>22.17g}" for value in values))


def replay(args: argparse.Namespace) -> int:
    ref = reference.load(args.file)
    config = reference.run_config(ref)
    if args.from_seed:
        if reference.normalization(ref) != normalization_for(config):
            raise ValueError("--from-seed draws networks normalized as the settings say")
        _, _, trainer = start_run(config)
    else:
        net = reference.initial_network(ref, config)
        trainer = new_trainer(
            config, net, reference.stored_data(ref), masks=reference.dropout_seed(ref)
        )
    epochs = int(ref["config"]["epochs"]) if args.epochs is None else args.epochs
    curves = train_curves(trainer, epochs)
    print_curves({name: curves[name] for name in CURVES[:2]}, args.json)
    return 0


def train(args: argparse.Namespace) -> int:
    """``--features`` left out: the dataset's own (``inputs.default_features``).
    ``--data``: a CSV file's points, the uploaded set of their problem type."""
    values = {name: getattr(args, name) for name in run_settings()}
    own = None
    if args.data is not None:
        own = from_csv(read_csv(Path(args.data).read_bytes()))
        values["dataset"] = UPLOADED_SETS[own.problem]
    config = RunConfig(own=own, **values)
    _, data, trainer = start_run(config)
    initial = trainer.net.copy()
    curves = train_curves(trainer, args.epochs)
    if args.save is not None:
        scene = scene_dict(
            config, data, initial, trainer.net, args.epochs, curves=curves,
            masks=trainer.dropout_seed,
        )  # fmt: skip
        Path(args.save).write_bytes(dumps(scene))
    print_curves(curves, args.json)
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
    """Names; which ones the dataset offers is checked once it is known (``RunConfig``)."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _points(text: str) -> tuple:
    try:
        return decode_points(text.strip())
    except ValueError as problem:
        message = f"not drawn points as a link writes them: {problem}"
        raise argparse.ArgumentTypeError(message) from None


def _within(low: float, high: float, whole: bool):
    def parse(text: str) -> float:
        try:
            value = int(text) if whole else float(text)
        except ValueError:
            kind = "a whole number" if whole else "a number"
            raise argparse.ArgumentTypeError(f"expected {kind}, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}")
        return value

    return parse


# A setting's kind -> argparse's keywords. Headless runs take any number where the app
# offers a dropdown of rates, and any dataset of either problem type.
OPTIONS = {
    Flag: lambda kind: {"action": "store_true"},
    Choice: lambda kind: {"choices": list(kind.options())},
    Dataset: lambda kind: {"choices": list(DATASETS)},
    Slider: lambda kind: {"type": _within(kind.low, kind.high, whole=kind.step == 1)},
    Rate: lambda kind: {"type": float},
    Number: lambda kind: {"type": _within(kind.low, kind.high, whole=False)},
    Shape: lambda kind: {"type": _int_list},
    Features: lambda kind: {"type": _feature_list, "metavar": "NAME,…"},
    Points: lambda kind: {"type": _points, "metavar": "TEXT"},
    Text: lambda kind: {},
}


def add_setting_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per run setting of the registry (``--learning-rate``; older names too)."""
    for name, setting in run_settings().items():
        parser.add_argument(
            setting.flag,
            *setting.cli_aliases,
            dest=name,
            default=None if isinstance(setting.kind, Features) else setting.default,
            help=_help(setting),
            **OPTIONS[type(setting.kind)](setting.kind),
        )


def _help(setting) -> str:
    text = setting.hint
    if isinstance(setting.kind, Features):
        # Which names: the dataset's (engine.FEATURES for a plane, a table's columns).
        plane = ", ".join(FEATURES)
        text += f" A plane's: {plane} (default x,y); a table's: its columns (default all)."
    return text.replace("%", "%%")


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

    tr = commands.add_parser("train", help="train headless and print the loss per epoch")
    add_setting_flags(tr)
    tr.add_argument("--epochs", type=int, default=100)
    tr.add_argument(
        "--data", metavar="FILE.csv", help="train on a CSV file's points (numbers, label last)"
    )
    tr.add_argument("--save", metavar="SCENE.json", help="write the trained scene to a file")
    tr.add_argument("--json", action="store_true")
    tr.set_defaults(run=train)
    export_cli.add_command(commands)

    sw = commands.add_parser("sweep", help="train a scene over a grid or random draws of settings")
    add_setting_flags(sw)
    sweep_cli.add_arguments(sw)
    sw.set_defaults(run=sweep_cli.run)

    overfitting_command.add_command(commands)
    perceptron_command.add_command(commands)
    hopfield_command.add_command(commands)
    optimizers_command.add_command(commands)
    proxy_cli.add_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    single_threaded_blas()
    try:
        return args.run(args)
    except (OSError, ValueError, KeyError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
