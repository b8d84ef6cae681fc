"""Components whose browser side only draws what the page says.

A ``JSComponent``'s parameters travel both ways: a tab's program could set any of them.
For a component that only draws (the settings' bars, the transport bar), a change its
browser sends is refused: the value goes back, the tab is told and the page notes it
(``pipe.library.refuse_bad_changes``); what the student does comes as a message
instead (``BrowserMessages``)."""


class DrawnByPage:
    """Mixin for a ``JSComponent``: ``_drawn`` names the parameters its browser may not
    set; the page sets them with ``draw``."""

    _drawn: tuple[str, ...] = ()

    def _watch_drawn(self) -> None:
        self._said = {name: getattr(self, name) for name in self._drawn}
        self.param.watch(self._refuse_from_browser, list(self._drawn))

    def draw(self, **values) -> None:
        """Sets what the browser draws (only what changed)."""
        changed = {name: value for name, value in values.items() if value != getattr(self, name)}
        self._said.update(values)
        if changed:
            self.param.update(**changed)

    def _refuse_from_browser(self, *events) -> None:
        for event in events:
            if event.new != self._said[event.name]:
                raise ValueError(f"a browser cannot set {type(self).__name__}.{event.name}")
