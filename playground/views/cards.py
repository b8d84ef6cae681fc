"""Collapsed cards that cost a tab nothing until someone opens them.

Every component on the page is a Bokeh model built, serialized and sent when a tab
opens, whether it shows or not; the explainer and the embedding card start closed and
most tabs never open them."""

import panel as pn


def card_filled_when_opened(*contents, **params) -> pn.Card:
    """A collapsed ``pn.Card`` whose ``contents`` join it the first time it is opened."""
    card = pn.Card(collapsed=True, **params)

    def fill(event) -> None:
        if not event.new and not card.objects:
            card.objects = list(contents)

    card.param.watch(fill, ["collapsed"])
    return card
