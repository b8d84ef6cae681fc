// A tab that loses its server says so, and comes back with its scene.
//
// A session lives in one server process; when that process dies (with --num-procs 2
// Tornado starts a new one, which knows nothing of the tab) or the server stops, the
// page can only start again. The URL always holds the whole scene, so reloading brings
// it back. The page reloads only once the server answers: it asks, politely, ever less
// often, and never reloads in a loop (RELOAD_LIMIT).
//
// What tells us: Bokeh's document announces "connection_lost" when its websocket closes
// (Panel leaves reconnect_session off, so Bokeh does not try again itself), and the
// frame socket gives up when its tab cannot be found again (transport.js).
//
// The playground's live view and every other page (the labs and the home page, through
// connection_watch.js) use it; a page may say in its own words what stopped.

import { element } from "./dom.js";

// The first look waits a little: a restarting server needs a moment, and the notice
// stays up long enough to be read.
const FIRST_WAIT_MS = 2000;
const LONGEST_WAIT_MS = 30000;
// Reloads within RELOAD_WINDOW_MS: past this the page waits for a click.
const RELOAD_LIMIT = 3;
const RELOAD_WINDOW_MS = 120000;
const RELOADS_KEY = "playground-reloads";
const NOTICE_ID = "playground-connection-lost";
const TRAINING_STOPPED =
  " Training on this page has stopped; it will start again with the same settings once the server is back.";

let leaving = false; // the page is being unloaded: its sockets close, nothing is lost
window.addEventListener("beforeunload", () => {
  leaving = true;
});

// Somewhere on the server that answers a HEAD request at no cost: one of the page's own
// scripts (the server's static files, prefix and all), else the page itself.
function probeUrl() {
  const own = [...document.scripts].find(
    (script) => script.src && new URL(script.src).origin === window.location.origin,
  );
  return own ? own.src : window.location.href;
}

async function serverAnswers() {
  try {
    await fetch(probeUrl(), { method: "HEAD", cache: "no-store" });
    return true; // any answer at all: a server is listening again
  } catch {
    return false;
  }
}

function recentReloads() {
  const now = Date.now();
  try {
    const times = JSON.parse(sessionStorage.getItem(RELOADS_KEY) || "[]");
    return times.filter((t) => Number.isFinite(t) && now - t < RELOAD_WINDOW_MS);
  } catch {
    return [];
  }
}

function reload() {
  try {
    sessionStorage.setItem(RELOADS_KEY, JSON.stringify([...recentReloads(), Date.now()]));
  } catch {
    // no storage (private mode): the limit does not apply, the backoff still does
  }
  window.location.reload();
}

class ConnectionNotice {
  constructor(explanation) {
    this.tries = 0;
    this.timer = null;
    // A veil over the whole page: its controls can no longer reach a session.
    this.el = element("div");
    this.el.id = NOTICE_ID;
    Object.assign(this.el.style, {
      position: "fixed",
      inset: "0",
      zIndex: "10000",
      background: "rgba(255, 255, 255, 0.55)",
    });
    const banner = element("div");
    banner.setAttribute("role", "alert");
    Object.assign(banner.style, {
      padding: "12px 20px",
      background: "#fff3cd",
      borderBottom: "2px solid #c77c02",
      color: "#3b2a00",
      font: '15px "Helvetica Neue", Helvetica, Arial, sans-serif',
      boxShadow: "0 2px 6px rgba(0, 0, 0, 0.2)",
    });
    const title = element("strong", "", "The connection to the playground's server was lost.");
    const text = element("span", "", explanation);
    this.status = element("div", "status");
    this.status.style.marginTop = "4px";
    this.button = element("button", "", "Reconnect now");
    Object.assign(this.button.style, { marginLeft: "12px", font: "inherit", cursor: "pointer" });
    this.button.addEventListener("click", () => this.tryNow(true));
    this.status.append(element("span"), this.button);
    banner.append(title, text, this.status);
    this.el.append(banner);
    document.body.append(this.el);
  }

  say(text) {
    this.status.firstChild.textContent = text;
  }

  // Asks the server now; reloads if it answers (a click may reload past the limit).
  async tryNow(clicked = false) {
    clearTimeout(this.timer);
    this.say("Looking for the server…");
    if (await serverAnswers()) {
      if (clicked || recentReloads().length < RELOAD_LIMIT) {
        this.say("The server is back: reloading…");
        reload();
        return;
      }
      this.say("The server answers again, but this page keeps losing it. Reload when ready.");
      return;
    }
    this.later();
  }

  // The next try, further off each time, with jitter so that a hall's tabs spread out.
  later() {
    const wait = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** this.tries);
    this.tries += 1;
    const due = Date.now() + wait * (0.75 + 0.5 * Math.random());
    const tick = () => {
      const seconds = Math.ceil((due - Date.now()) / 1000);
      if (seconds <= 0) {
        this.tryNow();
        return;
      }
      const first = this.tries === 1;
      this.say(first ? `Reconnecting in ${seconds} s.` : `No answer yet; trying again in ${seconds} s.`);
      this.timer = setTimeout(tick, Math.min(1000, due - Date.now()));
    };
    tick();
  }
}

let notice = null; // one per page, whichever view noticed first

// The server is gone: says so on the page (once) and starts looking for it.
// `explanation`: what stopped, after the notice's first sentence (a leading space).
export function serverLost(explanation = TRAINING_STOPPED) {
  if (leaving || notice !== null) return;
  notice = new ConnectionNotice(explanation);
  notice.later();
}

export function isServerLost() {
  return notice !== null;
}

// Bokeh's own word that the document's websocket closed.
export function watchBokehConnection(document, onLost, explanation = TRAINING_STOPPED) {
  document?.on_event?.("connection_lost", () => {
    if (leaving) return;
    onLost();
    serverLost(explanation);
  });
}
