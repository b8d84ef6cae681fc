"""A checkbox whose words are part of it: a click on the label text toggles it.

Panel's own Checkbox draws its words in a ``div`` beside the box, outside any
``<label>``, so only the small square reacted to a click."""

from typing import ClassVar

import param
from panel.custom import JSComponent

from playground.pipe.library import JoinedModule, acts_at_once
from playground.views.focus import FOCUS_RING


@acts_at_once  # a click is no burst to merge: it acts at once
class LabelledCheckbox(JoinedModule, JSComponent):
    value = param.Boolean(default=False)
    label = param.String(default="")
    hint = param.String(default="", doc="shown as the browser's own tooltip")

    _esm = """
    export function render({ model }) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      const words = document.createElement("span");
      const show = () => {
        box.checked = model.value;
        words.textContent = model.label;
        label.title = model.hint;
      };
      box.addEventListener("change", () => { model.value = box.checked; });
      model.on(["value", "label", "hint"], show);
      show();
      label.append(box, words);
      return label;
    }
    """
    _stylesheets: ClassVar[list[str]] = [
        (
            "label { display: inline-flex; align-items: center; gap: 6px; cursor: pointer; "
            "font-size: var(--text, 14px); color: #333; white-space: nowrap; user-select: none; }"
        ),
        "input { margin: 0; cursor: pointer; }",
        "@media (pointer: coarse) { label { min-height: 44px; } }",
        FOCUS_RING,
    ]
