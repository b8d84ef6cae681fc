"""Each component's browser module as a file of this server, fetched once per browser.

Panel sends a component's module (its ``_esm`` text) inside every tab's document, once
per model: most of a playground tab's document was JavaScript, which each browser ran
through Panel's in-page compiler, copy by copy. A served page instead names
the module by address (Panel's ``bundle="url"``: the browser imports it as it is), at
``<root>/playground-modules/<Class>-<digest>.js``. The digest of the text is in the
name, so a browser may keep the file for good, and a changed module is a new address.

``playground serve`` adds the route (``playground.module_route``, also a Panel plugin:
``panel serve ... --plugins playground.module_route``). Without it (a notebook,
``pn.serve``, ``panel serve`` alone) the text stays inline, as Panel sends it.

The file is looked up among the components this process knows (each subclass of
``library.JoinedModule`` registers itself); one not yet imported here (a tab's page
built by another process under ``--num-procs``) is found by importing
``COMPONENT_MODULES``, never a module the address names.
"""

import functools
import hashlib
import importlib
import sys
import textwrap

from tornado.web import HTTPError, RequestHandler

PATH = "/playground-modules"
PLUGIN = "playground.module_route"
# Every module that defines a component (tests/test_modules.py checks the list).
COMPONENT_MODULES = (
    "playground.views.checkbox",
    "playground.views.data_picker",
    "playground.views.files",
    "playground.views.live",
    "playground.views.names",
    "playground.views.notes",
    "playground.views.setting_bar",
    "playground.views.share",
    "playground.views.transport_bar",
    "playground.labs.connection",
    "playground.labs.hopfield.view",
    "playground.labs.optimizers.view",
    "playground.notebook_view",
)
FOREVER = "public, max-age=31536000, immutable"

_components: dict[str, type] = {}  # file name -> component class


@functools.cache
def module_text(esm: str) -> str:
    """The module as Panel would send it (dedented), once per text."""
    return textwrap.dedent(esm)


def file_name(component: type) -> str:
    digest = hashlib.sha256(module_text(component._esm).encode()).hexdigest()[:16]
    return f"{component.__name__}-{digest}.js"


def register(component: type) -> None:
    _components[file_name(component)] = component


def served() -> bool:
    """Whether this server has the route: only ``playground serve`` (or Panel's
    ``--plugins``) imports the plugin module."""
    return PLUGIN in sys.modules


def module_address(component: type, rel_path: str | None) -> str:
    """The module's address relative to the page; ``rel_path`` leads from the page to
    the server's root (Panel's ``state.rel_path``), so the prefix is kept."""
    return f"{rel_path or '.'}{PATH}/{file_name(component)}"


def component_named(name: str) -> type | None:
    if name not in _components:
        for module in COMPONENT_MODULES:
            importlib.import_module(module)
    return _components.get(name)


class ModuleFile(RequestHandler):
    def get(self, name: str) -> None:
        component = component_named(name)
        if component is None:
            raise HTTPError(404)
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", FOREVER)
        self.write(module_text(component._esm))


ROUTES = [(rf"{PATH}/([\w-]+\.js)", ModuleFile, {})]
