"""The home page ("/" under ``playground serve``): the lecture scenes as cards.

The page holds no state and runs nothing: one HTML pane whose links open the scenes.
Its HTML (thumbnails inlined as data URLs) is built once a process (``home_view``).
"""

import panel as pn

from playground.labs.home_view import HOME_CSS, TITLE, page_html
from playground.session import app_css, configure_logging, use_local_stylesheets
from playground.threads import single_threaded_blas

single_threaded_blas()
configure_logging()
pn.extension(raw_css=[app_css()], notifications=False)
pn.pane.HTML(
    page_html(), stylesheets=[HOME_CSS], sizing_mode="stretch_width", css_classes=["home-page"]
).servable(title=TITLE)
use_local_stylesheets(pn.state.curdoc)
