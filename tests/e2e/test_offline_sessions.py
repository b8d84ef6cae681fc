"""A session that the websocket made keeps Panel's stylesheets on our server.

Bokeh makes a tab's session when its page is requested; a websocket whose session does
not exist (a tab reconnecting to a restarted server, or reaching the other process under
``--num-procs``) makes one too, without the page. Panel points its stylesheets at the
server's own files when the page is rendered; without the page, each model that changed
afterwards was pointed back at Panel's CDN, which a lecture hall without internet cannot
reach (``playground.pipe.use_local_stylesheets``). Here each page's session is made by
the websocket alone, a button is pressed, and nothing the server sends names the CDN.
"""

import asyncio

import pytest
from bokeh.util.token import generate_jwt_token, generate_session_id
from panel.io.resources import CDN_URL

from playground.testing import ProtocolTab, find_model

from .harness import running_server

pytestmark = pytest.mark.browser  # a real server

QUIET_S = 3.0  # the press is answered once nothing more comes for this long
BUTTONS = {  # page -> a button whose press changes models on the page
    "/overfitting?points=15&degrees=1,3": "Regenerate data",
    "/sweep?xValues=0.1,0.3&epochs=5": "Run",
    "/compare?seed=3": "Step",
    "/perceptron?seed=3": "Step",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with running_server(tmp_path_factory.mktemp("offline") / "panel-serve.log") as started:
        yield started


def is_button(label: str):
    def test(node: dict) -> bool:
        attributes = node.get("attributes", {})
        return node.get("name", "").endswith("Button") and attributes.get("label") == label

    return test


async def sent_after_a_press(page_url: str, label: str) -> tuple[str, list[str]]:
    """The document and every message after the press, as the protocol sends them."""
    tab = ProtocolTab(page_url, generate_jwt_token(generate_session_id(), signed=False))
    await tab.connect()
    try:
        doc = await tab.pull_doc()
        await tab.document_ready()
        button = find_model(doc, is_button(label))
        assert button is not None, (page_url, label)
        await tab.click(button["id"])
        sent = []
        while True:
            try:
                _header, content = await asyncio.wait_for(tab.receive(), QUIET_S)
            except TimeoutError:
                break
            sent.append(str(content))
        return str(doc), sent
    finally:
        await tab.close()


@pytest.mark.parametrize(("page", "label"), BUTTONS.items())
def test_a_session_made_by_the_websocket_never_names_the_cdn(server, page, label):
    root = server.base_url.rsplit("/app", 1)[0]
    doc, sent = asyncio.run(sent_after_a_press(root + page, label))
    assert sent, "the press changed nothing on the page"
    assert CDN_URL not in doc
    assert [message for message in sent if CDN_URL in message] == []
