"""A frame's pictures sent as what changed since the last frame.

Frame after frame of training, a few pixels of the 100 x 100 picture change (a median
of 0.3 %, on the circle and the spiral alike): the picture is 10 of a frame's 12 kB,
so a frame carries only the pixels that changed, as their indices and their new
palette indices (3 bytes each), unless that is no smaller than the whole. The neurons'
thumbnails go the same way. The browser keeps each picture and writes the changes into
it (``assets/live_view.js``); a view that starts afresh gets the whole pictures.
"""

import numpy as np

CHANGED = ("heatmap", "thumbs")  # the frame arrays sent as what changed
BYTES_PER_CHANGE = 3  # a uint16 index and a uint8 value


class Changes:
    def __init__(self) -> None:
        self._sent: dict[str, np.ndarray] = {}  # what the browser has, by name

    def restart(self) -> None:
        """The browser has no pictures: the next frame sends all of them."""
        self._sent = {}

    def arrays(self, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """A frame's ``arrays`` with each of CHANGED (uint8) either whole or as
        ``<name>_at`` (uint16 flat indices into it) and ``<name>_to`` (their values)."""
        out = {name: a for name, a in arrays.items() if name not in CHANGED}
        for name in CHANGED:
            if name in arrays:
                out.update(self._changes(name, arrays[name]))
        return out

    def _changes(self, name: str, picture: np.ndarray) -> dict[str, np.ndarray]:
        flat = np.ascontiguousarray(picture).reshape(-1)
        sent = self._sent.get(name)
        self._sent[name] = flat.copy()
        if sent is None or sent.shape != flat.shape or len(flat) > 2**16:
            return {name: picture}
        changed = np.flatnonzero(flat != sent)
        if BYTES_PER_CHANGE * len(changed) >= len(flat):
            return {name: picture}
        return {f"{name}_at": changed.astype("<u2"), f"{name}_to": flat[changed]}
