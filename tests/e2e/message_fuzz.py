"""Hostile messages on Bokeh's websocket: what a tab's own program could send instead of
what BokehJS sends. Used by test_hostile_messages.py.

Each message is a PATCH-DOC (Bokeh's message for a change in the browser) whose event is
wrong in one way: a model id that does not exist, a property of the wrong type, a huge
value, deep nesting, an event for a model that does not exist or with a payload of any
shape. Messages Bokeh cannot parse at all close the tab's socket, so they come last.
"""

import itertools
import json
import uuid

from playground.testing import serialized_models


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


def changed(model_id: str, attr: str, new) -> dict:
    return {"kind": "ModelChanged", "model": {"id": model_id}, "attr": attr, "new": new}


def event(name: str, model_id: str, **values) -> dict:
    entries = [["model", {"id": model_id}], *([key, value] for key, value in values.items())]
    data = {"type": "event", "name": name, "values": {"type": "map", "entries": entries}}
    return {"kind": "MessageSent", "msg_type": "bokeh_event", "msg_data": data}


def patches(doc: dict) -> list[list[dict]]:
    """The events of each hostile PATCH-DOC for a tab whose document is ``doc``: every
    model gets its first attributes and one value each, in turn, so that every hostile
    value reaches every kind of model."""
    models = [m for m in serialized_models(doc) if m.get("attributes")]
    values = itertools.cycle(HOSTILE_VALUES)
    messages = [[changed("no-such-model", "value", 1)], [changed("", "", None)]]
    for model in models:
        attributes = list(model["attributes"])
        first = ["value", *attributes] if "value" in attributes else attributes
        for attr in first[:3]:
            messages.append([changed(model["id"], attr, next(values))])
    ids = [m["id"] for m in models]
    for model_id, payload in zip(ids, itertools.cycle(HOSTILE_VALUES), strict=False):
        messages.append([event("data_event", model_id, data=payload)])
        messages.append([event("button_click", model_id)])
    messages += [
        [event("button_click", "no-such-model")],
        [event("no_such_event", ids[0])],
        [{"kind": "NoSuchKind"}],
        [{"kind": "ModelChanged"}],
        [changed(ids[0], "value", {"type": "ref", "id": "no-such-model"})],
        [changed(ids[0], "value", {"type": "object", "name": "NoSuchModel", "id": "x"})],
        [changed(ids[0], "value", {"type": "bytes", "data": "%%%"})],
        [changed(ids[0], "value", {"type": "ndarray", "array": [1], "dtype": "nope"})],
        [changed(ids[0], "value", 1)] * 300,  # many events in one message
    ]
    return messages


def header(msgtype: str) -> str:
    return json.dumps({"msgid": uuid.uuid4().hex, "msgtype": msgtype})


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
