"""Keyboard shortcuts: the space bar toggles play, as in the original, except where it
already means something: typing in a field, or pressing a focused button."""

import param
from panel.custom import JSComponent


class SpaceToPlay(JSComponent):
    """Counts space presses outside text fields; Python toggles play on each one."""

    presses = param.Integer(default=0)

    _esm = """
    export function render({ model }) {
      const onKey = (event) => {
        const target = event.composedPath()[0];
        const typing = target && (target.isContentEditable ||
          ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) ||
          Boolean(target.closest?.("button, a[href], [role=button], [role=checkbox]")));
        if (event.code === "Space" && !typing && !event.repeat) {
          event.preventDefault();
          model.presses += 1;
        }
      };
      document.addEventListener("keydown", onKey);
      model.on("remove", () => document.removeEventListener("keydown", onKey));
      return document.createElement("span");
    }
    """
