"""The lost-connection notice on the lab pages and the home page.

``/app``'s live view watches its websocket and, when the server goes away, veils the
page with a notice and reloads it with its scene once the server answers again
(``assets/reconnect.js``). A page without a live view gets the same from
``ConnectionWatch``: a component that draws nothing and only watches.
"""

from importlib import resources

import param
from panel.custom import JSComponent

from playground.pipe.library import JoinedModule
from playground.views.esm import join_modules

ASSETS = resources.files("playground.assets")


class ConnectionWatch(JoinedModule, JSComponent):
    stopped = param.String(
        default="This page has stopped; it will come back with the same settings once the "
        "server is back.",
        doc="what the notice says after its first sentence",
    )

    _esm = join_modules(ASSETS / "connection_watch.js")


def connection_watch(stopped: str | None = None) -> ConnectionWatch:
    """The watch for a page: takes no room (the notice it shows covers the page)."""
    text = {"stopped": stopped} if stopped else {}
    return ConnectionWatch(width=0, height=0, margin=0, css_classes=["connection-watch"], **text)
