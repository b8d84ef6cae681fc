"""The control widgets, each bound to a PlaygroundState parameter, with the original's
labels and choices. Each widget carries the css class ``ui-<id>`` of the original, so
``<id>_hide=true`` and the browser tests can find it."""

import math
from typing import ClassVar

import panel as pn
import param
from panel.custom import JSComponent

from playground.engine import ACTIVATIONS, REGULARIZERS
from playground.pipe.library import acting_at_once
from playground.state import LEARNING_RATES, REGULARIZATION_RATES, SPEEDS, PlaygroundState

# Controls act on a change from the browser at once (see ``acting_at_once``).
Select = acting_at_once(pn.widgets.Select)
IntSlider = acting_at_once(pn.widgets.IntSlider)
Checkbox = acting_at_once(pn.widgets.Checkbox)


def _number_label(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".") if value < 0.001 and value else f"{value:g}"


def selects(state: PlaygroundState) -> dict[str, Select]:
    """The top bar's dropdowns, keyed by the original's hide id."""
    p = state.param

    def select(param, name, options, hide_id):
        return Select.from_param(
            param, name=name, options=options, width=130, css_classes=[f"ui-{hide_id}"]
        )

    return {
        "learningRate": select(
            p.learning_rate,
            "Learning rate",
            {_number_label(v): v for v in LEARNING_RATES},
            "learningRate",
        ),
        "activation": select(
            p.activation,
            "Activation",
            {spec.label: name for name, spec in ACTIVATIONS.items()},
            "activation",
        ),
        "regularization": select(
            p.regularization,
            "Regularization",
            {spec.label: name for name, spec in REGULARIZERS.items()},
            "regularization",
        ),
        "regularizationRate": select(
            p.regularization_rate,
            "Regularization rate",
            {_number_label(v): v for v in REGULARIZATION_RATES},
            "regularizationRate",
        ),
        "problem": select(
            p.problem,
            "Problem type",
            {"Classification": "classification", "Regression": "regression"},
            "problem",
        ),
        "speed": select(
            p.speed,
            "Speed (epochs/frame)",
            {label: value for label, value in SPEEDS.items()},
            "speed",
        ),
    }


def data_sliders(state: PlaygroundState) -> dict[str, IntSlider]:
    p = state.param

    def slider(param, name, hide_id):
        return IntSlider.from_param(param, name=name, width=170, css_classes=[f"ui-{hide_id}"])

    return {
        "percTrainData": slider(
            p.perc_train_data, "Ratio of training to test data (%)", "percTrainData"
        ),
        "noise": slider(p.noise, "Noise", "noise"),
        "batchSize": slider(p.batch_size, "Batch size", "batchSize"),
    }


def output_toggles(state: PlaygroundState) -> dict[str, Checkbox]:
    return {
        "showTestData": Checkbox.from_param(
            state.param.show_test_data, name="Show test data", css_classes=["ui-showTestData"]
        ),
        "discretize": Checkbox.from_param(
            state.param.discretize, name="Discretize output", css_classes=["ui-discretize"]
        ),
    }


def format_epoch(epoch: int) -> str:
    """The original's counter: the last six digits, zero-padded, with a comma: 001,234."""
    digits = f"{epoch % 1_000_000:06d}"
    return f"{digits[:3]},{digits[3:]}"


def format_loss(value: float) -> str:
    return f"{value:.3f}" if math.isfinite(value) else "NaN"


class EpochCounter(JSComponent):
    """The epoch counter. It changes with every frame, so the frame itself carries it:
    the live view announces each painted frame's counter in a window event
    ("playground-epoch") and this element shows it, which costs the server nothing more
    per frame. ``text`` is the counter before the first frame."""

    text = param.String(default=format_epoch(0))

    _esm = """
    export function render({ model }) {
      const el = document.createElement("div");
      const label = document.createElement("span");
      label.className = "label";
      label.textContent = "Epoch";
      const value = document.createElement("span");
      value.className = "value";
      value.textContent = model.text;
      const show = (event) => { value.textContent = event.detail; };
      window.addEventListener("playground-epoch", show);
      model.on("remove", () => window.removeEventListener("playground-epoch", show));
      el.append(label, document.createElement("br"), value);
      return el;
    }
    """
    _stylesheets: ClassVar[list[str]] = [
        ":host { font-size: 22px; font-weight: 300; color: #333; }",
        ".label { font-size: 12px; color: #777; }",
    ]
