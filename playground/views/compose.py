"""One frame's content: every node's map in one grid pass, quantized, plus what else
changed since the browser's view last got it (scene, points, chart points, confusion
matrix, gradient sizes)."""

import numpy as np

from playground.colors import HEATMAP_ALPHA, NAN_INDEX, PALETTES, map_palette, quantize
from playground.state import PlaygroundState
from playground.views.controls import format_epoch, format_loss
from playground.views.delta import Changes
from playground.views.insight import TrainingInsight
from playground.views.loss import LossFeed
from playground.views.network import NetworkDiagram
from playground.views.output import points_arrays
from playground.views.pictures import Pictures


class FrameComposer:
    def __init__(self, state: PlaygroundState, diagram: NetworkDiagram) -> None:
        self.state = state
        self.diagram = diagram
        self.loss_feed = LossFeed(state)
        self.insight = TrainingInsight(state)
        self.changes = Changes()
        self._browser_has: dict[str, object] = {}  # scene and data versions sent since ready

    def restart(self) -> None:
        """The browser's view is new and empty: the next frame brings everything."""
        self.loss_feed.restart()
        self.insight.restart()
        self.changes.restart()
        self._browser_has = {}

    def _picture(self, maps: np.ndarray) -> np.ndarray:
        """The big plot's palette indices: the output, or the node under the mouse."""
        state, preview = self.state, self.diagram.preview_node
        pictures = Pictures(state.trainer.head, state.net.sizes[-1])
        if preview is None:
            return pictures.output(maps, state.discretize)
        if preview[0] == "feature":
            return quantize(state.input_maps([preview[1]])[0], state.discretize)
        return pictures.node(maps, preview[1], state.discretize)

    def message(self, frame: int) -> tuple[dict, dict[str, np.ndarray]]:
        """Frame number ``frame``: the JSON part and the arrays, as ``LiveView.send``
        takes them."""
        state = self.state
        maps = state.node_maps()
        message = {
            "frame": frame,
            "epoch": format_epoch(state.epoch),
            "dash": -state.epoch / 3,  # the dashes flow as training runs
            "losses": [format_loss(state.test_loss), format_loss(state.train_loss)],
            "show_test": state.show_test_data,
            **self.insight.fields(),
        }
        arrays = self.changes.arrays(
            {"heatmap": self._picture(maps), **self.diagram.frame(maps, state.discretize)}
        )
        # The scene carries the colours: a new palette is sent as a new scene.
        scene_key = (self.diagram.scene_version, state.palette)
        if self._browser_has.get("scene") != scene_key:
            self._browser_has["scene"] = scene_key
            message["scene"] = {
                **self.diagram.scene(),
                "palette": map_palette(state.config.classes, state.palette),
                "nan_index": NAN_INDEX,
                "scale": list(PALETTES[state.palette].scale),
                "heat_alpha": round(255 * HEATMAP_ALPHA),
            }
        if self._browser_has.get("data") != state.data_version:
            self._browser_has["data"] = state.data_version
            # A table's rows are no points of the plane: none drawn over it.
            data = state.data if state.is_plane else None
            arrays.update(points_arrays(data, state.config.classes))
        if chunk := self.loss_feed.chunk():
            message["chart_reset"] = chunk.pop("reset")
            arrays.update({f"chart_{key}": values for key, values in chunk.items()})
        return message, arrays
