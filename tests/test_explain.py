"""The page explains itself: a colour legend and a section on what everything is."""

import html

from playground.settings import SETTINGS
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.url import scene_from_query
from playground.views.explain import TOPICS, explainer, legend


def test_the_explainer_covers_the_topics_and_every_control_from_its_row():
    card = explainer()
    assert card.objects == []  # nothing for the tab to build until it is opened
    card.collapsed = False
    text = card.objects[0].object
    for title in ("Neurons", "Weights", "The loss", "Training and test data", "Regularization"):
        assert f"<h5>{title}</h5>" in text
        assert html.escape(TOPICS[title]) in text
    for setting in SETTINGS.values():
        if setting.group:  # every setting that has a control on the page
            assert f"<dt>{html.escape(setting.label)}</dt>" in text
            assert f"<dd>{html.escape(setting.hint)}</dd>" in text


def test_the_explainer_starts_collapsed_and_the_legend_names_both_ends():
    assert explainer().collapsed
    text = legend().object
    assert "&minus;1" in text
    assert "Orange means negative, blue positive" in text


def test_the_page_shows_both_and_hide_text_hides_the_explainer():
    def texts(app) -> str:
        return repr(app.page.__panel__())

    app = PlaygroundApp(PlaygroundState(seed="1"), scene_from_query({}))
    assert "What am I looking at?" in texts(app)
    assert "legend-pane" in texts(app)
    hidden = PlaygroundApp(PlaygroundState(seed="1"), scene_from_query({"hideText": "true"}))
    assert "What am I looking at?" not in texts(hidden)  # not even sent
    assert "legend-pane" in texts(hidden)
