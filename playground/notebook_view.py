"""A playground or a lab shown in a notebook cell: its changes held until its view can
take them, and what its browser sends handled where the cells run.

Panel's comm manager in the browser drops the messages that arrive before the view's
root is rendered, and under Run All the next cells' changes (``pg.play()``, ``pg.step``)
are sent while the browser still builds the view: they were lost, and the play button
said ▶ while the network trained. Here each shown object comes with ``ViewShown``
(``assets/view_shown.js``), which tells the kernel when the root is rendered, again and
again until the kernel answers (what the browser sends while its side of the comm
opens can be lost: see ``shown_live``); until then what Panel sends to that view
waits, in order, and the browser's messages are then handled on the kernel's main
shell, not in a thread of their own (``pipe.notebook_gate.CommGate``). Every stylesheet it
is sent goes inline (``InlineStyles``), as on the view's first showing.
"""

import functools
import json
from collections.abc import Callable
from importlib import resources

import panel as pn
from panel.custom import JSComponent
from panel.io.resources import CDN_DIST, DIST_DIR

from playground.pipe.library import BrowserMessages, send_to_view
from playground.pipe.notebook_gate import CommGate, notebook_comms
from playground.views.esm import join_modules

ASSETS = resources.files("playground.assets")
EXEC_MIME = "application/vnd.holoviews_exec.v0+json"  # Panel's view in an output: its root's id


@functools.cache
def _local_css(url: str) -> str | None:
    """The text of the Panel stylesheet at CDN ``url``, from the installed package."""
    if not url.startswith(CDN_DIST):
        return None
    path = DIST_DIR / url[len(CDN_DIST) :].split("?")[0]
    return path.read_text(encoding="utf-8") if path.is_file() else None


def inline_stylesheets(content: str) -> str:
    """A Bokeh message's content with each stylesheet Panel names by its CDN address
    given inline instead (an ``ImportedStyleSheet`` sent as an ``InlineStyleSheet`` of
    the same id), as Panel's ``pn.extension(inline=True)`` gives them when a notebook
    view is first shown. Panel makes new ones for later changes (an HTML pane sends all
    its properties again when its text changes), which the browser then fetched from
    the internet, offline too."""
    if CDN_DIST not in content or '"ImportedStyleSheet"' not in content:
        return content
    message = json.loads(content)
    nodes = [message]
    while nodes:
        node = nodes.pop()
        if isinstance(node, list):
            nodes.extend(node)
        elif isinstance(node, dict):
            if node.get("type") == "object" and node.get("name") == "ImportedStyleSheet":
                css = _local_css(str((node.get("attributes") or {}).get("url", "")))
                if css is not None:
                    node.update(name="InlineStyleSheet", attributes={"css": css})
            nodes.extend(node.values())
    return json.dumps(message, separators=(",", ":"))


class InlineStyles:
    """The kernel's side of an open notebook comm, whose messages go with their
    stylesheets inline (``inline_stylesheets``)."""

    def __init__(self, kernel_comm) -> None:
        self.kernel_comm = kernel_comm

    def send(self, data=None, metadata=None, buffers=None) -> None:
        if isinstance(data, str):
            data = inline_stylesheets(data)
        self.kernel_comm.send(data, metadata=metadata, buffers=buffers)

    def close(self) -> None:
        self.kernel_comm.close()


class ViewShown(BrowserMessages, JSComponent):
    """Says, from the browser, that the view it is part of has been rendered."""

    _esm = join_modules(ASSETS / "view_shown.js")

    def __init__(self, on_shown: Callable[[], None] | None = None) -> None:
        super().__init__(width=0, height=0, margin=0)
        self.gate: CommGate | None = None
        self._on_shown = on_shown

    def browser_message(self, data) -> None:
        """The browser says "shown" until the answer "open" reaches it: the comm opens,
        and ``on_shown()`` is told (each time: a repeat that crossed the answer on its
        way does no harm). A view that fell behind (``CommGate.open``) is answered
        "behind" instead, and says so."""
        if data != "shown":
            return
        if self.gate is not None and not self.gate.open():
            send_to_view(self, "behind")
            self.gate.stay_behind()
            return
        if self._on_shown is not None:
            self._on_shown()
        send_to_view(self, "open")


def shown_live(viewable, include=None, exclude=None, on_shown: Callable[[], None] | None = None):
    """``viewable``'s mime bundle for a notebook's output (``_repr_mimebundle_``), with
    what Panel sends to it held until the browser has rendered it, then ``on_shown()``.

    What the browser sends as its view renders may be lost: JupyterLab sends each comm
    target's messages to a kernel subshell of their own, where ipykernel 7 may handle
    one before the main shell, still running the cells that Run All queued, has opened
    the comm ("No such comm"). The live view's own "ready" was among them, after which
    it got no frames; ``on_shown`` stands in for such a message, told once the view is
    known to be there."""
    shown = ViewShown(on_shown)
    view = pn.Column(viewable, shown, margin=0, sizing_mode="stretch_width")
    bundle = view._repr_mimebundle_(include, exclude)
    metadata = bundle[1] if isinstance(bundle, tuple) and len(bundle) == 2 else {}
    ref = (metadata.get(EXEC_MIME) or {}).get("id") if isinstance(metadata, dict) else None
    comms = notebook_comms(ref) if isinstance(ref, str) else None
    if comms is not None:
        shown.gate = CommGate(*comms, outgoing=InlineStyles)
    return bundle
