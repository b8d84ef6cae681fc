"""One browser tab's session: its URL read, its app built, its loop started and, when
the tab closes, stopped; the URL kept in step with the settings; process-wide setup."""

import asyncio
import logging
import weakref
from collections.abc import Sequence

import panel as pn
from panel.io.location import Location

from playground.engine import FEATURES
from playground.loop import Fleet
from playground.pipe import (
    on_refused_change,
    prepare_process,
    use_local_stylesheets,  # noqa: F401 (app.py imports it from here)
)
from playground.state import SETTINGS, PlaygroundState
from playground.ui import ASSETS, PlaygroundApp
from playground.url import UrlScene, parse_query, query_from_state, scene_from_query
from playground.url_scope import check_prefix, with_scene

log = logging.getLogger("playground")
MAX_HASH_CHARS = 8000  # a scene in a hash longer than this is not reopened as a query


def scene_settings(scene: UrlScene) -> dict:
    """The scene's settings, with the features it hides from the UI switched off."""
    settings = dict(scene.settings)
    if hidden := set(scene.hidden) & set(FEATURES):
        features = settings.get("features", PlaygroundState.param.features.default)
        settings["features"] = [name for name in features if name not in hidden]
    return settings


def session_query() -> dict[str, str]:
    """The query string this tab was opened with, as text: the last of repeated keys,
    bytes that are not UTF-8 as U+FFFD. Read from Bokeh's request arguments (Tornado's
    parse, which never fails), also when the session was created by the websocket."""
    args = pn.state.session_args or {}
    return {
        key: _decoded(values[-1])
        for key, values in args.items()
        if isinstance(key, str) and isinstance(values, list | tuple) and values
    }


def _decoded(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class TabLocation(Location):
    """The tab's ``pn.state.location``, whose query is read the way ``playground.url``
    reads it: as text, never raising.

    Panel parses the query whenever ``search`` changes, creating the location included
    (``panel.util.parse_query``): digits become ints, so 4,301 digits (Python's
    int-string limit) or a '²' raise; and ``Location.from_request`` fails on a second
    '?' in the URL. This location is built from the request by ``tab_location`` and
    overrides only the public ``query_params``."""

    @property
    def query_params(self) -> dict[str, str]:
        return parse_query(self.search)


def tab_location() -> TabLocation:
    """The tab's location, from the request that opened it: its path and raw query."""
    context = pn.state.curdoc.session_context if pn.state.curdoc else None
    request = getattr(context, "request", None)
    path = getattr(request, "path", None)
    query = getattr(request, "query", None)
    location = TabLocation()
    if isinstance(path, str) and path.startswith("/"):  # not "http://..." (absolute form)
        location.pathname = path
    if isinstance(query, str) and query:
        location.search = "?" + query
    return location


class TabSession:
    """What one tab's session holds in its process, and its end.

    ``end`` is registered with Bokeh before anything that can fail is built, so a session
    whose app failed halfway still leaves the fleet, and it releases what was built:
    every frame loop of the tab's states, each app's loop task and frame socket."""

    def __init__(self, fleet: Fleet, live: set) -> None:
        self.fleet = fleet
        self.live = live  # the live sessions of this process
        self.states: list[PlaygroundState] = []  # one per scene, as soon as it is read
        self.apps: list[PlaygroundApp] = []  # one per scene, once built
        self.tasks: list[asyncio.Future] = []  # the loops' tasks live as long as the session
        live.add(self)

    def counts(self) -> str:
        return f"{len(self.live)} live sessions, {len(self.fleet.loops)} frame loops"

    def end(self, session_context) -> None:  # the name Bokeh requires
        self.live.discard(self)
        for task in self.tasks:
            task.cancel()
        ours = [loop for loop in self.fleet.loops if any(loop.state is s for s in self.states)]
        for loop in ours:
            loop.stop()
        if not self.apps:
            log.info("session ended before its app was built; %s", self.counts())
        for app in self.apps:
            app.pipe.close()
            loop = app.loop
            mean_ms = 1e3 * loop.draw_total_s / max(1, loop.frames_drawn)
            log.info(
                "session ended: training loop stopped (%d epochs, %d frames, %.1f ms per "
                "frame); %s",
                app.state.epoch,
                loop.frames_drawn,
                mean_ms,
                self.counts(),
            )


def _process_wide(name: str, make):
    """One ``make()`` per server, that is per event loop (tests run several servers in
    one process), kept in Panel's process cache."""
    per_loop = pn.state.cache.setdefault(name, weakref.WeakKeyDictionary())
    event_loop = asyncio.get_event_loop()
    if event_loop not in per_loop:
        per_loop[event_loop] = make()
    return per_loop[event_loop]


def process_fleet() -> Fleet:
    """This server's fleet: the frame loops of its playground tabs."""
    return _process_wide("playground.fleets", Fleet)


def read_scene(query: dict[str, str], prefix: str = "") -> tuple[UrlScene, PlaygroundState]:
    """The URL's scene (its keys after ``prefix``) and the state it opens; never raises:
    a scene that cannot be opened gives the default one, with a note."""
    try:
        scene = scene_from_query(query, prefix)
        return scene, PlaygroundState(**scene_settings(scene))
    except Exception:  # a bug, not the user's: logged with its traceback, and a note
        log.warning("the link's scene could not be opened; defaults used", exc_info=True)
        note = "The link's settings could not be read; the page opened with the defaults."
        return UrlScene({}, frozenset(), False, [note]), PlaygroundState()


# Panel's page with a viewport tag: without one a phone lays the page out 980 px wide
# and shrinks it to unreadable (Panel extends its own template with this).
PAGE_TEMPLATE = """{% block preamble %}{{ super() }}
<meta name="viewport" content="width=device-width, initial-scale=1">
{% endblock %}"""


def serve_session() -> tuple[PlaygroundApp, TabLocation]:
    """Builds one tab of ``/app``, one scene whose URL keys are as they are, and wires
    its loop, URL sync and cleanup. Returns the app and the tab's location, to serve as
    ``app.servable(location=...)`` (Panel's own location would parse the URL, and can
    fail on it)."""
    apps, location = serve_scenes([""])
    return apps[0], location


def serve_scenes(
    prefixes: Sequence[str], query: dict[str, str] | None = None
) -> tuple[list[PlaygroundApp], TabLocation]:
    """One tab with a scene per prefix (``url_scope``: ``""`` for a page's only scene,
    else ``a.``, ``b.``), each with its own state, view, frame loop and frame socket,
    each keeping its own keys of the one address. ``query``: the scene's keys, when a
    script gives them (``playground.notebook``), else the tab's address. Returns the
    apps and the location."""
    for prefix in prefixes:
        check_prefix(prefix)
    event_loop = asyncio.get_event_loop()
    fleet = process_fleet()
    session = TabSession(fleet, _process_wide("playground.sessions", set))
    pn.state.on_session_destroyed(session.end)  # first: whatever fails next, it ends
    query = session_query() if query is None else query
    # Panel reads ?theme= itself, as UTF-8 that fails on other bytes: it is read here.
    pn.config.theme = "dark" if query.get("theme") == "dark" else "default"
    location = tab_location()
    prepare_process(event_loop)
    doc = pn.state.curdoc
    doc.template = PAGE_TEMPLATE
    apps = open_scenes(query, prefixes, session, doc)
    on_refused_change(doc, refusals_to(apps))
    for app in apps:
        app.pipe.offer_socket(pn.state.rel_path)

    def start() -> None:
        for app in apps:
            app.pipe.start()
            session.tasks.append(asyncio.ensure_future(app.loop.run()))
        fleet.start()

    pn.state.onload(start)  # once the browser is connected: nothing to run for before
    for app in apps:
        sync_url(app, location)
    log.info("session opened; %s", session.counts())
    return apps, location


def open_scenes(
    query: dict[str, str], prefixes: Sequence[str], session: TabSession, doc=None
) -> list[PlaygroundApp]:
    """The app of each prefix's scene, read from ``query``, in ``session``."""
    for prefix in prefixes:
        scene, state = read_scene(query, prefix)
        session.states.append(state)
        session.apps.append(PlaygroundApp(state, scene, session.fleet, doc, prefix=prefix))
    return list(session.apps)


def refusals_to(apps: Sequence[PlaygroundApp]):
    """What a tab does with a change a control refused: the page whose control it is
    takes it (the first page, for a control that is no setting's)."""

    def refused(widget, name: str, value) -> None:
        owner = next((app for app in apps if app.page.owns(widget)), apps[0])
        owner.page.refused_change(widget, name, value)

    return refused


def sync_url(app: PlaygroundApp, location: TabLocation) -> None:
    """Keeps ``app``'s scene in the address, under its prefix; a page's only scene also
    opens a TensorFlow Playground link's hash."""
    prefix = app.prefix

    def write_url(*_):
        if location.reload:  # the page is reopening with a scene from its hash
            return
        query = query_from_state(
            app.state, app.hidden, app.hide_text, app.page.presenter, prefix=prefix
        )
        location.search = "?" + with_scene(location.search, prefix, query)

    def open_hash(event):
        # A TensorFlow Playground link carries its scene in the hash, which only the
        # browser knows: it arrives after the page has connected. The same keys work as
        # a query, so reopen the page with them there: one code path for every link.
        text = (event.new or "").lstrip("#")
        if "=" not in text:
            return
        if len(text) > MAX_HASH_CHARS:  # as a query, the server would refuse the URL
            note = f"The link's scene is too long to open ({len(text):,} characters)."
            app.page.notes = [*app.page.notes, note]
            return
        location.param.update(search="?" + text, hash="")
        location.reload = True

    app.state.param.watch(write_url, list(SETTINGS))
    app.page.param.watch(write_url, ["presenter"])
    if not prefix:
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
