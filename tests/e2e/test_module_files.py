"""The components' browser modules as files of ``playground serve``
(``playground.pipe.modules``): a served page's document names each by address instead of
carrying its text, and the address gives the text, to be kept for good."""

import asyncio
import http.client
from urllib.parse import urljoin, urlsplit

import pytest

from playground.pipe import modules
from playground.testing import serialized_models
from playground.visitors import class_name, get_page, pulled_doc

from .harness import running_server

pytestmark = pytest.mark.browser  # a real server

PAGES = ["/app?seed=0.5", "/optimizers", "/hopfield", "/"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with running_server(tmp_path_factory.mktemp("modules") / "panel-serve.log") as started:
        yield started


def fetched(url: str) -> tuple[int, dict, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("GET", parts.path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


@pytest.mark.parametrize("page", PAGES)
def test_a_served_page_names_its_modules_and_each_address_gives_its_text(server, page):
    root = server.base_url.rsplit("/app", 1)[0]
    page_url = root + page
    status, html = get_page(page_url.partition("?")[0], page_url.partition("?")[2])
    assert status == 200
    doc = asyncio.run(pulled_doc(page_url.partition("?")[0].rstrip("/"), html))
    components = [m for m in serialized_models(doc) if "esm" in m.get("attributes", {})]
    assert components, page
    for model in components:
        attributes = model["attributes"]
        assert attributes["bundle"] == "url", class_name(model)
        address = attributes["esm"]
        assert "/playground-modules/" in address
        assert len(address) < 200, address
        status, headers, text = fetched(urljoin(page_url, address))
        assert status == 200, address
        assert headers["Content-Type"].startswith("text/javascript")
        assert "immutable" in headers["Cache-Control"]
        component = modules.component_named(address.rsplit("/", 1)[1])
        assert component is not None
        assert component.__name__ == class_name(model)
        assert text == modules.module_text(component._esm)
        assert "export function render" in text


@pytest.mark.parametrize("name", ["Nothing-0123456789abcdef.js", "LiveView-0000000000000000.js"])
def test_an_unknown_module_is_not_found(server, name):
    root = server.base_url.rsplit("/app", 1)[0]
    status, _headers, _text = fetched(f"{root}/playground-modules/{name}")
    assert status == 404
