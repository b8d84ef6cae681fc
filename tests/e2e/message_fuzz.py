"""Hostile messages on Bokeh's websocket: what a tab's own program could send instead of
what BokehJS sends. Used by test_hostile_messages.py, which sends them by hand
(``playground.testing.ProtocolTab``): Bokeh's own client sends only what its document
can hold.

Each message is a PATCH-DOC (Bokeh's message for a change in the browser) whose event is
wrong in one way: a model id that does not exist, a property of the wrong type, a huge
value, deep nesting, an event for a model that does not exist or with a payload of any
shape. Messages Bokeh cannot parse at all close the tab's socket, so they come last.
"""

import itertools
import json

from playground.testing import bokeh_event, message_parts, model_changed, serialized_models


def nested(depth: int):
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


HOSTILE_VALUES = [
    1e308,
    -1e308,
    10**30,
    -(10**30),
    "x" * 200_000,
    "[Log in](https://evil.example/login) <img src=https://evil.example/x.png>",
    nested(400),
    {"a": {"b": {"c": [1, {"d": None}]}}},
    None,
    True,
    "",
    [],
    -1,
    0.5,
    "1e999",
]


def patches(doc: dict) -> list[list[dict]]:
    """The events of each hostile PATCH-DOC for a tab whose document is ``doc``: every
    model gets its first attributes and one value each, in turn, so that every hostile
    value reaches every kind of model."""
    models = [m for m in serialized_models(doc) if m.get("attributes")]
    values = itertools.cycle(HOSTILE_VALUES)
    messages = [[model_changed("no-such-model", "value", 1)], [model_changed("", "", None)]]
    for model in models:
        attributes = list(model["attributes"])
        first = ["value", *attributes] if "value" in attributes else attributes
        for attr in first[:3]:
            messages.append([model_changed(model["id"], attr, next(values))])
    ids = [m["id"] for m in models]
    for model_id, payload in zip(ids, itertools.cycle(HOSTILE_VALUES), strict=False):
        messages.append([bokeh_event("data_event", model_id, data=payload)])
        messages.append([bokeh_event("button_click", model_id)])
    messages += [
        [bokeh_event("button_click", "no-such-model")],
        [bokeh_event("no_such_event", ids[0])],
        [{"kind": "NoSuchKind"}],
        [{"kind": "ModelChanged"}],
        [model_changed(ids[0], "value", {"type": "ref", "id": "no-such-model"})],
        [model_changed(ids[0], "value", {"type": "object", "name": "NoSuchModel", "id": "x"})],
        [model_changed(ids[0], "value", {"type": "bytes", "data": "%%%"})],
        [model_changed(ids[0], "value", {"type": "ndarray", "array": [1], "dtype": "nope"})],
        [model_changed(ids[0], "value", 1)] * 300,  # many events in one message
    ]
    return messages


def header(msgtype: str) -> str:
    return message_parts(msgtype, {})[0]


# Whole messages that are not Bokeh's at all (header, metadata, content as sent): the
# server closes the socket after each.
BROKEN = [
    [header("NO-SUCH-TYPE"), "{}", "{}"],
    [header("PATCH-DOC"), "{}", "not json"],
    ["[]", "{}", "{}"],
    [json.dumps({"msgtype": "PATCH-DOC"}), "{}", "{}"],
    [header("PATCH-DOC"), "{}", '{"events": ' + "[" * 5000 + "]" * 5000 + "}"],
    [header("PATCH-DOC"), "{}", "x" * (3 * 1024 * 1024)],  # over the message limit
]
