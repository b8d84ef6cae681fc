"""The big picture sent as what changed (views/delta.py): a browser that writes each
frame's changes into its picture has the server's picture after any number of frames."""

import numpy as np

from playground.colors import quantize
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.views.delta import Changes


class Browser:
    """What assets/live_view.js does with a frame's picture arrays."""

    def __init__(self) -> None:
        self.kept: dict[str, np.ndarray] = {}

    def apply(self, arrays: dict) -> None:
        for name in ("heatmap", "thumbs"):
            if name in arrays:
                self.kept[name] = arrays[name].reshape(-1).copy()
            elif f"{name}_at" in arrays:
                self.kept[name][arrays[f"{name}_at"]] = arrays[f"{name}_to"]


def test_changes_only_and_the_browser_s_picture_stays_the_server_s():
    app = PlaygroundApp(PlaygroundState(seed="0.5"))
    browser, sizes, whole = Browser(), [], []
    for frame in range(1, 301):
        app.state.train(1)
        _message, arrays = app.composer.message(frame)
        whole.append("heatmap" in arrays)
        browser.apply(arrays)
        sizes.append(sum(a.nbytes for a in arrays.values()))
        expected = quantize(app.state.node_maps()[-1]).reshape(-1)
        np.testing.assert_array_equal(browser.kept["heatmap"], expected)
        thumbs = app.diagram.frame(app.state.node_maps(), False)["thumbs"]
        np.testing.assert_array_equal(browser.kept["thumbs"], thumbs)
    assert whole[0]
    assert sum(whole) < 0.1 * len(whole)  # mostly only what changed
    assert np.median(sizes[1:]) < 0.25 * sizes[0]  # a frame is a fraction of the first
    app.composer.restart()  # a new view: the whole picture again
    assert "heatmap" in app.composer.message(301)[1]


def test_a_picture_that_changed_almost_everywhere_goes_whole():
    changes = Changes()
    first = np.zeros((100, 100), np.uint8)
    assert changes.arrays({"heatmap": first, "weights": np.ones(3)})["heatmap"] is first
    some = first.copy()
    some[3, 4] = 7
    arrays = changes.arrays({"heatmap": some})
    assert set(arrays) == {"heatmap_at", "heatmap_to"}
    assert arrays["heatmap_at"].dtype == np.dtype("<u2")
    assert arrays["heatmap_at"].tolist() == [304]
    assert arrays["heatmap_to"].tolist() == [7]
    many = some.copy()
    many.reshape(-1)[:3334] = 9  # a third of the pixels: at 3 bytes each, the whole size
    assert set(changes.arrays({"heatmap": many})) == {"heatmap"}
    unchanged = changes.arrays({"heatmap": many})
    assert len(unchanged["heatmap_at"]) == len(unchanged["heatmap_to"]) == 0
