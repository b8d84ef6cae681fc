"""The route of the tabs' own websockets (``channel.PLUGIN`` installs it through Panel's
``--plugins``).

With ``--num-procs 2`` a tab's socket may reach the other process, which knows no tab
with that token and closes it with ``WRONG_PROCESS``: the browser then tries again (a
new connection may land in the other process), and meanwhile its frames come over
Bokeh's websocket.
"""

from urllib.parse import urlparse

from bokeh.server.util import check_allowlist
from bokeh.settings import settings
from tornado.websocket import WebSocketHandler

from playground.pipe.channel import PATH, FrameChannel, channels
from playground.pipe.schema import MAX_TEXT_BYTES

WRONG_PROCESS = 4404  # websocket close code: no tab with that token in this process


class FrameSocket(WebSocketHandler):
    channel: FrameChannel | None = None

    @property
    def max_message_size(self) -> int:
        """Tornado closes the socket on a bigger message as soon as its header says so,
        before buffering it (Bokeh's own websocket allows 20 MiB)."""
        return MAX_TEXT_BYTES

    def check_origin(self, origin: str) -> bool:
        """The origins Bokeh's own websocket accepts (``--allow-websocket-origin``): a
        page that may talk to its session may have its frames. Outside a Bokeh server
        (tests), Tornado's rule: the page's own host."""
        allowed = set(settings.allowed_ws_origin()) or getattr(
            self.application, "websocket_origins", None
        )
        if allowed is None:
            return super().check_origin(origin)
        return check_allowlist(urlparse(origin).netloc.lower(), allowed)

    def open(self) -> None:
        self.channel = channels().get(self.get_argument("tab", ""))
        if self.channel is None:
            self.close(WRONG_PROCESS, "no such tab in this process")
            return
        self.set_nodelay(True)  # a frame must not wait for the previous one's ACK
        self.channel.attach(self)

    def on_message(self, message) -> None:
        if self.channel is not None:
            self.channel.received(message)

    def on_close(self) -> None:
        if self.channel is not None:
            self.channel.detach(self)


ROUTES = [(PATH, FrameSocket, {})]
