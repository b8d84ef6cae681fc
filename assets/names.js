// Names for controls that Bokeh draws without one, and the focus kept on a button that
// Bokeh draws anew (playground/views/names.py).
//
// A Bokeh slider's handle, a multi-choice's search field and the like show their title
// beside them but are not tied to it: a screen reader, or a test, finds a control called
// nothing. Every control of the page without a name gets its widget's title (the title
// of the widget whose shadow root holds it), or the name Python gives for its widget's
// css class. The play buttons show a symbol and are named "Play" or "Pause".
//
// Bokeh draws a button again, as a new element, when its label changes: the focus of a
// student who pressed Enter on Play fell to the page. The element that had the focus is
// remembered; when it leaves the page that way, its replacement takes the focus.
//
// Every shadow root found is watched for elements added to it (not for text, which
// changes with every frame of /app's live view), and only those are looked at again.

import { attachHint } from "./hints.js";

const SYMBOL_NAMES = { "\u25b6": "Play", "\u275a\u275a": "Pause" };
const CONTROLS =
  "button, input:not([type=hidden]), select, textarea, [role=slider], [role=combobox], " +
  "[role=spinbutton], [role=checkbox], [role=switch], [role=textbox], [role=listbox]";
const TITLES = ".bk-slider-title, .bk-input-group > label, .bk-label";
// A number field's arrow buttons: what they do to the field they belong to.
const ARROWS = { "bk-spin-btn-up": "one step up", "bk-spin-btn-down": "one step down" };

const NO_NAMES = new Set(["null", "undefined"]);

function ownText(el) {
  return [...el.childNodes]
    .filter((n) => n.nodeType === Node.TEXT_NODE)
    .map((n) => n.textContent)
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

// The widget's title, as shown: a slider's without its value, without the colon.
function titleIn(root) {
  for (const el of root.querySelectorAll(TITLES)) {
    if (el.querySelector("input, select, textarea")) continue; // a checkbox's own words
    const text = (ownText(el) || el.textContent.trim()).replace(/:\s*$/, "").trim();
    if (text) return text;
  }
  return "";
}

function hasName(el) {
  // (A library that had no name to give wrote "null".)
  const aria = el.getAttribute("aria-label")?.trim();
  if ((aria && !NO_NAMES.has(aria)) || el.getAttribute("aria-labelledby")) return true;
  const text = el.textContent.replace(/\s+/g, " ").trim();
  if (el.tagName === "BUTTON" || el.getAttribute("role") === "button") {
    return Boolean(text) && !(text in SYMBOL_NAMES);
  }
  if (el.labels && [...el.labels].some((label) => label.textContent.trim())) return true;
  return Boolean(el.title?.trim() || el.getAttribute("placeholder")?.trim());
}

export function render({ model }) {
  const watched = new WeakSet();
  let remembered = null; // the element that has the focus, inside whatever shadow root
  let rememberedRoot = null; // its shadow root (a removed element no longer knows it)
  let pending = [];
  let scheduled = false;

  // The name for a control in ``root`` (a widget's shadow root): the one Python gives
  // for the css class of its widget or of a layout around it, else its widget's title.
  const nameFor = (root) => {
    for (let node = root; node?.host; node = node.host.getRootNode()) {
      for (const cls of node.host.classList) if (model.names[cls]) return model.names[cls];
    }
    return root.host ? titleIn(root) : "";
  };

  // The hint Python gives for the css class of the control's widget, if any.
  const hintFor = (root) => {
    for (let node = root; node?.host; node = node.host.getRootNode()) {
      for (const cls of node.host.classList) if (model.hints[cls]) return model.hints[cls];
    }
    return "";
  };

  const label = (el) => {
    const root = el.getRootNode();
    const hint = root.host ? hintFor(root) : "";
    if (hint) attachHint(root, el, hint);
    const text = el.textContent.replace(/\s+/g, " ").trim();
    if (text in SYMBOL_NAMES) el.setAttribute("aria-label", SYMBOL_NAMES[text]);
    else if (!hasName(el)) {
      const name = nameFor(el.getRootNode());
      const arrow = Object.keys(ARROWS).find((cls) => el.classList.contains(cls));
      if (name) el.setAttribute("aria-label", arrow ? `${name}: ${ARROWS[arrow]}` : name);
    }
  };

  const onFocusIn = (event) => {
    remembered = event.composedPath()[0];
    rememberedRoot = remembered.getRootNode();
  };
  // Focus that leaves for nowhere while its element stays (a click on the page) is
  // let go; an element taken off the page keeps its claim until its replacement comes.
  const onFocusOut = (event) => {
    const left = event.composedPath()[0];
    if (event.relatedTarget) return;
    setTimeout(() => {
      if (left.isConnected && remembered === left) remembered = null;
    }, 0);
  };
  // ``node`` (the page, a shadow root or an element) and everything inside it, shadow
  // roots included: its controls named, its shadow roots watched.
  const visit = (node) => {
    if (node instanceof Element) {
      if (node.matches(CONTROLS)) label(node);
      if (node.shadowRoot) visit(node.shadowRoot);
    } else if (!watched.has(node)) {
      watched.add(node);
      observer.observe(node, { childList: true, subtree: true });
      // Focus that moves inside one shadow tree never reaches the page's listeners.
      node.addEventListener("focusin", onFocusIn);
      node.addEventListener("focusout", onFocusOut);
    }
    for (const el of node.querySelectorAll("*")) {
      if (el.matches(CONTROLS)) label(el);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };

  // Run after the page's own code has had its turn (a closing editor hands the focus
  // back itself): the focus is given only to the remembered element's like (same tag
  // and classes), drawn anew in the same shadow root, and only if nothing has it.
  const keepFocus = () => {
    if (!remembered || remembered.isConnected) return;
    const [gone, root] = [remembered, rememberedRoot];
    requestAnimationFrame(() => {
      if (remembered !== gone || !(root instanceof ShadowRoot) || !root.host.isConnected) return;
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      // Lost: on the page's body, or left on a shadow host with nothing focused inside.
      const lost = !active || active === document.body || Boolean(active.shadowRoot);
      const like = [...root.querySelectorAll(gone.tagName)].find(
        (el) => el.className === gone.className && el !== gone,
      );
      if (lost && like) like.focus();
    });
  };

  const observer = new MutationObserver((records) => {
    keepFocus();
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE) pending.push(node);
      }
    }
    if (pending.length && !scheduled) {
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        const added = pending.filter((node) => node.isConnected);
        pending = [];
        for (const node of added) visit(node);
      });
    }
  });

  const start = () => visit(document);
  requestAnimationFrame(start);
  model.on(["names", "hints"], start);
  model.on("remove", () => observer.disconnect());
  return document.createElement("span");
}
