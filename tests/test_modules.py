"""The components' browser modules: inline where no server has their route, addresses
where one has (``playground.pipe.modules``); served as files in tests/e2e/test_module_files.py."""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import panel as pn
from bokeh.document import Document

from playground.pipe import modules
from playground.views.live import LiveView
from playground.views.notes import UrlNotes

PACKAGE = Path(modules.__file__).resolve().parents[1]
COMPONENT = re.compile(r"^class \w+\(.*\bJSComponent\b", re.MULTILINE)


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


def test_every_module_that_defines_a_component_is_listed():
    defining = {
        module_name(path)
        for path in PACKAGE.rglob("*.py")
        if COMPONENT.search(path.read_text(encoding="utf-8"))
    }
    assert "playground.views.live" in defining  # the search finds them
    assert defining == set(modules.COMPONENT_MODULES)


def test_the_file_s_name_changes_with_the_module_s_text():
    class Edited(LiveView):
        _esm = LiveView._esm + "\n// edited\n"

    assert modules.file_name(LiveView).startswith("LiveView-")
    assert modules.file_name(Edited) != modules.file_name(LiveView)
    assert modules.component_named(modules.file_name(Edited)) is Edited


def test_the_text_is_dedented_as_panel_sends_it():
    assert modules.module_text(UrlNotes._esm) == textwrap.dedent(UrlNotes._esm)
    assert not modules.module_text(UrlNotes._esm).startswith(" ")


def test_the_address_keeps_the_page_s_way_to_the_server_s_root():
    name = modules.file_name(LiveView)
    assert modules.module_address(LiveView, "") == f"./playground-modules/{name}"
    assert modules.module_address(LiveView, None) == f"./playground-modules/{name}"
    assert modules.module_address(LiveView, "..") == f"../playground-modules/{name}"


def test_without_a_server_the_module_goes_inline():
    doc = Document()
    model = pn.panel(UrlNotes()).get_root(doc)
    assert model.esm == modules.module_text(UrlNotes._esm)
    assert model.bundle is None


def test_a_process_that_never_built_a_component_still_finds_its_file():
    """Under ``--num-procs`` a module's request may reach a process whose tabs never
    made that component: it is found among COMPONENT_MODULES."""
    name = modules.file_name(LiveView)
    script = (
        "from playground.pipe import modules; "
        f"print(modules.component_named({name!r}).__name__, modules.component_named('x.js'))"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert found.stdout.split() == ["LiveView", "None"]
