"""The page explaining itself: a colour legend for the pictures and a collapsible
"What am I looking at?" section. The controls' part is read from the settings' rows,
so a new setting is explained where it is declared."""

import html

import panel as pn

from playground.colors import PALETTES
from playground.settings import SETTINGS
from playground.views.cards import card_filled_when_opened
from playground.views.focus import ringed

LEGEND = """
<div class="legend" role="img"
     aria-label="Colour scale: orange is minus one, grey is zero, blue is plus one">
  <span>&minus;1</span>
  <span class="legend-bar" style="background: linear-gradient(to right, {stops});"></span>
  <span>1</span>
</div>
<p class="hint legend-text">Orange means negative, blue positive, grey near zero: for the
pictures, the links (weights) and the points' labels alike. With more than two classes
each class has its own colour, paler where the network is less sure.</p>
"""

TOPICS = {
    "Neurons": "Each square in the middle is a neuron. It adds up its inputs, each "
    "multiplied by the weight of its link, adds its bias, and passes the sum through the "
    "activation function. Its picture shows its output for every point of the plane.",
    "Weights": "The curves between neurons are the weights: blue ones add, orange ones "
    "subtract, and thicker ones count more. Click a curve or a bias square to type a value.",
    "The output": "The big picture shows what the network answers at every point; the dots "
    "are the data, coloured by their true label. Training moves the boundary between the "
    "colours until it separates the dots.",
    "The loss": "The loss measures how wrong the answers are, averaged over the points. "
    "Training lowers the training loss; the test loss, on points held back, tells whether "
    "what was learned also holds for new points.",
    "Training and test data": "Only the training points teach the network. When the "
    "training loss keeps falling but the test loss rises, the network is memorising its "
    "points rather than learning the pattern: overfitting.",
    "Regularization": "A penalty on large weights keeps the network simple; L1 pushes "
    "weights to exactly zero and cuts links, L2 shrinks them all.",
}


# Panes render in their own shadow root: the page's stylesheet does not reach inside.
STYLE = """
.legend { display: flex; align-items: center; gap: 6px; font-size: var(--text, 14px); color: #555; }
.legend-bar { display: inline-block; width: 160px; height: 10px; border-radius: 2px; }
.hint { font-size: var(--text, 14px); color: #666; margin: 2px 0; max-width: 24em; }
h5 { margin: 12px 0 2px 0; font-size: 15px; font-weight: 600; }
p, dd { font-size: var(--text, 14px); color: #444; margin: 0 0 4px 0; max-width: 60em; line-height: 1.4; }
dt { font-weight: 600; font-size: var(--text, 14px); margin-top: 6px; }
"""


def legend_html(palette: str = "original") -> str:
    """The legend in the palette's colours: its own shades as the bar's stops."""
    return LEGEND.replace("{stops}", ", ".join(PALETTES[palette].shades))


def legend(state=None) -> pn.pane.HTML:
    """The colour legend; with ``state``, in the colours its ``palette`` setting picks."""
    pane = pn.pane.HTML(
        legend_html(getattr(state, "palette", "original")),
        css_classes=["legend-pane"],
        margin=(4, 0),
        stylesheets=[STYLE],
    )
    if state is not None:
        state.param.watch(lambda event: setattr(pane, "object", legend_html(event.new)), "palette")
    return pane


def _controls_html() -> str:
    rows = "".join(
        f"<dt>{html.escape(s.label)}</dt><dd>{html.escape(s.hint)}</dd>"
        for s in SETTINGS.values()
        if s.group
    )
    return f"<dl class='explain-controls'>{rows}</dl>"


def explainer() -> pn.Card:
    """Collapsed at first: a lecture's screen shows the playground, not the manual."""
    topics = "".join(
        f"<h5>{html.escape(title)}</h5><p>{html.escape(text)}</p>" for title, text in TOPICS.items()
    )
    body = pn.pane.HTML(
        f"{topics}<h5>The controls</h5>{_controls_html()}",
        css_classes=["explain"],
        sizing_mode="stretch_width",
        stylesheets=[STYLE],
    )
    return card_filled_when_opened(
        body,
        title="What am I looking at?",
        sizing_mode="stretch_width",
        **ringed(css_classes=["explain-card"]),
    )
