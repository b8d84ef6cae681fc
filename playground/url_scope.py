"""Several scenes in one address: each scene's URL keys may carry a prefix of its own.

A page with one scene (``/app``) reads and writes its keys as they are, so a TensorFlow
Playground link opens as it always did. A page with two scenes gives each a prefix
(``a.``, ``b.``): ``a.learningRate=0.3&b.learningRate=0.03``. A scene reads only the keys
of its prefix, and writes its own keys back without touching the others', in the place
its keys had.
"""

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

# A letter, then up to seven letters or digits, then a dot: short, and no key of a scene
# (camelCase words, ``<id>_hide``) has a dot, so a prefixed key is never read as one.
PREFIX = re.compile(r"[a-z][a-z0-9]{0,7}\.")


def check_prefix(prefix: str) -> str:
    """``prefix`` if it is ``""`` (the page's only scene) or a valid scene prefix."""
    if prefix and not PREFIX.fullmatch(prefix):
        raise ValueError(f"a scene's prefix is a letter, letters or digits, then a dot: {prefix!r}")
    return prefix


def scoped(query: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """The keys of the scene with ``prefix``, without it (``""``: every key as it is)."""
    if not prefix:
        return dict(query)
    return {
        key[len(prefix) :]: value
        for key, value in query.items()
        if isinstance(key, str) and key.startswith(prefix)
    }


def prefixed(query: str, prefix: str) -> str:
    """A scene's query text (``a=1&b=2``) with ``prefix`` before each key."""
    if not prefix or not query:
        return query
    return "&".join(prefix + pair for pair in query.split("&"))


def _key(pair: str) -> str:
    return unquote(pair.partition("=")[0])


def with_scene(search: str, prefix: str, query: str) -> str:
    """The address's query ``search`` (with or without its ``?``) with the keys of the
    scene with ``prefix`` replaced by ``query`` (already prefixed), where the scene's
    first key was, or at the end; every other key stays as it was. Without a prefix the
    scene is the page's only one, and ``query`` is the whole address's query."""
    if not prefix:
        return query
    kept: list[str] = []
    placed = False
    for pair in search.removeprefix("?").split("&"):
        if not pair:
            continue
        if _key(pair).startswith(prefix):
            if not placed:
                kept += [query] if query else []
                placed = True
            continue
        kept.append(pair)
    if not placed and query:
        kept.append(query)
    return "&".join(kept)
