"""Keyboard shortcuts: the space bar toggles play, as in the original, except where it
already means something: typing in a field, or pressing a focused button. On a page of
several scenes the space bar plays the scene it is pressed in: the one that holds the
focus, or, with nothing focused, the one last clicked."""

import param
from panel.custom import JSComponent

from playground.pipe.library import JoinedModule


class SpaceToPlay(JoinedModule, JSComponent):
    """Counts space presses outside text fields; Python toggles play on each one."""

    presses = param.Integer(default=0)
    scope = param.String(default="", doc="the css class of its scene; '': the whole page")

    _esm = """
    export function render({ model }) {
      const within = (event) =>
        event.composedPath().some((el) => el.classList?.contains(model.scope));
      let clickedWithin = false;
      const onPointer = (event) => { clickedWithin = within(event); };
      const ours = (event) => !model.scope || within(event) ||
        (clickedWithin && event.composedPath()[0] === document.body);
      const onKey = (event) => {
        const target = event.composedPath()[0];
        const typing = target && (target.isContentEditable ||
          ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) ||
          Boolean(target.closest?.("button, a[href], [role=button], [role=checkbox]")));
        if (event.code === "Space" && !typing && !event.repeat && ours(event)) {
          event.preventDefault();
          model.presses += 1;
        }
      };
      document.addEventListener("keydown", onKey);
      if (model.scope) document.addEventListener("pointerdown", onPointer);
      model.on("remove", () => {
        document.removeEventListener("keydown", onKey);
        document.removeEventListener("pointerdown", onPointer);
      });
      return document.createElement("span");
    }
    """
