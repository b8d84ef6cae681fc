"""A lab's notes show a link's bad values as the text they are: no link, no image, no
markup, no request.

The notes were rendered as Markdown (an Alert pane): ``surface=[Log in here](https://…)``
put a real link into the page, a bare address became a link and ``![x](…)`` a remote
image. Now every page uses the playground's notes box (``views/notes.py``), which puts
the text in with ``textContent``.
"""

from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EVIL = "evil.example"
VALUES = [
    f"[Log in here](https://{EVIL}/login)",
    f"https://{EVIL}",
    f"![x](https://{EVIL}/x.png)",
    "<b>x</b>",
]
# Per page, four keys whose bad value a note quotes: the named ones first.
KEYS = {
    "/optimizers": ["surface", "racers", "steps", "startX"],
    "/overfitting": ["degrees", "points", "noise", "seed"],
    "/hopfield": ["patterns", "side", "temperature", "flip"],
    "/sweep": ["x", "y", "epochs", "metric"],
    "/perceptron": ["dataset", "points", "rate", "speed"],
    "/compare": ["dataset", "a.optimizer", "b.activation", "speed"],
}
QUOTED = 40  # a note quotes this much of a value (playground/labs/scene.py)


def quoted(path: str) -> int:
    """/compare's notes are the playground's (``playground/url.py``): 39 characters of a
    longer value, then an ellipsis."""
    return QUOTED - 1 if path == "/compare" else QUOTED


def lab_url(server, path: str, values: dict[str, str]) -> str:
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in values.items())
    return server.base_url.rsplit("/app", 1)[0] + f"{path}?{query}"


@pytest.mark.parametrize("path", sorted(KEYS))
def test_bad_values_show_as_plain_text(tab, path):
    page = tab.page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    keys = KEYS[path]
    for turn in range(len(VALUES)):  # every key gets every value once
        values = {key: VALUES[(k + turn) % len(VALUES)] for k, key in enumerate(keys)}
        page.goto(lab_url(tab.server, path, values))
        notes = page.locator(".url-notes")
        expect(notes).to_be_visible()
        for key, value in values.items():
            expect(notes).to_contain_text(f"{key}={value[: quoted(path)]}")
        assert notes.locator("a, img, b").count() == 0
        assert page.locator(f"a[href*='{EVIL}'], img[src*='{EVIL}']").count() == 0
    assert [url for url in requested if EVIL in (urlsplit(url).hostname or "")] == []
    assert tab.outside_requests == []
    assert tab.console_errors == []
