"""Bytes a tab's frames carry: per frame, and per second at a crowded and a quiet pace.

Composes a tab's frames in this process (no server) the way its frame clock does,
``--frames`` of them from a fresh network, at 1 and at 5 epochs per frame, for the
default and the large scene, and prints the median and 90th percentile of a frame's
bytes (the JSON and the arrays, as the tab's own socket sends them) with the pictures
sent as what changed (``playground/views/delta.py``) and, for comparison, whole.

    .venv/bin/python benchmarks/frame_bytes.py [--frames 600]
"""

import argparse
import statistics

import numpy as np

from playground.pipe.wire import encode, pack
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.views import delta

SCENES = {
    "default": {"seed": "0.5"},
    "large": {
        "seed": "0.5",
        "dataset": "spiral",
        "features": ["x", "y", "xTimesY", "xSquared", "ySquared", "sinX", "sinY"],
        "network_shape": [8, 8, 8, 8, 8, 8],
    },
}
PACES = {"crowded (12 frames/s)": 12, "alone (57 frames/s)": 57}


def frame_sizes(scene: dict, epochs_per_frame: int, frames: int) -> list[int]:
    app = PlaygroundApp(PlaygroundState(**scene))
    sizes = []
    for number in range(1, frames + 1):
        app.state.train(epochs_per_frame)
        message, arrays = app.composer.message(number)
        binary, parts = pack(arrays)
        sizes.append(len(encode({**message, "parts": parts}, binary)))
    return sizes[1:]  # the first brings everything: not a playing frame's size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=600)
    args = parser.parse_args()
    changed_only = delta.CHANGED
    print(
        f"{'scene':8} {'epochs/frame':>12} {'picture':>8} {'median B':>9} {'p90 B':>7}  per second"
    )
    for name, scene in SCENES.items():
        for epochs in (1, 5):
            for label, changed in (("changes", changed_only), ("whole", ())):
                delta.CHANGED = changed
                sizes = frame_sizes(scene, epochs, args.frames)
                median = statistics.median(sizes)
                rates = ", ".join(
                    f"{fps * median / 1000:.0f} kB {pace}" for pace, fps in PACES.items()
                )
                print(
                    f"{name:8} {epochs:>12} {label:>8} {median:>9.0f} "
                    f"{np.percentile(sizes, 90):>7.0f}  {rates}"
                )
    delta.CHANGED = changed_only


if __name__ == "__main__":
    main()
