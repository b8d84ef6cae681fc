"""The route of the tabs' own websockets (``channel.PLUGIN`` installs it through Panel's
``--plugins``).

A tab's token names its worker (``channel.new_token``). A socket that reaches another
worker is closed at once with ``WRONG_WORKER``, one whose worker no longer has the tab
with ``NO_SUCH_TAB``; the browser (``assets/transport.js``) tells the two apart. Behind
the proxy of ``playground serve --workers`` a tab's sockets all reach its worker (a
cookie); with ``--num-procs 2`` the kernel picks a process for each connection, so the
browser tries a few times, and meanwhile its frames come over Bokeh's websocket.
"""

import os
from urllib.parse import urlparse

from bokeh.server.util import check_allowlist
from bokeh.settings import settings
from tornado.websocket import WebSocketHandler

from playground.pipe.channel import PATH, FrameChannel, channels, token_worker
from playground.pipe.schema import MAX_TEXT_BYTES

# Websocket close codes (4000-4999 are the application's), as in assets/transport.js.
NO_SUCH_TAB = 4404  # the token names this worker, which has no such tab (any more)
WRONG_WORKER = 4409  # the token names another worker, or none


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
        token = self.get_argument("tab", "")
        if token_worker(token) != os.getpid():
            self.close(WRONG_WORKER, "this tab lives in another server process")
            return
        self.channel = channels().get(token)
        if self.channel is None:
            self.close(NO_SUCH_TAB, "no such tab in this server process")
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
