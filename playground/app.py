"""Entry point for ``panel serve playground/app.py``; the logic lives in playground.ui,
because Bokeh clears the served script's own module between sessions."""

import panel as pn

from playground.threads import single_threaded_blas
from playground.ui import (
    TITLE,
    app_css,
    configure_logging,
    serve_session,
    use_local_stylesheets,
)

single_threaded_blas()
configure_logging()
pn.extension(raw_css=[app_css()], notifications=False)
serve_session().servable(title=TITLE)
use_local_stylesheets(pn.state.curdoc)
