"""Entry point for ``panel serve playground/app.py``; the logic lives in playground.ui,
because Bokeh clears the served script's own module between sessions."""

import panel as pn

from playground.ui import TITLE, app_css, serve_session

pn.extension(raw_css=[app_css()], notifications=False)
serve_session().servable(title=TITLE)
