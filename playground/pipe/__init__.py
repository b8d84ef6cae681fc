"""The frame pipe: how a frame gets from a tab's app to its browser, and what the browser
says back (see README, "How a frame reaches the screen").

``TabPipe`` is the one per-tab interface the app uses. Inside: the wire format
(``wire``), the tab's own socket (``channel``, its route ``route``), Bokeh's socket
(``bokeh_socket``), acknowledgement pacing (``pacing``), the check of every message
from a browser (``schema``), and every private Panel/Bokeh/Tornado name the app needs
(``library``).
"""

from playground.pipe.channel import PATH, PLUGIN, socket_served
from playground.pipe.library import on_refused_change, prepare_process, use_local_stylesheets
from playground.pipe.tab import SOCKET_RETRY_MS, TabPipe
from playground.pipe.wire import ALIGN, decode, encode, pack

__all__ = [
    "ALIGN",
    "PATH",
    "PLUGIN",
    "SOCKET_RETRY_MS",
    "TabPipe",
    "decode",
    "encode",
    "on_refused_change",
    "pack",
    "prepare_process",
    "socket_served",
    "use_local_stylesheets",
]
