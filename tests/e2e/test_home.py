"""The home page in headless Chromium, under the real ``playground serve``: it opens
offline with every card, a card opens its scene in the playground, the layout wraps
from a phone to a projector, and "/" leads on with a TensorFlow Playground scene.
"""

import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from playground.labs.home.scenes import CARDS, links

from .app_page import ANSWER_S, open_app, query, selected_label, wait_until
from .harness import open_tab, running_server
from .test_app import TFP_SCENE

pytestmark = pytest.mark.browser


def home_url(server) -> str:
    return server.base_url.removesuffix("app")  # ".../app" -> ".../": the home page


def open_home(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".home-card")).to_have_count(len(CARDS))


def thumbnails_drawn(page: Page) -> int:
    """Thumbnails the browser decoded (an image that fails to decode has no width)."""
    return page.locator(".home-shots img").evaluate_all(
        "images => images.filter(i => i.complete && i.naturalWidth > 0).length"
    )


def test_home_opens_offline_with_every_card_and_thumbnail(tab):
    page = tab.page
    open_home(page, home_url(tab.server))
    expect(page).to_have_title(re.compile("lectures"))
    assert wait_until(lambda: thumbnails_drawn(page) == len(links()), ANSWER_S)
    for card in CARDS:
        expect(page.locator(".home-card h2", has_text=card.title)).to_have_count(1)
    assert not tab.console_errors


def test_a_playground_card_opens_its_scene(tab):
    page = tab.page
    open_home(page, home_url(tab.server))
    page.locator('.scene-link[title="ReLU"]').click()  # not Compare's "tanh against ReLU"
    expect(page).to_have_url(re.compile(r"/app\?.*\bactivation=relu\b"))
    expect(page.locator(".ui-activation select")).to_be_visible()
    assert wait_until(lambda: selected_label(page, "activation") == "ReLU", ANSWER_S)
    settings = query(page)  # the whole scene, as the playground writes it back
    assert settings["networkShape"] == "8,8,8,8,8,8"
    assert settings["seed"] == "0.31415"
    expect(page.locator(".url-notes")).to_be_hidden()


def test_a_lab_card_links_to_its_page(tab):
    page = tab.page
    open_home(page, home_url(tab.server))
    href = page.locator(".scene-link", has_text="T = 1.2").get_attribute("href")
    assert href == "hopfield?temperature=1.2"  # relative: opened under any prefix


def test_a_tensorflow_playground_hash_on_the_root_opens_the_playground(tab):
    page = tab.page
    page.goto(f"{home_url(tab.server)}#{TFP_SCENE}")
    expect(page).to_have_url(re.compile(r"/app\?.*\bactivation=relu\b"))
    open_app(page, page.url)
    assert wait_until(lambda: selected_label(page, "activation") == "ReLU", ANSWER_S)
    assert query(page)["dataset"] == "xor"


def test_a_query_on_the_root_goes_to_the_playground(server):
    with urllib.request.urlopen(f"{home_url(server)}?dataset=xor&seed=1", timeout=60) as r:
        assert r.url == f"{server.base_url}?dataset=xor&seed=1"
    with urllib.request.urlopen(home_url(server), timeout=60) as r:
        assert r.url == home_url(server)
        assert "lectures" in r.read().decode()


def card_lefts(page: Page) -> set[int]:
    return {round(box["x"]) for box in page.locator(".home-card").evaluate_all(
        "cards => cards.map(c => c.getBoundingClientRect().toJSON())"
    )}  # fmt: skip


@pytest.mark.parametrize(("width", "height", "columns"), [(390, 844, 1), (1366, 768, 4)])
def test_the_cards_wrap_from_a_phone_to_a_projector(tab, width, height, columns):
    page = tab.page
    page.set_viewport_size({"width": width, "height": height})
    open_home(page, home_url(tab.server))
    assert len(card_lefts(page)) == columns
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, "the page scrolls sideways"


def test_under_a_prefix_the_cards_open_their_scenes(browser, tmp_path, request):
    with (
        running_server(tmp_path / "panel-serve.log", prefix="/lab") as server,
        open_tab(browser, server, request.node.name) as tab,
    ):
        page = tab.page
        open_home(page, home_url(server).removesuffix("/"))  # /lab, without its slash
        page.locator(".scene-link", has_text="Add X1X2").click()
        expect(page).to_have_url(re.compile(r"/lab/app\?.*\bdataset=xor\b"))
        open_app(page, page.url)
        assert query(page)["xTimesY"] == "true"


def test_a_presenter_link_opens_the_home_page_in_presenter_mode(tab):
    """ "/?presenter=true" stays on the home page (serve.py lets that one key through)
    and does there what it does on /app: the toggle on, the text at 18 px or more, the
    key kept in the address; toggled off, the key goes and the text is smaller."""
    from .test_pages import PRESENTER_TEXT_PX, measured

    page = tab.page
    open_home(page, home_url(tab.server) + "?presenter=true")
    expect(page.locator(".presenter-toggle input")).to_be_checked()
    presenting = measured(page, "home", PRESENTER_TEXT_PX)
    assert not presenting["small"], presenting["small"]
    assert "presenter=true" in page.evaluate("location.search")
    page.locator(".presenter-toggle label").click()
    page.wait_for_function("!location.search.includes('presenter')")
    expect(page.locator(".home-card")).to_have_count(len(CARDS))
    assert measured(page, "home", PRESENTER_TEXT_PX)["small"], "the text is smaller again"
