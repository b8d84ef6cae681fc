"""The compare lab's page (served at /compare): one tab per run of this script.

The lab frame of the other labs (``labs/page.py``), but its address holds two playground
scenes (``compare/link.py``) rather than a state's params, so the page reads and writes
it here: the link's scenes in, the notes for bad values, and the link kept in step.
"""

import logging

import panel as pn

from playground.labs.compare.state import CompareState
from playground.labs.compare.view import build_view
from playground.labs.page import (
    PAGE_TEMPLATE,
    controls_of,
    holds,
    presenter_toggle,
    refusal_notes,
    serve_frame,
    served_document,
)
from playground.labs.when_free import WhenFree
from playground.pipe import on_refused_change
from playground.session import (
    app_css,
    configure_logging,
    session_query,
    tab_location,
)
from playground.threads import single_threaded_blas
from playground.views.notes import UrlNotes

TITLE = "Two runs side by side"
log = logging.getLogger("playground")

single_threaded_blas()
configure_logging()
pn.extension(raw_css=[app_css()], notifications=False)
pn.state.curdoc.template = PAGE_TEMPLATE
query = session_query()
try:
    state = CompareState.from_query(query)
except Exception:  # a bug, not the user's: logged, and the defaults with a note
    log.warning("a compare scene could not be opened; defaults used", exc_info=True)
    state = CompareState()
    state.notes.append("The link's settings could not be read.")
view = build_view(state)
hide_text = query.get("hideText", "false").strip() != "false"
toggle = presenter_toggle(query.get("presenter", "false").strip() != "false")
location = tab_location()
notes_box = UrlNotes(notes=state.notes, visible=bool(state.notes), sizing_mode="stretch_width")
notes_box.param.watch(lambda event: setattr(notes_box, "visible", bool(event.new)), "notes")


def write_url(*_events) -> None:
    # hideText and presenter are the page's, not a scene's: kept in the link as they are.
    parts = [state.link(), "hideText=true" if hide_text else "", "presenter=true" * toggle.value]
    location.search = "?" + "&".join(filter(None, parts))


def refused(widget, attribute: str, value) -> None:
    """A value a control refused: noted, and clamped if it reads as a link's would."""
    doc = served_document()
    owners = [("Both.", state.shared), ("A.", state.sides[0]), ("B.", state.sides[1])]
    for prefix, settings in owners:
        mine = {name.removeprefix(prefix): control for name, control in controls_of(doc).items()
                if name.startswith(prefix)}  # fmt: skip
        handler = refusal_notes(settings, mine, notes_box)
        if any(holds(control, widget) for control in mine.values()):
            handler(widget, attribute, value)
            return
    refusal_notes(state.shared, {}, notes_box)(widget, attribute, value)


if doc := served_document():
    on_refused_change(doc, refused)
outbox = WhenFree(served_document())
pn.state.on_session_destroyed(outbox.end)
state.param.watch(lambda *_: outbox.send("url", write_url), ["run_version"])
state.shared.param.watch(lambda *_: outbox.send("url", write_url), ["speed"])
pn.state.onload(write_url)
serve_frame(
    TITLE, view, notes_box, hide_text, toggle, lambda: outbox.send("url", write_url), location
)
