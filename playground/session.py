"""One browser tab's session: its URL read, its app built, its loop started and, when
the tab closes, stopped; the URL kept in step with the settings; process-wide setup."""

import asyncio
import logging
import weakref

import panel as pn

from playground.engine import FEATURES
from playground.loop import Fleet
from playground.pipe import (
    prepare_process,
    use_local_stylesheets,  # noqa: F401 (app.py imports it from here)
)
from playground.state import SETTINGS, PlaygroundState
from playground.ui import ASSETS, PlaygroundApp
from playground.url import UrlScene, query_from_state, scene_from_query

log = logging.getLogger("playground")


def scene_settings(scene: UrlScene) -> dict:
    """The scene's settings, with the features it hides from the UI switched off."""
    settings = dict(scene.settings)
    if hidden := set(scene.hidden) & set(FEATURES):
        features = settings.get("features", PlaygroundState.param.features.default)
        settings["features"] = [name for name in features if name not in hidden]
    return settings


def session_query() -> dict[str, str]:
    """The query string this tab was opened with."""
    args = pn.state.session_args or {}
    return {key: values[-1].decode("utf-8", "replace") for key, values in args.items() if values}


def serve_session() -> PlaygroundApp:
    """Builds one tab's app from its URL and wires its loop, URL sync and cleanup."""
    scene = scene_from_query(session_query())
    state = PlaygroundState(**scene_settings(scene))
    # One fleet per server, that is per event loop (tests run several in one process).
    event_loop = asyncio.get_event_loop()
    fleets = pn.state.cache.setdefault("playground.fleets", weakref.WeakKeyDictionary())
    fleet = fleets.setdefault(event_loop, Fleet())
    prepare_process(event_loop)
    doc = pn.state.curdoc
    app = PlaygroundApp(state, scene, fleet, doc)
    app.pipe.offer_socket(pn.state.base_url)
    tasks = []  # the loop's task, held here so it lives as long as the session

    def start() -> None:
        app.pipe.start()
        tasks.append(asyncio.ensure_future(app.loop.run()))
        fleet.start()

    pn.state.onload(start)  # once the browser is connected: nothing to run for before
    _sync_url(app)

    def end_session(_) -> None:
        app.loop.stop()
        app.pipe.close()
        for task in tasks:
            task.cancel()
        loop = app.loop
        mean_ms = 1e3 * loop.draw_total_s / max(1, loop.frames_drawn)
        log.info(
            "session ended: training loop stopped (%d epochs, %d frames, %.1f ms per frame)",
            app.state.epoch,
            loop.frames_drawn,
            mean_ms,
        )

    pn.state.on_session_destroyed(end_session)
    return app


def _sync_url(app: PlaygroundApp) -> None:
    location = pn.state.location
    if location is None:
        return

    def write_url(*_):
        if location.reload:  # the page is reopening with a scene from its hash
            return
        query = query_from_state(app.state, app.hidden, app.hide_text)
        location.search = "?" + query

    def open_hash(event):
        # A TensorFlow Playground link carries its scene in the hash, which only the
        # browser knows: it arrives after the page has connected. The same keys work as
        # a query, so reopen the page with them there: one code path for every link.
        text = (event.new or "").lstrip("#")
        if "=" not in text:
            return
        location.param.update(search="?" + text, hash="")
        location.reload = True

    app.state.param.watch(write_url, list(SETTINGS))
    location.param.watch(open_hash, ["hash"])
    # The browser reports its own location once connected; write ours after that.
    pn.state.onload(write_url)


def configure_logging() -> None:
    """Session events in the server's log, formatted like Bokeh's own lines."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False  # the root logger may print it too


def app_css() -> str:
    return (ASSETS / "playground.css").read_text()
