"""A page of two playground scenes in one document, their URL keys under ``a.`` and
``b.``: served by ``two_scenes_server.py`` for the browser tests (not a page of the
playground's own)."""

import panel as pn

from playground.session import app_css, configure_logging, serve_scenes, use_local_stylesheets
from playground.threads import single_threaded_blas

single_threaded_blas()
configure_logging()
pn.extension(raw_css=[app_css()], notifications=False)
apps, location = serve_scenes(["a.", "b."])
pn.Column(*apps, sizing_mode="stretch_width").servable(title="Two scenes", location=location)
use_local_stylesheets(pn.state.curdoc)
