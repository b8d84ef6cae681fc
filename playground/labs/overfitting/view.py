"""The overfitting lab's page: the points and fitted curves, the U-curve, the controls.

Nothing moves by itself here: every change of a param redraws both figures once from
``state.picture()`` (when the browser's socket is free), so a tab holds no loop and a
closed tab leaves nothing running. The errors' mean over many draws comes from the lab's
worker (``averages.py``): the chart shows this draw's until it arrives, and says so.
"""

import html

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem, Range1d
from bokeh.plotting import figure

from playground.labs.overfitting.averages import MeanErrors
from playground.labs.overfitting.polyfit import MAX_DEGREE, SLOPE, evaluate
from playground.labs.overfitting.state import AVERAGES, OverfittingState, Picture
from playground.labs.page import LabView, lab_controls, served_document
from playground.labs.scene import LabScene, url_params
from playground.labs.when_free import WhenFree

# Okabe and Ito's colour-blind-safe palette without black (the points are near black);
# past seven curves the colours repeat with another dash.
CURVE_COLORS = ("#e69f00", "#0072b2", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442")
CURVE_DASHES = ("solid", "dashed", "dotted")
POINT_COLOR, TEST_COLOR, TRUTH_COLOR = "#222222", "#777777", "#999999"
CURVE_SAMPLES = 400
FIGURE_HEIGHT = 380  # with the title above it, in the first screen of a projector at 150 %
MIN_WIDTH = 300  # the figures' least width: a phone's
EDGE_HINT = "An error beyond the chart's range sits on its edge; point at it for its value."
# The chosen degrees' chips at the page's text size (the library draws them at 12 px).
CHOICES_TEXT = (
    ".choices__item, .choices__button, .choices__input { font-size: var(--text, 14px) !important; }"
)
COMPUTING = "the mean of {draws} draws is being computed…"
FAILED = "the mean of {draws} draws could not be computed; change a setting to try again"
RIDGE_STEPS = [0.0] + [10.0**k for k in range(-8, 2)]  # λ = 0, 1e-8 … 10

EXPLANATION = (
    "Each point is y = 2x plus Gaussian noise of size σ. The N filled points, evenly "
    "spaced from x = 0.05 to 0.95, train a polynomial by least squares; the hollow ones, "
    "drawn independently anywhere from x = 0 to 1 (a few beyond the training points), "
    "test it. The first chart shows one draw of the data and the chosen degrees' fits; "
    "the second, for every degree from 0 to 15, the mean squared error on the training "
    "points (solid) and on the test points (dashed): of this draw, or the mean over many "
    'draws ("Error chart shows"). A higher degree follows the training points ever more '
    "closely; with N coefficients it passes through every one, and swings between and "
    "beyond them. One draw's test error jumps about; averaged over 200 draws it falls to "
    "its lowest near degree 1, the truth's, then climbs, by a hundredfold and more at "
    "degree N \N{MINUS SIGN} 1, where the fit passes through every training point. Which degree would you trust on points it has "
    "not seen? What changes with more data? Move the N slider and watch the test error "
    "of degree 10; a ridge penalty λ is another cure."
)


def curve_style(slot: int) -> tuple[str, str]:
    """Colour and dash of the ``slot``-th chosen degree (degrees ascending)."""
    return CURVE_COLORS[slot % len(CURVE_COLORS)], CURVE_DASHES[
        (slot // len(CURVE_COLORS)) % len(CURVE_DASHES)
    ]


def y_window(picture: Picture) -> tuple[float, float]:
    """The fit figure's y range: every point and the truth on [0, 1], with a margin.
    Curves leave it where they swing off (the degree-15 fit would squash the points)."""
    data = picture.data
    ys = np.concatenate([data.y_train, data.y_test, [0.0, SLOPE]])
    low, high = float(ys.min()), float(ys.max())
    margin = 0.15 * (high - low) + 0.1
    return low - margin, high + margin


def error_window(picture: Picture, noise: float) -> tuple[float, float]:
    """The error chart's log range: from just under the smallest error (no lower than a
    floor, since an interpolant's training error is ~1e-30) to just over the largest
    (no higher than a ceiling, so that one wild test error does not flatten the U)."""
    curves = picture.shown_curves
    errors = np.concatenate([curves.train_mse, curves.test_mse])
    scale = noise**2 + SLOPE**2 / 12  # the noise's variance plus that of 2x on [0, 1]
    floor, ceiling = 1e-6 * scale, 1e3 * scale
    return max(floor, errors.min() / 3), min(ceiling, errors.max() * 3)


class OverfittingView:
    def __init__(self, state: OverfittingState, scene: LabScene, doc=None) -> None:
        """``doc``: the tab's document when served; a redraw reaches the browser when
        its socket is free (``WhenFree``), the latest one only."""
        self.state = state
        self.outbox = WhenFree(doc)
        self.means = MeanErrors(doc, lambda: self.outbox.send("redraw", self.redraw))
        self.fit_figure, self.fit_sources = self._fit_figure()
        self.error_figure, self.error_sources = self._error_figure()
        self.readout = pn.pane.HTML(css_classes=["fit-readout"], sizing_mode="stretch_width")
        self.controls = self._controls(scene.hidden)
        self.redraw(at_once=True)
        state.param.watch(
            lambda *_: self.outbox.send("redraw", self.redraw), list(url_params(type(state)))
        )

    # -- the figures --------------------------------------------------------------------

    def _fit_figure(self):
        fig = figure(
            height=FIGURE_HEIGHT,
            x_range=Range1d(-0.02, 1.02),
            y_range=Range1d(-1, 3),
            title="Data and fitted polynomials",
            x_axis_label="x",
            y_axis_label="y",
            tools="",
            toolbar_location=None,
            sizing_mode="stretch_width",
            min_width=MIN_WIDTH,
        )
        sources = {
            "train": ColumnDataSource({"x": [], "y": []}),
            "test": ColumnDataSource({"x": [], "y": []}),
        }
        truth = fig.line([0, 1], [0, SLOPE], color=TRUTH_COLOR, line_dash="dotdash", line_width=1)
        # One curve per place among the chosen degrees, its colour and dash that place's
        # for good: a redraw changes curves' data, never a glyph's style, which a
        # notebook's browser would send back in a form Bokeh's Python side refuses.
        self.curve_renderers = []
        for slot in range(MAX_DEGREE + 1):
            source = ColumnDataSource({"x": [], "y": []})
            sources[slot] = source
            color, dash = curve_style(slot)
            line = fig.line("x", "y", source=source, line_width=2.5, color=color, line_dash=dash)
            self.curve_renderers.append(line)
        train = fig.scatter("x", "y", source=sources["train"], size=8, color=POINT_COLOR)
        test = fig.scatter(
            "x",
            "y",
            source=sources["test"],
            size=8,
            marker="square",
            fill_color="white",
            line_color=TEST_COLOR,
            line_width=1.5,
        )
        self.point_items = [
            LegendItem(label="training points", renderers=[train]),
            LegendItem(label="test points", renderers=[test]),
            LegendItem(label="truth y = 2x", renderers=[truth]),
        ]
        self.fit_legend = Legend(
            items=list(self.point_items),
            orientation="horizontal",
            ncols=3,
            label_text_font_size="13px",
            border_line_alpha=0,
        )
        fig.add_layout(self.fit_legend, "below")
        return fig, sources

    def _error_figure(self):
        fig = figure(
            height=FIGURE_HEIGHT,
            y_axis_type="log",
            x_range=Range1d(-0.5, MAX_DEGREE + 0.5),
            y_range=Range1d(1e-3, 10),
            title=error_title(1),
            x_axis_label="degree",
            y_axis_label="MSE (log scale)",
            tools="",
            toolbar_location=None,  # the hover below needs no button
            sizing_mode="stretch_width",
            min_width=MIN_WIDTH,
        )
        fig.xaxis.ticker = list(range(MAX_DEGREE + 1))
        columns = {"degree": [], "shown": [], "mse": []}
        sources = {
            "train": ColumnDataSource(dict(columns)),
            "test": ColumnDataSource(dict(columns)),
            "chosen": ColumnDataSource({"degree": [], "color": [], "bottom": [], "top": []}),
        }
        fig.vbar(
            "degree",
            width=0.6,
            bottom="bottom",
            top="top",
            color="color",
            alpha=0.25,
            source=sources["chosen"],
        )
        lines = []
        for name, dash, fill in (("train", "solid", POINT_COLOR), ("test", "dashed", "white")):
            source = sources[name]
            line = fig.line("degree", "shown", source=source, color=POINT_COLOR, line_dash=dash)
            fig.scatter(
                "degree", "shown", source=source, size=7, fill_color=fill, line_color=POINT_COLOR
            )
            lines.append(LegendItem(label=f"{name} error", renderers=[line]))
        fig.add_layout(
            Legend(
                items=lines,
                orientation="horizontal",
                label_text_font_size="13px",
                border_line_alpha=0,
            ),
            "below",
        )
        fig.add_tools(
            HoverTool(
                renderers=[r for r in fig.renderers if r.data_source is not sources["chosen"]],
                tooltips=[("degree", "@degree"), ("MSE", "@mse{0.000e+0}")],
            )
        )
        return fig, sources

    # -- drawing ------------------------------------------------------------------------

    def redraw(self, at_once: bool = False) -> None:
        """Both figures and the table; the mean over the draws if known (``at_once``:
        computed here, for the page's first picture), else this draw's errors and a
        word that the mean is coming (``MeanErrors``)."""
        picture = self.state.picture(averaged=False)
        status = ""
        if (arguments := self.state.mean_arguments()) is not None:
            mean = self.means.get(arguments, at_once)
            if mean is not None:
                picture = picture._replace(mean_curves=mean)
            else:
                status = FAILED if self.means.failed_for(arguments) else COMPUTING
        low, high = y_window(picture)
        with pn.io.hold():
            self._draw_fits(picture, low, high)
            self._draw_errors(picture, status)
            self.readout.object = readout_html(picture, self.state.draws, status)

    def _draw_fits(self, picture: Picture, low: float, high: float) -> None:
        data = picture.data
        self.fit_sources["train"].data = {"x": data.x_train, "y": data.y_train}
        self.fit_sources["test"].data = {"x": data.x_test, "y": data.y_test}
        self.fit_figure.y_range.update(start=low, end=high)
        x = np.linspace(0.0, 1.0, CURVE_SAMPLES)
        # Far outside the window the line is off the figure anyway; clipping keeps
        # numbers like 1e9 out of the browser.
        span = high - low
        items = []
        chosen = sorted(picture.fits)  # the fits' degrees, ascending: one per place
        for slot, renderer in enumerate(self.curve_renderers):
            renderer.visible = slot < len(chosen)
            if slot >= len(chosen):
                self.fit_sources[slot].data = {"x": [], "y": []}
                continue
            degree = chosen[slot]
            y = np.clip(evaluate(picture.fits[degree], x), low - 10 * span, high + 10 * span)
            self.fit_sources[slot].data = {"x": x, "y": y}
            items.append(LegendItem(label=f"degree {degree}", renderers=[renderer]))
        self.fit_legend.items = [*self.point_items, *items]

    def _draw_errors(self, picture: Picture, status: str = "") -> None:
        low, high = error_window(picture, self.state.noise)
        curves = picture.shown_curves
        self.error_figure.title.text = error_title(self.state.draws, status)
        for name, errors in (("train", curves.train_mse), ("test", curves.test_mse)):
            self.error_sources[name].data = {
                "degree": curves.degrees,
                "shown": np.clip(errors, low, high),  # on the chart's edge when beyond it
                "mse": errors,
            }
        chosen = sorted(picture.fits)
        self.error_sources["chosen"].data = {
            "degree": chosen,
            "color": [curve_style(slot)[0] for slot in range(len(chosen))],
            "bottom": [low] * len(chosen),
            "top": [high] * len(chosen),
        }
        self.error_figure.y_range.update(start=low, end=high)

    # -- controls -----------------------------------------------------------------------

    def _controls(self, hidden: frozenset[str]) -> list:
        state = self.state
        regenerate = pn.widgets.Button(
            label="Regenerate data", color="primary", css_classes=["ui-regenerateButton"]
        )
        regenerate.on_click(lambda _event: state.regenerate())
        widgets = {
            "points": pn.widgets.IntSlider.from_param(state.param.points),
            "noise": pn.widgets.FloatSlider.from_param(state.param.noise),
            "degrees": pn.widgets.MultiChoice.from_param(
                state.param.degrees, solid=False, stylesheets=[CHOICES_TEXT]
            ),
            "ridge": self._ridge_slider(),
            "seed": pn.widgets.IntInput.from_param(state.param.seed),
            "testPoints": pn.widgets.IntInput.from_param(
                state.param.testPoints, placeholder="as many as training points"
            ),
            "draws": self._draws_select(),
            "regenerateButton": regenerate,
        }
        for name, widget in widgets.items():
            widget.css_classes = [*widget.css_classes, f"ui-{name}"]
            widget.sizing_mode = "stretch_width"
        return lab_controls(state, widgets, hidden, **widgets)

    def _draws_select(self) -> pn.widgets.Select:
        """This draw's errors, or their mean over many draws; a link's count off the
        list joins it."""
        state = self.state
        counts = sorted({*AVERAGES, state.draws})
        return pn.widgets.Select.from_param(
            state.param.draws, options={draws_label(n): n for n in counts}
        )

    def _ridge_slider(self) -> pn.widgets.DiscreteSlider:
        """λ on a log ladder (a linear slider would spend its length on large λ); a
        link's λ off the ladder joins it."""
        state = self.state
        steps = sorted({*RIDGE_STEPS, state.ridge})
        slider = pn.widgets.DiscreteSlider(
            label=state.param.ridge.label,
            options={("0" if v == 0 else f"{v:g}"): v for v in steps},
            value=state.ridge,
        )
        slider.param.watch(lambda event: setattr(state, "ridge", event.new), "value")
        return slider

    def main(self):
        # Side by side where both get their least width, the fits first; each as wide
        # as its share of the row.
        share = {"flex": f"1 1 {MIN_WIDTH}px", "min-width": f"min({MIN_WIDTH}px, 100%)"}
        return pn.Column(
            pn.FlexBox(
                # The classes name the figures for the browser tests (a Bokeh pane's
                # own classes do not reach the page).
                pn.Column(
                    pn.pane.Bokeh(self.fit_figure, sizing_mode="stretch_width"),
                    css_classes=["fit-figure"],
                    sizing_mode="stretch_width",
                    styles=share,
                ),
                pn.Column(
                    pn.pane.Bokeh(self.error_figure, sizing_mode="stretch_width"),
                    css_classes=["error-figure"],
                    sizing_mode="stretch_width",
                    styles=share,
                ),
                flex_wrap="wrap",
                sizing_mode="stretch_width",
                gap="12px",
            ),
            self.readout,
            sizing_mode="stretch_width",
            margin=0,
        )


def draws_label(draws: int) -> str:
    return "this draw only" if draws == 1 else f"the mean of {draws} draws"


def error_title(draws: int, status: str = "") -> str:
    """``status``: "" (shown as asked), or why this draw's errors stand in for the mean
    over ``draws`` (COMPUTING, FAILED)."""
    if draws == 1:
        return "Mean squared error against degree (this draw)"
    if status:
        return f"Mean squared error against degree (this draw; {status.format(draws=draws)})"
    return f"Mean squared error against degree (mean of {draws} draws)"


def readout_html(picture: Picture, draws: int = 1, status: str = "") -> str:
    """The chosen degrees' training and test errors as a small table (the numbers behind
    the chart): this draw's, and their mean over the draws when asked for (``status``:
    why it is not there yet, error_title)."""
    mean = picture.mean_curves
    heads = "<th>degree</th><th>train MSE</th><th>test MSE</th>"
    if mean is not None:
        heads += f"<th>mean train MSE ({draws} draws)</th><th>mean test MSE</th>"
    rows = ""
    for degree in sorted(picture.fits):
        cells = [degree, picture.curves.train_mse[degree], picture.curves.test_mse[degree]]
        if mean is not None:
            cells += [mean.train_mse[degree], mean.test_mse[degree]]
        rows += "<tr>" + "".join(f"<td>{_cell(value)}</td>" for value in cells) + "</tr>"
    counts = f"{len(picture.data.x_train)} training and {len(picture.data.x_test)} test points"
    waiting = f"<p class='mean-status'>{status.format(draws=draws).capitalize()}</p>"
    return (
        f"<table class='fit-errors'><tr>{heads}</tr>{rows}</table>"
        + (waiting if status else "")
        + f"<p class='hint'>{html.escape(counts)}. {EDGE_HINT}</p>"
    )


def _cell(value) -> str:
    return str(value) if isinstance(value, int) else f"{value:.3g}"


def build_view(state: OverfittingState, scene: LabScene) -> LabView:
    view = OverfittingView(state, scene, served_document())
    for end in (view.outbox.end, view.means.job.end):
        pn.state.on_session_destroyed(end)
    # The λ slider's title is a text beside it, not its own.
    names = {"ui-ridge": state.param.ridge.label}
    return LabView(view.controls, view.main(), EXPLANATION, names, driver=view)
