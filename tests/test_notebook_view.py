"""A notebook view's gate (``playground.pipe.notebook_gate.CommGate``, ``playground.notebook_view``):
what Panel sends waits, in order, until the browser says the view is rendered, its
stylesheets inline; what the browser sends is handled on the kernel's main shell. The browser's side is
``tests/e2e/test_notebook_views.py``'s."""

import json

from bokeh.document import Document
from bokeh.models import Div, ImportedStyleSheet
from panel.io.model import diff
from panel.io.resources import CDN_DIST, DIST_DIR

from playground import notebook_view
from playground.notebook_view import InlineStyles, ViewShown
from playground.pipe import notebook_gate
from playground.pipe.notebook_gate import CommGate


class Sent:
    """The kernel's Comm as pyviz_comms uses it: what was sent over it."""

    def __init__(self) -> None:
        self.sent: list[tuple] = []

    def send(self, data=None, metadata=None, buffers=None) -> None:
        self.sent.append((data, metadata, buffers or []))


class ServerComm:
    """pyviz_comms' ``JupyterComm`` as the gate uses it: ``init()`` opens ``_comm``."""

    def __init__(self) -> None:
        self._comm = None
        self.opened = 0

    def init(self) -> None:
        self.opened += 1
        self._comm = Sent()


class BrowserSide:
    """pyviz_comms' ``JupyterCommJS``: the kernel's Comm the browser opened, once it has."""

    def __init__(self) -> None:
        self._comm = Sent()


def test_what_panel_sends_waits_in_order_until_the_view_is_shown():
    comm, browser = ServerComm(), BrowserSide()
    gate = CommGate(comm, browser)
    comm._comm.send("before the browser opened its side")
    comm.init()  # Panel, when the browser opens its side: still held
    comm._comm.send("header", {}, [])
    comm._comm.send(None, None, [b"buffer"])
    assert comm.opened == 0
    assert gate.holding

    gate.open()
    comm._comm.send("after")
    assert comm.opened == 1
    assert [data for data, _metadata, _buffers in comm._comm.sent] == [
        "before the browser opened its side", "header", None, "after",
    ]  # fmt: skip
    assert comm._comm.sent[2][2] == [b"buffer"]
    gate.open()  # a "shown" repeated on its way: nothing again
    assert comm.opened == 1

    comm.init()  # the browser opened its side again (the page reloaded): held again
    comm._comm.send("while it renders again")
    assert gate.holding
    gate.open()
    assert comm.opened == 2
    assert [data for data, *_ in comm._comm.sent] == ["while it renders again"]


def test_the_browser_s_messages_go_to_the_main_shell_once_its_side_is_open():
    comm, browser = ServerComm(), BrowserSide()
    CommGate(comm, browser)
    assert not hasattr(browser._comm, "_reply_subshell_for")
    comm.init()
    assert browser._comm._reply_subshell_for({"content": {}}, "a-comm-target-s-subshell") is None


def test_shown_opens_the_gate_tells_the_app_and_answers_every_time(monkeypatch):
    answers, shown_told = [], []
    monkeypatch.setattr(notebook_view, "send_to_view", lambda view, data: answers.append(data))
    comm = ServerComm()
    view = ViewShown(on_shown=lambda: shown_told.append(True))
    view.gate = CommGate(comm, BrowserSide())
    view.browser_message("not shown")
    assert (comm.opened, shown_told, answers) == (0, [], [])
    view.browser_message("shown")
    view.browser_message("shown")  # sent again before the answer arrived
    assert comm.opened == 1
    assert shown_told == [True, True]
    assert answers == ["open", "open"]


def test_a_view_no_browser_shows_holds_a_bounded_amount_then_says_it_fell_behind(monkeypatch):
    """A notebook run without a browser, its playground playing: past the limit nothing
    more is held; when a browser does render the view at last, it is told it fell
    behind (what it missed is gone), the app is not told it is shown, and nothing more
    is sent to it."""
    monkeypatch.setattr(notebook_gate, "HELD_LIMIT_BYTES", 100)
    answers, shown_told = [], []
    monkeypatch.setattr(notebook_view, "send_to_view", lambda view, data: answers.append(data))
    comm = ServerComm()
    view = ViewShown(on_shown=lambda: shown_told.append(True))
    view.gate = CommGate(comm, BrowserSide())
    held = comm._comm
    comm._comm.send("x" * 60, {}, [])
    assert len(held.messages) == 1
    assert not held.behind
    comm._comm.send("y" * 10, {}, [b"z" * 40])  # 110 bytes in all: past the limit
    comm._comm.send("a frame after it")
    assert held.behind
    assert held.messages == []

    view.browser_message("shown")
    assert comm.opened == 1  # for the answer
    assert answers == ["behind"]
    assert shown_told == []
    comm._comm.send("a frame the view cannot follow")
    assert comm._comm is held
    assert held.messages == []
    view.browser_message("shown")  # the view rendered again (or a repeat): the same answer
    assert answers == ["behind", "behind"]
    assert shown_told == []


def test_a_view_shown_in_time_gets_all_that_was_held(monkeypatch):
    monkeypatch.setattr(notebook_gate, "HELD_LIMIT_BYTES", 100)
    comm = ServerComm()
    gate = CommGate(comm, BrowserSide())
    comm._comm.send("x" * 100, {}, [])
    assert gate.open()
    assert [data for data, *_ in comm._comm.sent] == ["x" * 100]


def test_stylesheets_panel_sends_after_the_first_showing_go_inline():
    """A change that sends a stylesheet named by its address on Panel's CDN (an HTML
    pane's new text sends them all again): the view gets it inline, as on its first
    showing; a stylesheet of ours stays as it is."""
    doc, div = Document(), Div()
    doc.add_root(div)
    doc.hold()  # as Panel holds a notebook view's document
    div.stylesheets = [ImportedStyleSheet(url=f"{CDN_DIST}css/loading.css?v=1"), "b {}"]
    content = diff(doc).content_json  # what Panel sends, as Panel makes it
    assert CDN_DIST in content
    kernel_side = Sent()
    InlineStyles(kernel_side).send(content)
    InlineStyles(kernel_side).send(None, {}, [b"a buffer"])
    sent, buffer_part = kernel_side.sent
    assert CDN_DIST not in sent[0]
    events = json.loads(sent[0])["events"]
    stylesheets = events[0]["new"]
    assert stylesheets[0]["name"] == "InlineStyleSheet"
    assert stylesheets[0]["attributes"] == {"css": (DIST_DIR / "css" / "loading.css").read_text()}
    assert stylesheets[1] == "b {}"
    assert buffer_part == (None, {}, [b"a buffer"])
