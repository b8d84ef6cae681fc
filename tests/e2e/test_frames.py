"""Painted frames in headless Chromium: at a fixed speed each shows the speed's epochs.

Frames are counted, never timed: the browser logs the epoch counter of every frame it
paints (the ``painted`` event of its live view's own events, sent once per painted
frame by ``assets/live_view.js``: ``assets/view_events.js``).
"""

from itertools import pairwise

import numpy as np
import pytest
from playwright.sync_api import expect

from playground.colors import map_palette
from playground.state import PlaygroundState
from playground.views.compose import FrameComposer
from playground.views.network import NetworkDiagram

pytestmark = pytest.mark.browser

PLAYING_FRAMES = 60
PATIENCE_MS = 120_000  # a safety net for a stuck page, not a speed requirement
# Every frame the server sends shows exactly the speed's epochs more (tests/test_loop.py);
# a browser starved of CPU may still paint a burst of frames as one, so a few painted
# frames may show more. (When a late draw let the next epochs in, every frame showed two
# steps.)
EXACT_SHARE = 0.9

LOG_PAINTED_EPOCHS = """() => {
  window.__paintedEpochs = [];
  const [events] = window.playgroundViews.values();  // the page's one live view
  events.addEventListener("painted", (event) => {
    window.__paintedEpochs.push(Number(event.detail.epoch.replace(/\\D/g, "")));
  });
}"""


@pytest.mark.alone  # a browser starved of CPU paints bursts of frames as one
@pytest.mark.parametrize("speed", [1, 3])
def test_at_a_fixed_speed_each_painted_frame_shows_the_speed_s_epochs(tab, speed):
    page = tab.page
    page.goto(f"{tab.base_url}?seed=0.5&speed={speed}")
    expect(page.locator(".epoch div").first).to_contain_text("000,000")
    page.evaluate(LOG_PAINTED_EPOCHS)
    play = page.locator(".ui-playButton button")
    play.click()
    page.wait_for_function(
        f"() => window.__paintedEpochs.filter((e) => e > 0).length >= {PLAYING_FRAMES}",
        timeout=PATIENCE_MS,
    )
    shown = [e for e in page.evaluate("() => window.__paintedEpochs") if e > 0]
    play.click()  # (taken while playing: a pause may cut a step short)
    steps = [later - earlier for earlier, later in pairwise([0, *shown])]
    assert all(step > 0 and step % speed == 0 for step in steps), steps  # whole steps only
    exact = sum(1 for step in steps if step == speed)
    assert exact >= EXACT_SHARE * len(steps), steps


# Frames painted by the page's one live view (assets/view_events.js counts them).
PAINTED = "() => [...(window.playgroundViews?.values() ?? [])][0]?.painted ?? 0"
READ_PICTURE = """canvas => Array.from(
  canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data
)"""


def test_the_picture_built_from_changed_pixels_is_the_server_s_picture(tab):
    """Frames after the first carry only the pixels that changed (views/delta.py); after
    many such frames the painted picture is, pixel for pixel, the network's picture at
    the epoch the counter shows (the same seed trained here to that epoch)."""
    page = tab.page
    page.goto(f"{tab.base_url}?seed=0.5&speed=1")
    expect(page.locator(".epoch div").first).to_contain_text("000,000")
    play = page.locator(".ui-playButton button")
    play.click()
    page.wait_for_function(f"() => ({PAINTED})() > 80", timeout=PATIENCE_MS)
    play.click()
    painted = -1
    while painted != (painted := page.evaluate(PAINTED)):
        page.wait_for_timeout(500)  # until no frame has come for half a second
    epoch = int(page.locator(".epoch div").first.inner_text().replace(",", "")[-6:])
    rgba = np.array(page.locator("canvas.heatmap").first.evaluate(READ_PICTURE), dtype=int)
    state = PlaygroundState(seed="0.5", speed=1)
    state.train(epoch)
    expected = FrameComposer(state, NetworkDiagram(state)).message(1)[1]["heatmap"].reshape(-1)
    palette = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in map_palette(2)])
    # Each painted pixel's colour is its palette colour (alpha blended away by reading
    # RGB of a straight-alpha image): the nearest palette colour gives its index back.
    shown = np.argmin(((rgba.reshape(-1, 4)[:, None, :3] - palette) ** 2).sum(-1), axis=1)
    assert epoch > 50
    assert (shown == expected).mean() > 0.999, (shown != expected).sum()
