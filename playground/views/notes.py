"""What was wrong with the link, told to the user: one line per note, each with a close
button. The box scrolls inside a few lines' height, so many notes never push the plot
off the screen."""

from typing import ClassVar

import param
from panel.custom import JSComponent

from playground.log_limit import quoted
from playground.pipe.library import JoinedModule

# The note text goes in with textContent: a URL value quoted in a note (a bare address,
# [x](http://...) or <b>) shows as the text it is, never as a link or markup.
_ESM = """
export function render({ model }) {
  const root = document.createElement("div");
  const box = document.createElement("div");
  box.className = "notes";
  box.setAttribute("role", "status");
  // Python drops the note and sends the list back, which redraws the box.
  const dismiss = (index) => model.send_msg({ dismiss: index });
  const button = (text, label, onClick) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", onClick);
    return b;
  };
  // Outside the scrolling list, so that it is always in sight.
  const all = button("Dismiss all", "Dismiss every note", () => dismiss("all"));
  all.className = "dismiss-all";
  const draw = () => {
    box.replaceChildren();
    model.notes.forEach((text, index) => {
      const row = document.createElement("div");
      row.className = "note";
      const words = document.createElement("span");
      words.textContent = text;
      row.append(words, button("\u00d7", "Dismiss this note", () => dismiss(index)));
      box.append(row);
    });
    all.style.display = model.notes.length > 1 ? "" : "none";
  };
  draw();
  model.on("notes", draw);
  root.append(box, all);
  return root; // in Panel's wrapper, of class "url-notes" after this class's name
}
"""


def refused_note(widget, value) -> str:
    """The note for a value that a control with no setting of its own refused."""
    label = getattr(widget, "label", None) or getattr(widget, "name", None) or "A control"
    return f"{label}: the value {quoted(value, 40)} was refused."


class UrlNotes(JoinedModule, JSComponent):
    notes = param.List(default=[], item_type=str, doc="one sentence per note")

    _esm = _ESM

    def _handle_msg(self, msg) -> None:
        """``{"dismiss": index}`` or ``{"dismiss": "all"}`` from a close button."""
        which = msg.get("dismiss") if isinstance(msg, dict) else None
        if which == "all":
            self.notes = []
        elif type(which) is int and 0 <= which < len(self.notes):
            self.notes = [note for k, note in enumerate(self.notes) if k != which]

    _stylesheets: ClassVar[list[str]] = [
        """
        .notes { max-height: 6.4em; overflow-y: auto; padding: 4px 8px; font-size: var(--text, 14px);
          line-height: 1.6; color: #664d03; background: #fff3cd; border: 1px solid #ffe69c;
          border-radius: 4px; }
        .note { display: flex; align-items: baseline; gap: 8px; }
        .note span { flex: 1; min-width: 0; overflow-wrap: anywhere; }
        button { border: none; background: none; color: #664d03; cursor: pointer;
          font-size: 16px; line-height: 1; padding: 0 4px; }
        button.dismiss-all { font-size: var(--text, 14px); text-decoration: underline; padding: 2px 8px; }
        """
    ]
