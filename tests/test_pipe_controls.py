"""A control changed in the browser acts within one frame: through a real Bokeh server
and Bokeh's own client, on an event loop whose clock only moves when the test says so,
so the test counts turns and frames, never wall-clock time."""

import panel as pn
from bokeh.core.serialization import Serializable
from bokeh.document.events import MessageSentEvent

from playground.loop import FRAME_S
from playground.settings import in_group
from playground.state import PlaygroundState
from playground.testing import bokeh_event
from playground.views.setting_bar import SettingBar
from tests.test_pipe_library import served_tab, turns_until


class AsSent(Serializable):
    """A message's data as a browser sends it, past the client's own encoding."""

    def __init__(self, sent: dict) -> None:
        self.sent = sent

    def to_serializable(self, serializer) -> dict:
        return self.sent


def browser_sends(client, css_class: str, data) -> None:
    """What a bar's browser side sends for a change (``model.send_msg``), by Bokeh's own
    client: a data event of the bar's model."""
    (model,) = [m for m in client.document.models if css_class in getattr(m, "css_classes", [])]
    sent = bokeh_event("data_event", model.id, data=data)
    event = MessageSentEvent(client.document, sent["msg_type"], AsSent(sent["msg_data"]))
    client.document.callbacks.trigger_on_change(event)


def test_a_control_changed_in_the_browser_acts_within_one_frame():
    states = []

    def make_doc(doc) -> None:
        state = PlaygroundState(seed="0.5")
        states.append(state)
        bars = [
            SettingBar(state, in_group(group), lambda n, v, s=state: setattr(s, n, v),
                       css_classes=[f"bar-{group}"])
            for group in ("top", "data", "output")
        ]  # fmt: skip
        # Panel's own widget for comparison: it holds a change back for 50 ms.
        plain = pn.widgets.Select.from_param(
            state.param.problem, options=["classification", "regression"], css_classes=["plain"]
        )
        pn.Column(*bars, plain).server_doc(doc)

    with served_tab(make_doc) as (served, _doc, client):
        (state,) = states
        browser_sends(client, "bar-top", {"name": "activation", "value": "relu", "n": 1})
        browser_sends(client, "bar-data", {"name": "noise", "value": 20, "n": 1})
        browser_sends(client, "bar-output", {"name": "show_test_data", "value": True, "n": 1})
        (plain,) = [m for m in client.document.models if "plain" in getattr(m, "css_classes", [])]
        plain.value = "regression"
        client.force_roundtrip()  # the server has read the changes

        def ours_acted() -> bool:
            return (state.activation, state.noise, state.show_test_data) == ("relu", 20, True)

        assert served.run(lambda: turns_until(ours_acted))  # the clock never moved
        assert state.problem == "classification"
        served.loop.advance(FRAME_S)  # one frame later Panel's own widget still waits
        served.run(lambda: turns_until(lambda: False, turns=20))
        assert state.problem == "classification"
        served.loop.advance(0.05)
        assert served.run(lambda: turns_until(lambda: state.problem == "regression"))
