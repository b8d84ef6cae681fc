"""The frame every lab page shares, and the wiring of one tab of a lab.

A lab page script does only this::

    from playground.labs.page import serve_lab
    serve_lab(HopfieldState, build_view, title="…", hidable=("playButton",))

``serve_lab`` reads the tab's link into the state (with notes for bad values), builds
the view, keeps the link in step with the state, and serves the page with the
playground's look. ``build_view(state, scene)`` returns ``LabView``'s parts.
"""

import html
import logging
import weakref
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from types import MappingProxyType
from typing import NamedTuple

import panel as pn
import param

from playground.labs.connection import connection_watch
from playground.labs.scene import LabScene, read_refused, read_scene, scene_query, url_params
from playground.labs.when_free import WhenFree
from playground.pipe import on_refused_change
from playground.session import (
    PAGE_TEMPLATE,
    app_css,
    configure_logging,
    session_query,
    tab_location,
    use_local_stylesheets,
)
from playground.threads import single_threaded_blas
from playground.views.checkbox import LabelledCheckbox
from playground.views.focus import for_people
from playground.views.names import ControlNames, take_hints
from playground.views.notes import UrlNotes, refused_note

log = logging.getLogger("playground")
MAX_NOTES = 20  # notes kept at once; the oldest go first
HOME_LINK = "<a class='lab-home' href='./'>← All lectures</a>"
ASSETS = resources.files("playground.assets")
# The HTML panes draw in shadow roots of their own: each gets its sheet.
TEXT_CSS = """
h1 { font-weight: 300; font-size: clamp(1.25rem, 1rem + 1.2vw, 1.9rem); margin: 0.1em 0 0.2em 0; }
p { max-width: 60em; color: #444; font-size: var(--text, 14px); line-height: 1.45;
  margin: 0.4em 0; }
h2 { font-weight: 400; font-size: var(--text, 14px); text-transform: uppercase; color: #333;
  margin: 1em 0 0 0; }
a { font-size: var(--text, 14px); color: #0877bd; text-decoration: none; }
@media (pointer: coarse) { a { display: inline-flex; align-items: center; min-height: 44px; } }
sub, sup { font-size: 1em; }
"""
TEXT_PX = {False: 14, True: 19}  # the page's text size, and in presenter mode (lab_page.css)
PRESENTER_HINT = "Larger text and pictures, for a projector (or add ?presenter=true to the link)"


class LabView(NamedTuple):
    controls: list  # the left column's widgets, each hidable by its param's name
    main: object  # the picture(s)
    explanation: str  # one paragraph, HTML, in the project's own words
    # Names for the controls of widgets that show no title of their own, by css class
    # (``views/names.py``); every other control is named after its title.
    names: Mapping[str, str] = MappingProxyType({})
    # The object behind the picture, which a lab in a notebook drives from code
    # (``playground/notebook_labs.py``): the race, the Hopfield page.
    driver: object = None


def lab_controls(state: param.Parameterized, names: Iterable[str], hidden, **widgets) -> list:
    """Widgets for ``names`` of ``state``'s params (a widget given by name replaces the
    default one), without those the link hides. In a served tab each is noted as its
    param's control (``controls_of``)."""
    shown = []
    doc = served_document()
    for name in names:
        if name in hidden:
            continue
        widget = widgets.get(name) or pn.Param(state.param[name], show_name=False, show_labels=True)
        shown.append(widget)
        if doc is not None:
            controls_of(doc)[name] = widget
    return shown


def controls_of(doc) -> dict:
    """A served tab's controls by param name (Panel's process cache holds them per tab)."""
    per_tab = pn.state.cache.setdefault("playground.lab_controls", weakref.WeakKeyDictionary())
    return per_tab.setdefault(doc, {})


def served_document():
    """The tab's document when the page is served (None when a test builds a view)."""
    doc = pn.state.curdoc
    return doc if getattr(doc, "session_context", None) is not None else None


def holds(container, widget, depth: int = 8) -> bool:
    """Whether ``widget`` is ``container`` or inside it: a Panel layout's ``objects``, a
    ``pn.Param``'s ``layout`` (a few levels deep at most)."""
    if container is widget:
        return True
    if depth == 0:
        return False
    if isinstance(container, pn.Param):
        container = container.layout
    inner = container.objects if isinstance(container, pn.layout.ListLike) else ()
    return any(holds(child, widget, depth - 1) for child in inner)


def refusal_notes(state: param.Parameterized, controls: dict, notes_box: UrlNotes):
    """What a lab does with a value its control refused (``pipe.library``): the value
    read as a link's, clamped, with the note a link's value would get; ``controls``:
    each param's control by name."""

    def refused(widget, _attribute: str, value) -> None:
        name = next((n for n, control in controls.items() if holds(control, widget)), None)
        if name is None:
            note = refused_note(widget, value)
        else:
            use, note = read_refused(type(state), name, value, getattr(state, name))
            if use is not None:
                setattr(state, name, use)
        if note:
            kept = [n for n in notes_box.notes if n != note][-(MAX_NOTES - 1) :]
            notes_box.notes = [*kept, note]

    return refused


def presenter_toggle(on: bool) -> LabelledCheckbox:
    return LabelledCheckbox(
        value=on, label="Presenter mode", hint=PRESENTER_HINT, css_classes=["presenter-toggle"]
    )


def frame(
    title: str,
    view: LabView,
    notes_box: UrlNotes,
    hide_text: bool = False,
    toggle: LabelledCheckbox | None = None,
    home: bool = True,
):
    """The page (``assets/lab_page.css``): home link (unless ``home`` is False: a
    notebook has no home page of lectures) and title, the presenter toggle, notes, the
    controls beside the picture, the paragraph, and the watch that says when the server
    is gone."""
    header = pn.pane.HTML(
        f"{HOME_LINK if home else ''}<h1>{html.escape(title)}</h1>",
        css_classes=["lab-header"],
        stylesheets=[TEXT_CSS],
        visible=not hide_text,
        margin=0,
    )
    explain = pn.pane.HTML(
        f"<h2>What you see</h2><p>{view.explanation}</p>",
        css_classes=["lab-explain"],
        stylesheets=[TEXT_CSS],
        visible=not hide_text,
        sizing_mode="stretch_width",
        margin=0,
    )
    notes_box.css_classes = [*notes_box.css_classes, "lab-notes"]
    tools = pn.Row(
        *([toggle] if toggle is not None else []),
        ControlNames(names=dict(view.names), hints=take_hints(view.controls)),
        css_classes=["lab-tools"],
        margin=0,
    )
    page = pn.Column(
        header,
        tools,
        notes_box,
        pn.Column(*view.controls, css_classes=["lab-controls"], sizing_mode="stretch_width"),
        pn.Column(view.main, css_classes=["lab-main"], sizing_mode="stretch_width", margin=0),
        explain,
        connection_watch(),
        css_classes=["lab-page"],
        sizing_mode="stretch_width",
        stylesheets=[(ASSETS / "lab_page.css").read_text()],
    )
    for_people(page)
    return page


def show_presenter(page, on: bool) -> None:
    """Presenter mode on the page's outer column (``lab_page.css``), and the words of
    its Bokeh figures at the page's text size (a figure's own sizes are in pixels)."""
    classes = [c for c in page.css_classes if c != "presenter"]
    page.css_classes = [*classes, "presenter"] if on else classes
    size = f"{TEXT_PX[on]}px"
    for pane in page.select(pn.pane.Bokeh):
        figure = pane.object
        for legend in getattr(figure, "legend", []):
            legend.label_text_font_size = size
        if getattr(figure, "title", None) is not None:
            figure.title.text_font_size = size
        for axis in [*getattr(figure, "xaxis", []), *getattr(figure, "yaxis", [])]:
            axis.axis_label_text_font_size = size
            axis.major_label_text_font_size = size


def serve_lab(
    state_cls: type[param.Parameterized],
    build_view: Callable[[param.Parameterized, LabScene], LabView],
    title: str,
    hidable: Iterable[str] = (),
) -> param.Parameterized:
    """Builds one tab of a lab from its link and serves it; returns the tab's state."""
    single_threaded_blas()
    configure_logging()
    pn.extension(raw_css=[app_css()], notifications=False)
    if pn.state.curdoc is not None:  # the viewport tag: phones lay it out at their width
        pn.state.curdoc.template = PAGE_TEMPLATE
    # Lab pages run nothing between events; the line tells the server's log (and the
    # browser tests) that a closed tab's session is gone.
    pn.state.on_session_destroyed(lambda _context: log.info("lab session ended: %s", title))
    query = session_query()
    scene = read_scene(state_cls, query, hidable=[*hidable, "hideText"])
    try:
        state = state_cls(**scene.values)
    except Exception:  # a bug, not the user's: logged, and the defaults with a note
        log.warning("a lab scene could not be opened; defaults used", exc_info=True)
        state = state_cls()
        scene = LabScene({}, scene.hidden, ["The link's settings could not be read."])
    view = build_view(state, scene)
    hide_text = query.get("hideText", "false").strip() != "false"
    toggle = presenter_toggle(query.get("presenter", "false").strip() != "false")
    location = tab_location()

    def write_url(*_events) -> None:
        # hideText and presenter are the page's, not params: kept in the link as they are.
        text = ["hideText=true"] if hide_text else []
        shown = ["presenter=true"] if toggle.value else []
        query = [scene_query(state, scene.hidden), *text, *shown]
        location.search = "?" + "&".join(filter(None, query))

    # The playground's notes box: a value quoted in a note is shown as the text it is
    # (a Markdown pane made "[x](https://…)" a link and "![x](…)" a remote image).
    notes_box = UrlNotes(notes=scene.notes, visible=bool(scene.notes), sizing_mode="stretch_width")
    notes_box.param.watch(lambda event: setattr(notes_box, "visible", bool(event.new)), "notes")
    if doc := served_document():
        on_refused_change(doc, refusal_notes(state, controls_of(doc), notes_box))
    # Like the pictures, the link goes when the socket is free: the latest one only.
    outbox = WhenFree(served_document())
    pn.state.on_session_destroyed(outbox.end)
    state.param.watch(lambda *_: outbox.send("url", write_url), list(url_params(state_cls)))
    pn.state.onload(write_url)
    relink = lambda: outbox.send("url", write_url)
    serve_frame(title, view, notes_box, hide_text, toggle, relink, location)
    return state


def serve_frame(title, view, notes_box, hide_text, toggle, relink, location) -> None:
    """The tab's page in the shared frame, served; presenter mode follows the toggle and
    goes into the link (``relink``)."""
    page = frame(title, view, notes_box, hide_text, toggle)
    show_presenter(page, toggle.value)
    toggle.param.watch(lambda event: show_presenter(page, event.new), ["value"])
    toggle.param.watch(lambda *_: relink(), ["value"])
    page.servable(title=title, location=location)
    use_local_stylesheets(pn.state.curdoc)  # offline: Panel's styles from our server
