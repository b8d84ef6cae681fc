"""The home page ("/" under ``playground serve``): the lecture scenes as cards.

The page holds no state and runs nothing: one HTML pane whose links open the scenes,
and the watch that says when the server is gone (``connection.py``).
Its HTML (thumbnails inlined as data URLs) is built once a process (``home.view``).
A TensorFlow Playground link whose host was changed to ours lands here ("/#…"): the
browser reports its hash once connected, and the tab goes on to the playground with it.
(A query on "/" never reaches this page: the server sends it to the playground.)
"""

import panel as pn

from playground.labs.connection import connection_watch
from playground.labs.home.view import HOME_CSS, PAGE_CSS, TITLE, page_html
from playground.labs.page import presenter_toggle, show_presenter
from playground.session import (
    PAGE_TEMPLATE,
    app_css,
    configure_logging,
    session_query,
    tab_location,
    use_local_stylesheets,
)
from playground.threads import single_threaded_blas
from playground.views.names import ControlNames

single_threaded_blas()
configure_logging()
pn.extension(raw_css=[app_css()], notifications=False)
pn.state.curdoc.template = PAGE_TEMPLATE  # the viewport tag: phones lay it out at their width
location = tab_location()
# The page's one key (serve.py sends any other query on "/" to the playground).
toggle = presenter_toggle(session_query().get("presenter", "false").strip() != "false")


def open_scene_in_playground(event) -> None:
    if "=" in (event.new or ""):  # a scene, not an anchor
        location.pathname = location.pathname.rstrip("/") + "/app"
        location.reload = True  # the playground reads the hash itself


def write_url(event) -> None:
    location.search = "?presenter=true" if event.new else ""


location.param.watch(open_scene_in_playground, ["hash"])
page = pn.Column(
    pn.Row(toggle, ControlNames(), css_classes=["home-tools"], margin=0),
    pn.pane.HTML(
        page_html(), stylesheets=[HOME_CSS], sizing_mode="stretch_width", css_classes=["home-page"]
    ),
    connection_watch(),
    sizing_mode="stretch_width",
    stylesheets=[PAGE_CSS],
)
show_presenter(page, toggle.value)
toggle.param.watch(lambda event: show_presenter(page, event.new), ["value"])
toggle.param.watch(write_url, ["value"])
page.servable(title=TITLE, location=location)
use_local_stylesheets(pn.state.curdoc)
