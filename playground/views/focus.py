"""A focus ring anyone can see, and room for a finger, for Panel's widgets.

Bokeh marks a focused button, dropdown or slider handle with a faint 1 px dotted line,
if at all; someone steering the page with the keyboard, on a projector, needs to see
where they are. On a touch screen a control should take a tap anywhere in a finger's
square (44 by 44 CSS px): Bokeh's buttons and fields are 34 px tall, a checkbox 13 px
and a slider's handle 14 by 18. Each widget draws inside its own shadow root, which no
page-wide sheet reaches, so the rules go into the stylesheets of every widget the page
makes (``ringed``, or ``for_people`` on a page already built). The diagram and the
dataset tiles draw the same ring."""

import panel as pn

FOCUS_RING = ":focus-visible { outline: 3px solid #1a73e8 !important; outline-offset: 2px; }"
# Only where a finger points: a mouse keeps the pictures as they are. A slider's handle
# and a checkbox without a label around it keep their look and take taps in an invisible
# square around them; the spin buttons (two halves of a field's height) give way to the
# phone's number keyboard.
FINGER_ROOM = """
@media (pointer: coarse) {
  .bk-btn, select.bk-input, input.bk-input, .choices__inner { min-height: 44px; }
  :host(.bk-Button), .bk-btn { min-width: 44px; }
  .bk-btn-group { min-height: 44px; }
  label:has(> input[type=checkbox]), label:has(> input[type=radio]) {
    min-height: 44px; min-width: 44px; display: inline-flex; align-items: center; }
  :host(.bk-Checkbox) { min-height: 44px; align-items: center; }
  input[type=checkbox] { position: relative; z-index: 1; }
  input[type=checkbox]::after { content: ""; position: absolute; left: 50%; top: 50%;
    width: 44px; height: 44px; transform: translate(-50%, -50%); }
  label > input[type=checkbox]::after { content: none; }
  :host(.bk-Slider) { min-height: 46px; }  /* room under the handle's square */
  .card-header { min-height: 44px; }
  .bk-spin-btn { display: none !important; }
  .noUi-handle::after { display: block; content: ""; position: absolute; left: 50%;
    top: 50%; width: 44px; height: 44px; transform: translate(-50%, -50%);
    background: none; }
  .choices__button { min-width: 44px; min-height: 44px; background-position: center; }
}
"""


def ringed(**params) -> dict:
    """``params`` for a Panel component, its stylesheets with the focus ring and the
    finger's room added."""
    return {**params, "stylesheets": [*params.get("stylesheets", []), FOCUS_RING, FINGER_ROOM]}


def for_people(page) -> None:
    """Every widget of ``page`` ringed and with a finger's room (widgets that ``pn.Param``
    or ``from_param`` made)."""
    for widget in page.select(pn.widgets.Widget):
        missing = [sheet for sheet in (FOCUS_RING, FINGER_ROOM) if sheet not in widget.stylesheets]
        if missing:
            widget.stylesheets = [*widget.stylesheets, *missing]
