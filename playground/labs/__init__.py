"""The lecture labs, each a page served by ``playground serve`` beside the playground.

A lab is a small UI-free model (its maths, tested and usable from the command line)
and a page script that builds one tab of it. The pages share a frame (``page.py``: the
title, a paragraph in our own words, controls on the left, the picture on the right) and
URL scenes read from their state's params (``scene.py``): a link reproduces the scene,
``<name>_hide=true`` hides a control, a bad value gets a note.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

# Path -> the script that builds one tab of the page (Bokeh runs it per session).
LAB_PAGES: dict[str, Path] = {
    "/": HERE / "home" / "page.py",
    "/optimizers": HERE / "optimizers" / "page.py",
    "/overfitting": HERE / "overfitting" / "page.py",
    "/hopfield": HERE / "hopfield" / "page.py",
    "/sweep": HERE / "sweep" / "page.py",
    "/perceptron": HERE / "perceptron" / "page.py",
    "/compare": HERE / "compare" / "page.py",
}


def available_pages() -> dict[str, Path]:
    """The lab pages whose script exists (a lab is added with its script)."""
    return {path: script for path, script in LAB_PAGES.items() if script.exists()}
