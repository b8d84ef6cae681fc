"""Panel's comms of a notebook view, mended (``notebook_view.py`` uses them): what Panel
sends waits until the view is rendered, and what the browser sends is handled on the
kernel's main shell. The private names of Panel, pyviz_comms and ipykernel they rely on,
as ``library.py``'s, are checked by ``tests/test_pipe_library.py``.
"""

from collections.abc import Callable

from panel.io.state import state as panel_state
from pyviz_comms import JupyterCommManager


def notebook_comms(ref: str) -> tuple | None:
    """The two comms of the notebook view whose root model is ``ref``: the one Panel
    sends the view's changes over (the last item of Panel's ``state._views[ref]``, a
    pyviz_comms ``JupyterComm``, whose ``init()`` makes the kernel's side into
    ``_comm``) and the one the browser opens to send its own (pyviz_comms'
    ``JupyterCommJS``, found in ``JupyterCommManager._comms`` by the ``client_comm_id``
    of Panel's comm manager model among the document's roots); None if either is not
    there (a served page, another frontend's comms)."""
    entry = panel_state._views.get(ref)
    if not (isinstance(entry, tuple) and len(entry) == 4):
        return None
    _viewable, _root, doc, comm = entry
    ids = [getattr(root, "client_comm_id", None) for root in getattr(doc, "roots", ())]
    client = next((JupyterCommManager._comms.get(i) for i in ids if i), None)
    if not (hasattr(comm, "_comm") and callable(getattr(comm, "init", None))):
        return None
    return (comm, client) if client is not None else None


HELD_LIMIT_BYTES = 32 * 2**20  # a playing playground's changes for about half an hour


def _main_shell(_data, _default) -> None:
    return None  # ipykernel: no subshell, the main shell


class HeldMessages:
    """Stands in for the kernel's side of a comm (``JupyterComm._comm``) while the view
    is being built: keeps what Panel sends, in order (pyviz_comms and Panel test
    ``_comm`` for truth to see whether the comm is open, and this one is). A view no
    browser renders would hold for ever: past HELD_LIMIT_BYTES it keeps nothing."""

    def __init__(self) -> None:
        self.messages: list[tuple] = []
        self.room = HELD_LIMIT_BYTES
        self.behind = False

    def send(self, data=None, metadata=None, buffers=None) -> None:
        if self.behind:
            return
        self.messages.append((data, metadata, buffers or []))
        self.room -= len(data or "") + sum(memoryview(b).nbytes for b in buffers or ())
        if self.room < 0:
            self.behind = True
            self.messages.clear()

    def close(self) -> None:
        self.messages.clear()


class CommGate:
    """Holds what Panel sends to one notebook view until the view can take it, and has
    what its browser sends handled where the cells run.

    Panel's comm manager in the browser drops every message that arrives before Bokeh
    has rendered the view's root (``msg_handler`` looks for it in ``Bokeh.index``), and
    Panel opens the comm as soon as the browser has read the view's document, before
    its views are built: a change made meanwhile, such as ``play()`` in the cell after
    the one that shows the playground under Run All, was sent and lost. So Panel's
    ``init()`` (which it calls when the browser opens its side) holds the messages,
    and ``open()``, called when the view says its root is rendered, opens the comm and
    sends them, in their order, before anything newer; ``outgoing`` wraps the kernel's
    side of the open comm (``notebook_view.InlineStyles``).

    JupyterLab 4.4+ sends each comm target's messages to a kernel subshell of its own
    ("commsOverSubshells"), which ipykernel 7 handles in a thread beside the one that
    runs the cells: two threads then wrote Panel's messages to one comm interleaved.
    ipykernel asks each comm where its messages go (``_reply_subshell_for``); the
    browser's side of this view, once open, answers: the main shell."""

    def __init__(self, comm, client, outgoing: Callable = lambda kernel_comm: kernel_comm) -> None:
        self.comm = comm
        self.client = client
        self.outgoing = outgoing
        self.held = HeldMessages()
        comm._comm = self.held
        comm.init = self.hold

    @property
    def holding(self) -> bool:
        return self.comm._comm is self.held

    def hold(self) -> None:
        """The browser (re)opened its side (pyviz_comms keeps the kernel's Comm for it
        in ``_comm``): its view is being built."""
        browser_side = getattr(self.client, "_comm", None)
        if browser_side is not None:
            browser_side._reply_subshell_for = _main_shell
        if not self.holding:
            self.held = HeldMessages()
            self.comm._comm = self.held

    def open(self) -> bool:
        """The view's root is rendered: the comm opens and what was held goes. False if
        the view fell behind: what it missed is gone (then ``stay_behind``)."""
        held = self.held
        if self.holding:
            type(self.comm).init(self.comm)  # pyviz_comms: the kernel's Comm, in _comm
            self.comm._comm = self.outgoing(self.comm._comm)
            for data, metadata, buffers in held.messages:
                self.comm._comm.send(data, metadata=metadata, buffers=buffers)
            held.close()
        return not held.behind

    def stay_behind(self) -> None:
        """What Panel sends to this view goes nowhere (``open`` again for an answer)."""
        self.comm._comm = self.held
