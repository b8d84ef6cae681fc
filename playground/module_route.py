"""``panel serve ... --plugins playground.module_route``: Panel imports this module and
adds its ``ROUTES`` (the components' browser modules as files, ``playground.pipe.modules``);
``playground serve`` always does."""

from playground.pipe.modules import ROUTES

__all__ = ["ROUTES"]
