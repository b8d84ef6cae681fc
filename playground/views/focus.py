"""A focus ring anyone can see, for Panel's widgets.

Bokeh marks a focused button, dropdown or slider handle with a faint 1 px dotted line,
if at all; someone steering the page with the keyboard, on a projector, needs to see
where they are. Each widget draws inside its own shadow root, which no page-wide sheet
reaches, so the rule goes into the stylesheets of every widget the page makes
(``ringed``). The diagram and the dataset tiles draw the same ring."""

FOCUS_RING = ":focus-visible { outline: 3px solid #1a73e8 !important; outline-offset: 2px; }"


def ringed(**params) -> dict:
    """``params`` for a Panel component, its stylesheets with the focus ring added."""
    return {**params, "stylesheets": [*params.get("stylesheets", []), FOCUS_RING]}
