"""What the hall says in words: the page a new tab gets when every worker is full, the
one it gets while no worker answers, the room at a glance (``/status``), and the log
line with the room's figures.

The first two are served by HAProxy from its configuration (single-quoted strings
there, so they hold no single quote) and by a full worker itself; both try again by
themselves, after a random wait so that a hall's tabs do not all come back at once.
"""

import html

# A page that waits for a free place asks again after this many seconds, at random
# between the two (the proxy's Retry-After says the shorter).
RETRY_AFTER_S = (5, 15)

_STYLE = (
    "body{font:17px/1.5 Helvetica,Arial,sans-serif;max-width:36em;margin:4em auto;"
    "padding:0 1em;color:#222}h1{font-size:1.5em}#wait{color:#555}"
)

_RETRY = (
    "<script>(function(){{var s={low}+Math.floor(Math.random()*{spread});"
    'var el=document.getElementById("wait");'
    "function tick(){{if(s<=0){{location.reload();return;}}"
    'el.textContent="Trying again in "+s+" s.";s-=1;setTimeout(tick,1000);}}'
    "tick();}})();</script>"
)


def _waiting_page(title: str, paragraphs: list[str]) -> str:
    low, high = RETRY_AFTER_S
    body = "".join(f"<p>{html.escape(text, quote=False)}</p>" for text in paragraphs)
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        f'<noscript><meta http-equiv="refresh" content="{high}"></noscript>'
        f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>{body}"
        '<p id="wait"></p>' + _RETRY.format(low=low, spread=high - low + 1) + "</body></html>"
    )
    assert "'" not in page, "HAProxy's configuration holds the page in single quotes"
    return page


def full_room_page() -> str:
    """A new tab's page while every worker has as many students as it can serve well."""
    return _waiting_page(
        "The room is full",
        [
            (
                "Every place in this playground is taken: the server gives each student "
                "who is already in as many pictures a second as it can, and one more "
                "would slow everyone down."
            ),
            (
                "This page asks again by itself every few seconds and opens the "
                "playground as soon as a place is free. There is nothing to do but "
                "wait; you do not need to reload it."
            ),
        ],
    )


def starting_page() -> str:
    """A tab's page while no worker answers (they are starting, or starting again)."""
    return _waiting_page(
        "The playground is starting",
        [
            (
                "The playground\u2019s server is starting, or starting again after a "
                "problem. This page asks again by itself every few seconds and opens "
                "the playground as soon as the server answers."
            ),
        ],
    )


STATUS_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The room at a glance</title>
<style>
body{font:16px/1.5 Helvetica,Arial,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}th,td{padding:4px 12px;text-align:right}
th{border-bottom:1px solid #999}td:first-child,th:first-child{text-align:left}
#room{font-size:1.2em}.full{color:#b00020;font-weight:bold}
</style></head><body>
<h1>The room at a glance</h1>
<p id="room">Asking the server&hellip;</p>
<table><thead><tr><th>Worker (process)</th><th>Port</th><th>Open tabs</th>
<th>Playing</th><th>Frames/s, slowest tenth</th><th>Frames/s, median</th>
<th>Started</th></tr></thead><tbody id="workers"></tbody></table>
<p>Frames per second are those each playing tab got over the last few seconds.
This page asks again every 2 seconds; <a href="status.json">status.json</a> has the
same figures.</p>
<script>
const KEYS = ["pid", "port", "tabs", "playing", "fps_p10", "fps_median", "started"];
function show(room) {
  const rows = room.workers.map((worker) => {
    const row = document.createElement("tr");
    for (const key of KEYS) {
      const cell = document.createElement("td");
      const value = worker[key];
      cell.textContent = value === null || value === undefined ? "\\u2013" : String(value);
      row.append(cell);
    }
    return row;
  });
  document.getElementById("workers").replaceChildren(...rows);
  const tabs = room.workers.reduce((sum, w) => sum + (w.tabs || 0), 0);
  const playing = room.workers.reduce((sum, w) => sum + (w.playing || 0), 0);
  const text = `${tabs} open tabs, ${playing} playing, on ${room.workers.length} workers. `;
  const el = document.getElementById("room");
  el.textContent = text + (room.full ? "The room is full." : "There is room for more.");
  el.className = room.full ? "full" : "";
}
async function ask() {
  try {
    const answer = await fetch("status.json", { cache: "no-store" });
    show(await answer.json());
  } catch {
    document.getElementById("room").textContent = "The server does not answer.";
  }
  setTimeout(ask, 2000);
}
ask();
</script></body></html>
"""


def _fps(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def room_line(room: dict) -> str:
    """The room's figures in one log line (``room``: what ``/status.json`` answers)."""
    workers = room["workers"]
    tabs = sum(w.get("tabs") or 0 for w in workers)
    playing = sum(w.get("playing") or 0 for w in workers)
    parts = [
        f"room: {tabs} tabs, {playing} playing, " + ("full" if room["full"] else "room for more")
    ]
    for w in workers:
        if w.get("tabs") is None:
            parts.append(f"worker {w.get('pid')} (port {w['port']}): not answering")
            continue
        parts.append(
            f"worker {w['pid']} (port {w['port']}): {w['tabs']} tabs, {w['playing']} "
            f"playing, frames/s p10 {_fps(w['fps_p10'])} median {_fps(w['fps_median'])}"
        )
    return "; ".join(parts)
