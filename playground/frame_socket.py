"""``panel serve playground/app.py --plugins playground.frame_socket``: Panel imports this
module and adds its ``ROUTES`` (the tabs' own frame sockets, ``playground.pipe``)."""

from playground.pipe.route import ROUTES

__all__ = ["ROUTES"]
