"""A browser's bad messages: one log line per kind a minute (``log_limit``,
``pipe/trouble.py``), and a control that refuses a value it cannot take
(``pipe/library.refuse_bad_changes``), against the installed Bokeh and Panel: a failure
names the library and its version."""

import contextlib
import logging
import warnings

import bokeh
import panel as pn
import param
import pytest
from bokeh.core.serialization import Serializer
from bokeh.document import Document
from bokeh.server.connection import ServerConnection
from panel.io.state import set_curdoc

from playground.log_limit import LogLimit, quoted
from playground.pipe import library, trouble
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.url import scene_from_query

BOKEH = f"Bokeh {bokeh.__version__}"
PANEL = f"Panel {pn.__version__}"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_one_line_per_kind_per_interval_with_a_count(caplog):
    clock = Clock()
    limit = LogLimit(logging.getLogger("playground"), interval_s=60, clock=clock)
    with caplog.at_level(logging.INFO, logger="playground"):
        assert limit.line("bad message", "first")
        for n in range(999):
            clock.now = n * 0.05
            assert not limit.line("bad message", f"value {n}")
        assert limit.line("refused origin", "http://evil.example")  # another kind: at once
        clock.now = 60.0
        assert limit.line("bad message", "later")
    lines = caplog.text.splitlines()
    assert len(lines) == 3, lines
    assert lines[0].endswith("bad message: first")
    assert lines[2].endswith("bad message: later (and 999 more in the last 60 s)")
    assert limit.counts == {"bad message": 1001, "refused origin": 1}


def test_a_quotation_is_short_printable_and_quick_for_any_value():
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    for value in ["x" * 10**6, deep, 10**4000, {"k" * 500: [1] * 10**5}, b"\xff" * 300]:
        text = quoted(value)
        assert len(text) <= 100, text
        assert text.isprintable()
    assert quoted("a\nERROR forged\r\u202e") == "a\\nERROR forged\\r\\u202e"
    assert quoted("short") == "short"
    assert quoted(1e30) == "1e+30"


def record(name: str, msg: str, error: BaseException | None = None, args=()):
    info = None
    if error is not None:
        with contextlib.suppress(type(error)):
            raise error
        info = (type(error), error, error.__traceback__)
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, info)


@pytest.mark.parametrize(
    ("name", "msg", "error", "kind"),
    [
        ("bokeh.server.protocol_handler", "error handling message\n message: %r", KeyError("x"),
         trouble.BAD_MESSAGE),
        ("bokeh.server.views.ws", "Refusing websocket connection from Origin '%s'", None,
         trouble.REFUSED_ORIGIN),
        ("panel.reactive", "Callback failed for object named 'Noise' changing property",
         ValueError("must be at most 50"), trouble.BAD_VALUE),
        ("panel.reactive", "Callback failed for object named 'x' \n", TypeError("no"),
         trouble.FAILED_CHANGE),
        ("bokeh.server.views.ws", "Failed sending message as connection was closed", None, None),
        ("panel.reactive", "something else", ValueError("x"), None),
        ("elsewhere", "error handling message", KeyError("x"), None),
    ],
)  # fmt: skip
def test_which_records_are_browser_trouble(name, msg, error, kind):
    assert trouble.kind_of(record(name, msg, error, ("http://evil.example",))) == kind


def test_a_trouble_line_quotes_short_and_says_where_in_our_code():
    huge = ValueError("v" * 10**6)
    line = trouble.summary(record("panel.reactive", "Callback failed for object", huge))
    assert line.startswith("ValueError: vvv")
    assert len(line) < 130
    assert "(at " not in line  # raised here, in a test: not in the playground's code
    try:
        PlaygroundState(noise=1e30)
    except ValueError as error:
        line = trouble.summary(record("panel.reactive", "Callback failed", error))
    assert line.endswith(")")
    assert "(at playground/state.py:" in line
    origin = record("bokeh.server.views.ws", "Refusing websocket connection", None, ("o" * 500,))
    assert trouble.summary(origin) == quoted("o" * 500)


def test_the_filter_keeps_other_records_and_writes_one_line_a_minute(caplog):
    clock = Clock()
    quiet = trouble.BrowserTrouble(LogLimit(logging.getLogger("playground"), 60, clock))
    bad = record("bokeh.server.protocol_handler", "error handling message", KeyError("nope"))
    with caplog.at_level(logging.INFO, logger="playground"):
        assert all(not quiet.filter(bad) for _ in range(1000))
    assert caplog.text.count("bad message from a browser") == 1
    assert "Traceback" not in caplog.text
    assert quiet.filter(record("bokeh.server.views.ws", "Failed sending message", None))


def test_a_message_from_a_tab_that_just_closed_is_a_one_line_note(caplog):
    detached = ServerConnection.__new__(ServerConnection)  # what a closed tab leaves
    detached._session = None
    with pytest.raises(AssertionError) as raised:
        detached.session  # noqa: B018 (Bokeh's own assertion is the point)
    assert trouble.from_a_closed_tab((AssertionError, raised.value, raised.tb)), (
        f"{BOKEH}: a message from a closed tab no longer fails in ServerConnection.session"
    )
    quiet = trouble.BrowserTrouble(LogLimit(logging.getLogger("playground")))
    closed = logging.LogRecord(
        "bokeh.server.protocol_handler", logging.ERROR, __file__, 1, "error handling message",
        None, (AssertionError, raised.value, raised.tb),
    )  # fmt: skip
    with caplog.at_level(logging.INFO, logger="playground"):
        assert not quiet.filter(closed)
    assert "a message from a tab that had closed was dropped" in caplog.text
    assert not trouble.from_a_closed_tab((AssertionError, AssertionError("x"), None))


def test_installed_once_on_each_logger():
    first, second = trouble.quiet_browser_trouble(), trouble.quiet_browser_trouble()
    assert first is second
    for name in trouble.LOGGERS:
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, trouble.BrowserTrouble) for f in filters) == 1


# -- a control that refuses a value --------------------------------------------------


class Bounded(param.Parameterized):
    level = param.Number(default=1.0, bounds=(0.0, 5.0))


def test_panel_still_applies_browser_changes_where_the_refusal_wraps_them(caplog, monkeypatch):
    """Panel applies a browser's change in ``Reactive._process_events`` and logs a failure
    there ('Callback failed ...') before it raises; ``_property_mapping`` maps Bokeh's
    property names to parameters."""
    library.refuse_bad_changes()
    library.refuse_bad_changes()  # once
    assert getattr(pn.reactive.Reactive._process_events, "refuses_bad_changes", False)
    state = Bounded()
    slider = pn.widgets.FloatSlider.from_param(state.param.level)
    assert library._changed_params(slider, {"value": 2.0, "value_throttled": 2.0}) == [
        "value",
        "value_throttled",
    ], f"{PANEL}: a slider's properties no longer map to value and value_throttled"
    slider._process_events({"value": 2.0})
    assert state.level == 2.0, f"{PANEL}: _process_events no longer applies a change"
    doc = Document()
    told = []
    library.on_refused_change(doc, lambda *args: told.append(args))
    panel_log = logging.getLogger("panel.reactive")  # its record as Panel writes it
    monkeypatch.setattr(panel_log, "filters", [])
    with set_curdoc(doc), caplog.at_level(logging.ERROR, logger="panel.reactive"):
        slider._process_events({"value": 1e30})  # raised into Bokeh before: now refused
    assert (state.level, slider.value) == (2.0, 2.0)
    assert told == [(slider, "value", 1e30)]
    assert any(trouble.kind_of(r) == trouble.BAD_VALUE for r in caplog.records), (
        f"{PANEL}: a refused value is no longer logged as 'Callback failed ...'"
    )


def test_a_dropdown_refuses_a_label_it_does_not_have():
    library.refuse_bad_changes()
    select = pn.widgets.Select(options=["a", "b"], value="a")
    doc = Document()
    told = []
    library.on_refused_change(doc, lambda *args: told.append(args))
    with set_curdoc(doc):
        select._process_events({"value": "v" * 10**6})
    assert select.value == "a"
    assert [args[1] for args in told] == ["value"]


def test_the_playground_clamps_a_refused_value_with_a_link_s_note():
    app = PlaygroundApp(PlaygroundState(seed="0.5"), scene_from_query({}))
    data = app.page.bars["data"]
    for _ in range(1000):
        data.browser_message({"name": "noise", "value": 1e30, "n": 1})
    assert app.state.noise == 50
    assert data.values["noise"] == 50  # and the browser is told, once its change is answered
    assert data.answered == {"noise": 1}
    assert app.page.notes == ["noise=1e+30 is above the maximum of 50; using 50."]
    data.browser_message({"name": "noise", "value": "x" * 10**6, "n": 1})
    assert app.state.noise == 50
    assert len(app.page.notes) == 1
    assert "is too long" in app.page.notes[0]
    app.page.refused_change(app.page.regenerate_button, "clicks", [[["x"]]])
    assert len(app.page.notes) == 2
    assert app.page.notes[1].endswith("was refused.")


@pytest.mark.parametrize(
    "data",
    [None, [], "noise", {"name": "noise"}, {"name": "nothing", "value": 1},
     {"name": "learning_rate", "value": 0.1}, {"name": ["noise"], "value": 1},
     {"name": "noise", "value": 1, "more": 2}, {"name": "noise", "value": 5},
     {"name": "noise", "value": 5, "n": True}, {"name": "noise", "value": 5, "n": 0},
     {"name": "noise", "value": 5, "n": "1"}, {"name": "noise", "value": 5, "n": 2**60}],
)  # fmt: skip
def test_a_bar_ignores_a_message_that_is_not_a_change_of_its_own(data):
    app = PlaygroundApp(PlaygroundState(seed="0.5"), scene_from_query({}))
    before = {name: getattr(app.state, name) for name in ("noise", "learning_rate")}
    app.page.bars["data"].browser_message(data)  # learning_rate is the top bar's
    assert {name: getattr(app.state, name) for name in before} == before
    assert app.page.notes == []
    assert app.page.bars["data"].answered == {}


def test_a_bar_takes_a_whole_number_for_a_float_and_refuses_a_flag_for_a_number():
    app = PlaygroundApp(PlaygroundState(seed="0.5"), scene_from_query({}))
    top, data = app.page.bars["top"], app.page.bars["data"]
    top.browser_message({"name": "learning_rate", "value": 1, "n": 1})
    assert app.state.learning_rate == 1.0
    data.browser_message({"name": "noise", "value": True, "n": 1})
    assert app.state.noise == 0
    assert len(app.page.notes) == 1


def test_what_a_browser_writes_into_a_bar_is_refused_and_shown_again():
    library.refuse_bad_changes()
    app = PlaygroundApp(PlaygroundState(seed="0.5"), scene_from_query({}))
    bar = app.page.bars["top"]
    doc = Document()
    told = []
    library.on_refused_change(doc, lambda *args: told.append(args))
    before = (bar.values, bar.controls, bar.held)
    with set_curdoc(doc):
        bar._process_events({"values": {"learning_rate": 10.0}})
        bar._process_events({"controls": []})
    assert (bar.values, bar.controls, bar.held) == before
    assert app.state.learning_rate == 0.03
    assert [args[1] for args in told] == ["values", "controls"]


def test_bokeh_warns_of_a_big_integer_once():
    """Bokeh warns each time it serializes an integer beyond JavaScript's exact range (a
    browser's own 10**30, sent back to it); the server's process warns at most once."""

    def warned(times: int, quiet: bool) -> int:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")  # as Bokeh sets it for its own warnings
            if quiet:
                trouble.quiet_big_integer_warnings()
            for _ in range(times):
                Serializer().encode(10**30)
        return sum(trouble.BIG_INTEGER_WARNING in str(w.message) for w in seen)

    assert warned(5, quiet=False) == 5, f"{BOKEH} no longer warns of big integers as it did"
    assert warned(5, quiet=True) <= 1
