"""The home page's cost, and its shipped thumbnails.

    python benchmarks/home.py [--repeats 3] [--write]

Prints one JSON object, in milliseconds (medians over repeats):
- ``train_all_thumbnails``: training and drawing every playground card's thumbnail from
  scratch, what a first visit would wait for if nothing were shipped;
- ``page_html_shipped``: building the page's HTML from the shipped thumbnails, what the
  first visit of a server process waits for;
- ``slowest`` and ``slowest_ms``: the most expensive single thumbnail.

``--write`` (re)makes the shipped thumbnails in assets/home/ (and removes those no card
uses): run it after adding or changing a playground card.
"""

import argparse
import json
import statistics
import time
from pathlib import Path

from playground.labs.home.pictures import Trained, scene_png, shipped_name, thumbnail
from playground.labs.home.scenes import links
from playground.labs.home.view import page_html
from playground.threads import single_threaded_blas

SHIPPED = Path(__file__).resolve().parents[1] / "assets" / "home"


def trained_links() -> list[tuple[str, int]]:
    return [
        (link.query, link.picture.epochs) for link in links() if isinstance(link.picture, Trained)
    ]


def time_ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def write_thumbnails() -> list[str]:
    SHIPPED.mkdir(parents=True, exist_ok=True)
    wanted = {shipped_name(query, epochs): (query, epochs) for query, epochs in trained_links()}
    for name, (query, epochs) in wanted.items():
        (SHIPPED / name).write_bytes(scene_png(query, epochs))
    for stale in SHIPPED.glob("*.png"):
        if stale.name not in wanted:
            stale.unlink()
    return sorted(wanted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="remake assets/home/*.png")
    args = parser.parse_args()
    single_threaded_blas()
    if args.write:
        print(f"wrote {len(write_thumbnails())} thumbnails to {SHIPPED}")
    each = {
        (query, epochs): statistics.median(
            time_ms(lambda q=query, e=epochs: scene_png(q, e)) for _ in range(args.repeats)
        )
        for query, epochs in trained_links()
    }
    slowest = max(each, key=each.get)

    def build_page() -> None:
        thumbnail.cache_clear()
        page_html.cache_clear()
        page_html()

    figures = {
        "thumbnails": len(each),
        "train_all_thumbnails": round(sum(each.values()), 1),
        "page_html_shipped": round(
            statistics.median(time_ms(build_page) for _ in range(args.repeats)), 1
        ),
        "slowest": f"{slowest[0]} ({slowest[1]} epochs)",
        "slowest_ms": round(each[slowest], 1),
    }
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
