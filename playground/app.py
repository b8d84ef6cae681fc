"""Entry point for ``panel serve playground/app.py``; the logic lives in
playground.session, because Bokeh clears the served script's own module between
sessions."""

import panel as pn

from playground.session import app_css, configure_logging, serve_session, use_local_stylesheets
from playground.threads import single_threaded_blas
from playground.views.page import TITLE

single_threaded_blas()
configure_logging()
pn.extension(raw_css=[app_css()], notifications=False)
app, location = serve_session()
app.servable(title=TITLE, location=location)
use_local_stylesheets(pn.state.curdoc)
