"""A setting's param: what the session state (``state.py``) holds each row of
``playground.settings`` in, by the row's kind."""

import param

from playground.settings import (
    Choice,
    Dataset,
    Features,
    Flag,
    Number,
    Points,
    Rate,
    Setting,
    Shape,
    Slider,
    Steps,
    Text,
)

# A setting's kind -> the param that holds it.
PARAMS = {
    Choice: lambda s: param.Selector(default=s.default, objects=list(s.kind.options())),
    Dataset: lambda s: param.Selector(default=s.default, objects=list(s.kind.options())),
    Rate: lambda s: param.Selector(default=s.default, objects=list(s.kind.values)),
    Steps: lambda s: param.Selector(default=s.default, objects=list(s.kind.values.values())),
    Slider: lambda s: param.Integer(
        default=s.default, bounds=(s.kind.low, s.kind.high), step=s.kind.step
    ),
    Number: lambda s: param.Number(default=s.default, bounds=(s.kind.low, s.kind.high)),
    Flag: lambda s: param.Boolean(default=s.default),
    Text: lambda s: param.String(default=s.default),
    Shape: lambda s: param.List(default=list(s.default), item_type=int),
    # Which names: the current dataset's inputs (``inputs.input_options``), kept in step.
    Features: lambda s: param.List(default=list(s.default), item_type=str),
    # Tuples of (x, y, label) steps (``datasets.own``): a tuple compares by value.
    Points: lambda s: param.ClassSelector(default=s.default, class_=tuple),
}


def param_for(setting: Setting) -> param.Parameter:
    made = PARAMS[type(setting.kind)](setting)
    made.doc = setting.hint
    return made
