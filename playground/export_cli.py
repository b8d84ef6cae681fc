"""``playground export SCENE.json``: a saved scene's data, model, NumPy script and
pictures, each to the file its option names."""

import argparse
import json
from pathlib import Path

from playground import inputs, reference
from playground.export import data_csv, model_dict, numpy_script
from playground.picture_png import gallery_image, loss_image, plot_image, png
from playground.scene_file import loads

EXPORTS = {
    "csv": "the data as CSV (training points first)",
    "model": "the trained model as JSON",
    "script": "a standalone NumPy script that prints the model's outputs",
    "png": "the output plot with its points (a table of images: its test images) as PNG",
    "loss_png": "the loss chart as PNG",
}


def add_command(commands) -> None:
    ex = commands.add_parser("export", help="write a saved scene's data, model, script, pictures")
    ex.add_argument("scene", metavar="SCENE.json")
    for name, text in EXPORTS.items():
        ex.add_argument("--" + name.replace("_", "-"), metavar="F", dest=name, help=text)
    ex.set_defaults(run=export)


def export(args: argparse.Namespace) -> int:
    scene = loads(Path(args.scene).read_bytes())
    config = reference.run_config(scene)
    data = reference.stored_data(scene)
    net = reference.network_from_layers(
        scene["final_network"]["layers"], config, reference.normalization(scene)
    )
    view = scene["config"]
    files = {
        "csv": lambda: data_csv(config, data),
        "model": lambda: json.dumps(model_dict(config, net), indent=1).encode(),
        "script": lambda: numpy_script(config, net).encode(),
        "png": lambda: png(_plot(config, net, data, view)),
        "loss_png": lambda: png(loss_image(*_losses(scene))),
    }
    chosen = [name for name in EXPORTS if getattr(args, name)]
    if not chosen:
        raise ValueError("name at least one file to write: " + ", ".join(
            "--" + name.replace("_", "-") for name in EXPORTS))  # fmt: skip
    for name in chosen:
        Path(getattr(args, name)).write_bytes(files[name]())
    return 0


def _plot(config, net, data, view: dict):
    if inputs.is_plane(config.declared):
        return plot_image(
            config,
            net,
            data,
            discretize=bool(view.get("discretize", False)),
            palette=view.get("palette", "original"),
            show_test=bool(view.get("showTestData", False)),
        )
    if inputs.picture_of(config.declared):
        return gallery_image(config, net, data)
    raise ValueError("a table's rows are no points of the plane, and no images: no picture")


def _losses(scene: dict) -> tuple[list, list, list]:
    """(epochs, train, test): the page's chart if the file keeps it, else every epoch's."""
    if history := scene.get("loss_history"):
        return history["epoch"], history["train"], history["test"]
    if "train_loss" in scene:
        return list(range(len(scene["train_loss"]))), scene["train_loss"], scene["test_loss"]
    raise ValueError("the scene keeps no losses to chart")
