// Tells the kernel when a notebook view can take what it sends (playground/notebook_view.py).
//
// Panel's comm manager drops each message that reaches the browser before Bokeh has
// rendered the view's root (it looks the root up where Bokeh indexes the views it has
// rendered), while the comm opens as soon as the view's document has been read. So the
// kernel holds its messages until this says "shown", once the root is in that index.
// The kernel answers "open" (or "behind"); until then "shown" is said again: a message
// sent while the browser's side of Panel's comm is still opening does not reach the kernel.

import { element } from "./dom.js";

const WAIT_MS = 20; // for the root to be rendered
const AGAIN_MS = 500; // for the kernel's answer

function rendered(root) {
  if (window.PyViz?.plot_index?.[root] != null) return true;
  const index = window.Bokeh?.index;
  return index != null && root in index;
}

// The kernel held more for this view than it keeps before any browser showed it: what
// it missed is gone, so it stays as it was drawn, and says so above itself.
function sayBehind(rootEl) {
  const note = element(
    "p",
    "playground-behind",
    "This view was not shown while its kernel ran on, and has missed too much to follow " +
      "it: run its cell again to see it live.",
  );
  note.setAttribute("role", "status");
  note.style.cssText =
    "margin: 0 0 8px; padding: 8px 12px; font: 14px/1.4 sans-serif; color: #333; " +
    "background: #fff4e5; border-left: 4px solid #f59322;";
  rootEl.before(note);
}

export function render({ model, view }) {
  const root = view.root.model.id;
  let answered = false;
  let removed = false;
  model.on("msg:custom", (message) => {
    if (message === "open") answered = true;
    if (message === "behind" && !answered) {
      answered = true;
      sayBehind(view.root.el);
    }
  });
  model.on("remove", () => {
    removed = true;
  });
  const tell = () => {
    if (answered || removed) return;
    if (!rendered(root)) {
      setTimeout(tell, WAIT_MS);
      return;
    }
    model.send_msg("shown");
    setTimeout(tell, AGAIN_MS);
  };
  tell();
}
