"""Two playground scenes on one page (``two_scenes_app.py``, URL keys under ``a.`` and
``b.``) in headless Chromium: each epoch counter follows its own live view, each scene
keeps its own keys of the one address, the space bar plays the scene it is pressed in.

Frames are counted, never timed: each live view counts its painted frames on its own
events (``assets/view_events.js``)."""

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from .harness import Server, artifact_path, open_tab, running_server
from .two_scenes_server import TWO_SCENES_SERVER

pytestmark = pytest.mark.browser

EPOCH = re.compile(r"(\d{3}),(\d{3})")
PLAYING, PAUSED = "❚❚", "▶"
FRAMES = 30  # painted by the playing scene while the other is checked
PATIENCE_MS = 120_000  # a safety net for a stuck page, not a speed requirement


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("two-scenes") / "serve.log"
    with running_server(log, executable=TWO_SCENES_SERVER) as started:
        yield started


def epoch(scene: Locator) -> int:
    text = scene.locator(".epoch div").first.inner_text()
    match = EPOCH.search(text)
    assert match, text
    return int(match[1] + match[2])


def view_id(scene: Locator) -> str:
    """The scene's live view id, from its page's css class ``view-<id>``."""
    return scene.evaluate("(el) => [...el.classList].find((c) => c.startsWith('view-')).slice(5)")


def painted(page: Page, view: str) -> int:
    return page.evaluate(f"() => window.playgroundViews.get('{view}')?.painted ?? 0")


def wait_for_paints(page: Page, view: str, count: int) -> None:
    page.wait_for_function(
        f"() => (window.playgroundViews.get('{view}')?.painted ?? 0) >= {count}",
        timeout=PATIENCE_MS,
    )


def address(page: Page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query))


def scenes(page: Page) -> tuple[Locator, Locator]:
    a, b = page.locator(".playground").nth(0), page.locator(".playground").nth(1)
    for scene in (a, b):
        expect(scene.locator(".epoch div").first).to_contain_text("000,000")
        expect(scene.locator(".losses div").first).to_contain_text("Test loss")
    return a, b


def test_two_live_views_count_their_own_epochs_and_keep_their_own_keys(browser, server):
    with open_tab(browser, server, "two_scenes", viewport=(1300, 900)) as tab:
        page = tab.page
        two = server.base_url.removesuffix("/app") + "/two"
        page.goto(f"{two}?a.seed=0.5&b.seed=0.25&b.learningRate=0.1")
        a, b = scenes(page)
        a_view, b_view = view_id(a), view_id(b)
        assert a_view != b_view
        wait_for_paints(page, b_view, 1)  # b's first frame, its whole scene

        # a plays, b stays paused: b's counter never shows a's epochs.
        a.locator(".ui-playButton button").click()
        wait_for_paints(page, a_view, painted(page, a_view) + FRAMES)
        assert epoch(a) > 0
        assert epoch(b) == 0
        a.locator(".ui-playButton button").click()
        expect(a.locator(".ui-playButton button")).to_have_text(PAUSED)
        page.wait_for_timeout(500)  # frames on their way when paused
        a_epochs = epoch(a)

        # Now b plays and a is paused: each counter moves with its own view only.
        b.locator(".ui-playButton button").click()
        wait_for_paints(page, b_view, painted(page, b_view) + FRAMES)
        assert epoch(a) == a_epochs
        assert epoch(b) > 0
        b.locator(".ui-playButton button").click()
        expect(b.locator(".ui-playButton button")).to_have_text(PAUSED)

        # A change in a rewrites a's keys only; b's stay as they were.
        a.locator(".ui-activation select").select_option(label="ReLU")
        page.wait_for_function("() => location.search.includes('a.activation=relu')")
        keys = address(page)
        assert all(key.startswith(("a.", "b.")) for key in keys), keys
        assert keys["b.activation"] == "tanh"
        assert (keys["a.seed"], keys["b.seed"]) == ("0.5", "0.25")
        assert (keys["a.learningRate"], keys["b.learningRate"]) == ("0.03", "0.1")
        assert tab.frame_sockets >= 2  # each view's frames on a socket of its own

        # The address reopens both scenes as they were.
        page.goto(page.url)
        a, b = scenes(page)
        expect(a.locator(".ui-activation select")).to_have_value("ReLU")
        expect(b.locator(".ui-activation select")).to_have_value("Tanh")
        expect(b.locator(".ui-learningRate select")).to_have_value("0.1")

        # The space bar plays the scene last clicked in, not the other.
        b.locator(".output-plot").first.click()
        page.keyboard.press("Space")
        expect(b.locator(".ui-playButton button")).to_have_text(PLAYING)
        expect(a.locator(".ui-playButton button")).to_have_text(PAUSED)
        page.keyboard.press("Space")
        expect(b.locator(".ui-playButton button")).to_have_text(PAUSED)
        page.screenshot(path=str(artifact_path("two_scenes_whole_page")), full_page=True)
        assert tab.console_errors == []


def test_a_plain_app_beside_them_keeps_its_unprefixed_keys(browser, server):
    with open_tab(browser, server, "two_scenes_plain_app") as tab:
        page = tab.page
        page.goto(f"{server.base_url}#activation=relu&learningRate=0.3&seed=0.31415")
        page.wait_for_function("() => location.search.includes('activation=relu')")
        keys = address(page)
        assert keys["learningRate"] == "0.3"
        assert keys["seed"] == "0.31415"
        assert not [key for key in keys if "." in key], keys
