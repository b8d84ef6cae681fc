"""A control changed in the browser acts within one frame: through a real Bokeh server
and Bokeh's own client, on an event loop whose clock only moves when the test says so,
so the test counts turns and frames, never wall-clock time."""

import panel as pn

from playground.loop import FRAME_S
from playground.state import PlaygroundState
from playground.views.controls import all_controls
from tests.test_pipe_library import served_tab, turns_until


def test_a_control_changed_in_the_browser_acts_within_one_frame():
    states = []

    def make_doc(doc) -> None:
        state = PlaygroundState(seed="0.5")
        states.append(state)
        ours = all_controls(state)
        # Panel's own widget for comparison: it holds a change back for 50 ms.
        plain = pn.widgets.Select.from_param(
            state.param.problem, options=["classification", "regression"], css_classes=["plain"]
        )
        pn.Column(*ours.values(), plain).server_doc(doc)

    with served_tab(make_doc) as (served, _doc, client):
        (state,) = states

        def widget_model(css_class: str):
            (model,) = [
                m for m in client.document.models if css_class in getattr(m, "css_classes", [])
            ]
            return model

        widget_model("ui-activation").value = "ReLU"
        widget_model("ui-noise").value = 20
        widget_model("ui-showTestData").active = True
        widget_model("plain").value = "regression"
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
