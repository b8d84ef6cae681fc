// A control's hint, shown where the student looks: a "?" beside a dropdown's or a
// slider's title, or the button itself, shows the hint on hover, on keyboard focus and
// on a tap (playground/views/names.py, ``hints``).
//
// Each hint used to be a Bokeh tooltip model of its own (with an HTML model for its
// text and, beside a slider, a Panel icon in a row): some fifty models built and sent
// for every tab that opens. Here the text travels once, in a dictionary, and the page
// draws one floating box that every control borrows.

const BOX_STYLE = [
  "position: fixed",
  "z-index: 10000",
  "max-width: min(300px, 90vw)",
  "padding: 4px 8px",
  "border-radius: 4px",
  "background: #fff",
  "color: #222",
  "border: 1px solid #bbb",
  "box-shadow: 0 2px 8px rgba(0, 0, 0, 0.2)",
  "font: 14px/1.3 sans-serif",
  "font-size: var(--text, 14px)",
  "white-space: normal",
  "pointer-events: none",
  "display: none",
].join(";");

// The "?" is drawn small; with a mouse its hit area reaches 44 px square. On a touch
// screen the "?" is itself a 44 px square in a title row as tall, so that it neither
// covers its dropdown or slider nor is covered by them.
export const HINT_STYLE = `
.hint-mark { position: relative; z-index: 1; display: inline-flex; align-items: center;
  justify-content: center; width: 1.35em; height: 1.35em; margin-left: 6px;
  border: 1px solid #888; border-radius: 50%; font-size: 1em; line-height: 1;
  color: #555; cursor: help; vertical-align: middle; user-select: none; }
.hint-mark::after { content: ""; position: absolute; left: 50%; top: 50%;
  width: 44px; height: 44px; transform: translate(-50%, -50%); }
.hint-mark:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
@media (pointer: coarse) {
  .bk-slider-title:has(.hint-mark), .bk-input-group > label:has(.hint-mark) {
    display: flex; flex-wrap: wrap; align-items: center; column-gap: 0.3em;
    min-height: 44px; }
  /* Square, not round: a rounded corner takes no tap. A slider's handle has its
     finger's square too: room for it above (the title's "?") and below. */
  :host(.bk-Slider) { padding-bottom: 12px; }
  .bk-slider-title:has(.hint-mark) { margin-bottom: 20px; }
  .hint-mark { flex: none; width: 44px; height: 44px; margin-left: 0; border: none;
    border-radius: 0;
    background: radial-gradient(circle, transparent 8px, #888 8.5px, #888 9.5px,
      transparent 10px); }
  .hint-mark::after { content: none; }
}
`;

const TITLES = ".bk-slider-title, .bk-input-group > label";

let box = null; // the one floating box of the page
let owner = null; // the element whose hint it shows

function floatingBox() {
  if (!box || !box.isConnected) {
    box = document.createElement("div");
    box.className = "control-hint";
    box.setAttribute("role", "tooltip");
    box.style.cssText = BOX_STYLE;
    document.body.append(box);
  }
  return box;
}

export function showHint(target, text) {
  const shown = floatingBox();
  shown.textContent = text;
  shown.style.display = "block";
  owner = target;
  const at = target.getBoundingClientRect();
  const room = shown.getBoundingClientRect();
  // Above the element where there is room (the next control is beside or below it).
  let top = at.top - room.height - 4;
  if (top < 0) top = at.bottom + 4;
  const left = Math.min(Math.max(4, at.left), window.innerWidth - room.width - 4);
  shown.style.top = `${top}px`;
  shown.style.left = `${Math.max(4, left)}px`;
}

export function hideHint(target) {
  if (box && (target === undefined || owner === target)) {
    box.style.display = "none";
    owner = null;
  }
}

function follow(target, text) {
  // A finger has no hover: its tap is a click (and would hide what the touch showed).
  const mouse = (event) => event.pointerType !== "touch";
  target.addEventListener("pointerenter", (e) => mouse(e) && showHint(target, text));
  target.addEventListener("pointerleave", (e) => mouse(e) && hideHint(target));
  // Focus from the keyboard, not the focus a click or tap gives on its way.
  target.addEventListener("focus", () => {
    if (target.matches(":focus-visible")) showHint(target, text);
  });
  target.addEventListener("blur", () => hideHint(target));
  target.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hideHint(target);
  });
}

// ``control`` (a dropdown, a slider's handle or a button, inside ``root``, its widget's
// shadow root) described by ``text``: read out after its name, and shown on the page.
// A button shows it itself; anything else gets a "?" beside its title. Drawn again by
// Bokeh, the widget gets it again.
export function attachHint(root, control, text) {
  if (control.tagName === "BUTTON") {
    hintOnButton(control, text);
    return;
  }
  control.setAttribute("aria-description", text);
  const title = root.querySelector(TITLES);
  if (!title || title.querySelector(".hint-mark")) return;
  if (!root.querySelector("style.hint-style")) {
    const style = document.createElement("style");
    style.className = "hint-style";
    style.textContent = HINT_STYLE;
    root.append(style);
  }
  const name = title.textContent.replace(/:.*$/s, "").trim();
  title.append(hintMark(text, name));
}

// The "?" for the hint ``text`` of the control called ``name``: shows it on hover,
// keyboard focus or a tap (a second tap hides it), without opening the control.
export function hintMark(text, name) {
  const mark = document.createElement("span");
  mark.className = "hint-mark";
  mark.textContent = "?";
  mark.tabIndex = 0;
  mark.setAttribute("role", "button");
  mark.setAttribute("aria-label", `About ${name}`);
  mark.setAttribute("aria-description", text);
  follow(mark, text);
  mark.addEventListener("click", (event) => {
    event.preventDefault();
    event.stopPropagation();
    if (owner === mark) hideHint(mark);
    else showHint(mark, text);
  });
  return mark;
}

// A button that shows its own hint ``text`` (on hover and keyboard focus) and has it read
// out after its name.
export function hintOnButton(button, text) {
  button.setAttribute("aria-description", text);
  if (button.dataset.hinted) return;
  button.dataset.hinted = "1";
  follow(button, text);
}
