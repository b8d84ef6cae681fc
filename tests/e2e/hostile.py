"""Hostile URLs (``playground.visitors``) and what a tab opened at one should show: the
notes the page's document holds.
"""

from urllib.parse import parse_qsl

from playground.testing import find_model
from playground.url import _excerpt as note_excerpt  # how a note quotes a value
from playground.url import scene_from_query


def read_as_tornado(query: str) -> dict[str, str]:
    """The query as Tornado gives it to a session: latin-1 bytes, '+' as a space, the
    last repeat wins, then decoded as UTF-8."""
    pairs = parse_qsl(query, keep_blank_values=True, encoding="latin-1")
    return {key: value.encode("latin-1").decode("utf-8", "replace") for key, value in pairs}


def expected_notes(query: str) -> list[tuple[str, str]]:
    """(key, what is wrong) of each note the page should show: the query read as Tornado
    reads it, then by our reader.
    What was used instead is left out: for a seed it is a new random one."""
    values = read_as_tornado(query)
    expected = []
    for note in scene_from_query(values).notes:
        key = note.split("=", 1)[0]
        quoted = f"{key}={note_excerpt(values[key])} "
        assert note.startswith(quoted), note
        expected.append((key, note.removeprefix(quoted).rsplit("; using ", 1)[0]))
    return expected


def is_live_view(node: dict) -> bool:
    return node.get("attributes", {}).get("class_name") == "LiveView"


def is_location(node: dict) -> bool:
    return node.get("name") == "panel.models.location.Location"


def shown_notes(doc: dict) -> tuple[bool, str]:
    """(visible, every note's text) of the page's notes box (views/notes.py's UrlNotes):
    the notes travel as a list of plain strings, which the browser shows as text. A page
    without notes has no box (it joins the page with the first note)."""
    node = find_model(doc, lambda n: n.get("attributes", {}).get("class_name") == "UrlNotes")
    if node is None:
        return False, ""
    data = node["attributes"]["data"]
    if "attributes" not in data:  # serialized once, then referred to by id
        data = find_model(doc, lambda n: n.get("id") == data["id"])
    notes = data["attributes"].get("notes", [])
    return node["attributes"].get("visible", True), "\n".join(notes)
