"""The home page's HTML: a title, a paragraph, and the cards in a grid that wraps from
one column on a phone to four on a projector. Plain text building, no UI library: the
page script puts it in one HTML pane, the same for every tab (built once a process)."""

import html
from functools import cache

from playground.labs.home.pictures import thumbnail
from playground.labs.home.scenes import CARDS, Card, Link
from playground.png import data_url

TITLE = "Neural-network playground: lectures"
INTRO = (
    "Each card opens a prepared scene in one click: the whole scene is in its link, so "
    "what you see is what your students see when they open it. Press play, then ask the "
    "card's question. The thumbnail shows where the scene gets to after some training; "
    "change anything on the page and find out why. "
    "<a href='app'>Open the playground</a> with its defaults instead."
)
THUMB_PX = 100  # the thumbnails' own size; the cards may draw them larger
# The page's column: its text size, larger in presenter mode; the toggle at the right.
PAGE_CSS = """
:host { --text: 14px; --bokeh-font-size: var(--text); padding: 0 0.5rem; box-sizing: border-box;
  max-width: 100%; }
:host(.presenter) { --text: 19px; }
.home-tools { align-self: flex-end; }
"""
# --text is the page's text size (presenter mode raises it, home/page.py).
HOME_CSS = """
:host { display: block; font-size: var(--text, 14px); }
.home-header h1 { font-weight: 300; font-size: clamp(1.35rem, 1rem + 1.2vw, 2rem);
  margin: 8px 0 2px 0; }
.home-header p { max-width: 60em; color: #444; line-height: 1.45; }
.home-header a, .home-card a { color: #0877bd; text-decoration: none; }
/* A link in a sentence: a finger's height of room around it, over the lines beside it. */
@media (pointer: coarse) { .home-header a { position: relative; z-index: 1; padding: 14px 0; } }
.home-gallery {
  display: grid; gap: 16px;
  grid-template-columns: repeat(auto-fill, minmax(min(calc(21 * var(--text, 14px)), 100%), 1fr));
}
.home-card {
  background: #fff; border-radius: 4px; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.15);
  padding: 12px; display: flex; flex-direction: column; gap: 6px;
}
.home-card h2 { font-weight: 400; font-size: 1.2em; margin: 0; color: #333; }
.home-card .question { color: #555; margin: 0; line-height: 1.35; }
.home-shots { display: flex; gap: 8px; }
.home-shots a {
  flex: 1 1 0; max-width: 160px; display: flex; flex-direction: column; gap: 2px;
  color: #555; text-align: center; min-height: 44px;
}
.home-shots img {
  width: 100%; height: auto; aspect-ratio: 1; border: 1px solid #ddd; border-radius: 3px;
  image-rendering: pixelated;
}
.home-shots a:hover img, .home-shots a:focus img { border-color: #0877bd; }
"""


def _link_html(link: Link) -> str:
    mime, data = thumbnail(link.query, link.picture)
    caption = html.escape(link.caption)
    return (
        f"<a class='scene-link' href='{html.escape(link.href)}' title='{caption}'>"
        f"<img src='{data_url(mime, data)}' alt='{caption}' "
        f"width='{THUMB_PX}' height='{THUMB_PX}'><span>{caption}</span></a>"
    )


def card_html(card: Card) -> str:
    shots = "".join(_link_html(link) for link in card.links)
    return (
        "<article class='home-card'>"
        f"<h2>{html.escape(card.title)}</h2>"
        f"<p class='question'>{html.escape(card.question)}</p>"
        f"<div class='home-shots'>{shots}</div>"
        "</article>"
    )


@cache
def page_html() -> str:
    cards = "".join(card_html(card) for card in CARDS)
    return (
        f"<header class='home-header'><h1>{html.escape(TITLE)}</h1><p>{INTRO}</p></header>"
        f"<main class='home-gallery'>{cards}</main>"
    )
