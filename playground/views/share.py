"""The embedding card's link and iframe snippet, made absolute in the browser.

Only the browser knows the address the page was reached by (a laptop's name, its
address on the lecture hall's network, a proxy's prefix), so Python hands over the
scene's query and the browser puts its own address in front of it."""

from typing import ClassVar

import param
from panel.custom import JSComponent

from playground.pipe.library import JoinedModule

IFRAME_HEIGHT = 900  # px: a desktop's first screen; README gives the page's heights

_ESM = """
// host: another host:port for the same page (this computer on the room's network).
function absolute(query, page, host) {
  const url = new URL(page || window.location.href, window.location.href);
  url.search = query ? "?" + query : "";
  url.hash = "";
  if (host) url.host = host;
  return url.href;
}

const HTTPS_HINT = "A course site served over https shows no http page in a frame: " +
  "serve the playground over https for it (README, \u201cA course site\u201d).";

function snippet(href, height) {
  const safe = href.replaceAll("&", "&amp;").replaceAll('"', "&quot;");
  return `<iframe src="${safe}" width="100%" height="${height}" style="border: 0" ` +
    `title="Neural network playground"></iframe>`;
}

// The clipboard API needs a secure page (https or localhost); elsewhere (a laptop's
// address on the lecture hall's network) the text is selected for Ctrl+C instead.
async function copy(field, status) {
  try {
    if (!navigator.clipboard || !window.isSecureContext) throw new Error("no clipboard");
    await navigator.clipboard.writeText(field.value);
    status.textContent = "Copied.";
  } catch (error) {
    field.focus();
    field.select();
    status.textContent = "Selected: press Ctrl+C (\\u2318C on a Mac) to copy.";
  }
}

function row(caption, value, rows) {
  const wrap = document.createElement("div");
  wrap.className = "share-row";
  const label = document.createElement("label");
  const words = document.createElement("span");
  words.textContent = caption;
  const field = document.createElement("textarea");
  field.readOnly = true;
  field.rows = rows;
  field.spellcheck = false;
  field.value = value;
  label.append(words, field);
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Copy";
  button.setAttribute("aria-label", "Copy: " + caption);
  const status = document.createElement("span");
  status.className = "status";
  status.setAttribute("aria-live", "polite");
  button.addEventListener("click", () => copy(field, status));
  field.addEventListener("focus", () => field.select());
  wrap.append(label, button, status);
  return { wrap, field, status };
}

export function render({ model }) {
  const el = document.createElement("div");
  el.className = "share";
  const link = document.createElement("a");
  link.target = "_blank";
  link.rel = "noopener";
  link.className = "open-link";
  const note = document.createElement("p");
  note.className = "room-note";
  const address = row("Link", "", 2);
  const students = row("Link for students (this computer on the room's network)", "", 2);
  const frame = row("Embed code for a web page", "", 3);
  const https = document.createElement("p");
  https.className = "https-hint";
  https.textContent = window.location.protocol === "http:" ? HTTPS_HINT : "";
  const show = () => {
    const href = absolute(model.query, model.page);
    const theirs = model.room_host ? absolute(model.query, model.page, model.room_host) : "";
    link.href = href;
    link.textContent = "Open this scene in a new tab";
    note.textContent = model.room_note;
    address.field.value = href;
    students.field.value = theirs;
    students.wrap.hidden = !theirs;
    frame.field.value = snippet(theirs || href, model.iframe_height);
    address.status.textContent = students.status.textContent = frame.status.textContent = "";
  };
  model.on(["query", "iframe_height", "page", "room_host", "room_note"], show);
  show();
  el.append(note, link, address.wrap, students.wrap, frame.wrap, https);
  return el;
}
"""


class SceneLink(JoinedModule, JSComponent):
    query = param.String(default="", doc="the scene's query, without the leading ?")
    iframe_height = param.Integer(default=IFRAME_HEIGHT)
    page = param.String(default="", doc="the page the link opens, relative to this one")
    room_host = param.String(default="", doc="host:port students reach, if not this page's")
    room_note = param.String(default="", doc="what to know about this page's address")

    _esm = _ESM
    _stylesheets: ClassVar[list[str]] = [
        """
        .share { display: flex; flex-direction: column; gap: 8px; font-size: var(--text, 14px);
          max-width: 100%; }
        .share-row { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 6px 8px; }
        .share-row label { display: flex; flex-direction: column; gap: 2px; flex: 1 1 280px;
          min-width: 0; color: #555; }
        textarea { box-sizing: border-box; width: 100%; font: 12px ui-monospace, monospace;
          resize: vertical; color: #222; background: #fff; border: 1px solid #ccc;
          border-radius: 4px; padding: 4px; overflow-wrap: anywhere; }
        button { padding: 4px 12px; border: 1px solid #ccc; border-radius: 4px;
          background: #f8f9fa; cursor: pointer; font-size: var(--text, 14px); }
        button:hover { background: #e2e6ea; }
        .status { color: #2a7a2a; flex-basis: 100%; }
        .status:empty, .room-note:empty, .https-hint:empty, [hidden] { display: none; }
        .room-note { margin: 0; padding: 6px 8px; background: #fff4e0;
          border-left: 3px solid #e69f00; color: #222; }
        .https-hint { margin: 0; color: #555; }
        """
    ]
