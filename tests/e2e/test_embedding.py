"""A course site's page shows the playground in an iframe; ``--frame-ancestors`` says
which sites may. Two tiny "course sites" on other ports of this machine frame /app: by
default a site shows it and it trains there; with ``--frame-ancestors`` naming one site,
that one shows it and Chromium refuses the frame on the other.
"""

import contextlib
import http.server
import threading
from collections.abc import Iterator

import pytest

from playground.testing import free_port

from .app_page import EPOCH, wait_until
from .harness import running_server

pytestmark = pytest.mark.browser

LOAD_MS = 20_000


@contextlib.contextmanager
def course_site(port: int, playground_url: str) -> Iterator[str]:
    """A page at http://127.0.0.1:``port`` (an origin of its own) framing the playground."""
    page = (
        "<!doctype html><html><body><h1>Lecture 3</h1>"
        f"<iframe id='scene' src='{playground_url}' width='1100' height='700'></iframe>"
        "</body></html>"
    ).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args) -> None:  # quiet in the test's output
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/lecture.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def shows_playground(browser, site_url: str, play: bool = False) -> bool:
    """Whether the course page's iframe shows the playground (and, with ``play``,
    whether it trains there: its epoch counter moves after Play)."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    try:
        page = context.new_page()
        page.goto(site_url, wait_until="load")  # the iframe's own load, or its refusal, first
        if page.frames[-1].url.startswith("chrome-error:"):  # Chromium's page for a refused frame
            return False
        frame = page.frame_locator("#scene")
        button = frame.locator(".ui-playButton button")
        try:
            button.wait_for(timeout=LOAD_MS)
        except Exception:  # noqa: BLE001 (Playwright's timeout: no playground in the frame)
            return False
        if not play:
            return True
        button.click()
        counter = frame.locator(".epoch div").first

        def epochs() -> int:
            match = EPOCH.search(counter.inner_text())
            return int(match[1] + match[2]) if match else 0

        return wait_until(lambda: epochs() > 20, 20)
    finally:
        context.close()


def test_a_course_site_frames_the_playground_and_it_trains_there(browser, tmp_path):
    site_port = free_port()
    with (
        running_server(tmp_path / "serve.log") as server,
        course_site(site_port, server.base_url) as site,
    ):
        assert shows_playground(browser, site, play=True)


def test_frame_ancestors_lets_only_the_named_site_frame_the_pages(browser, tmp_path):
    """(Every page's header, not only /app's: test_hostile_requests.py.)"""
    allowed_port, other_port = free_port(), free_port()
    allowed = f"http://127.0.0.1:{allowed_port}"
    with running_server(
        tmp_path / "serve.log", extra_args=("--frame-ancestors", allowed)
    ) as server:
        with course_site(allowed_port, server.base_url) as site:
            assert shows_playground(browser, site)
        with course_site(other_port, server.base_url) as site:
            assert not shows_playground(browser, site)
