// Reset, Play and Step, the epoch counter, the presenter toggle and the space bar
// (playground/views/transport_bar.py). A press goes to Python as one message; what the
// row shows (playing or not, presenter mode) comes back from it.

import { element } from "./dom.js";
import { hintOnButton } from "./hints.js";
import { viewEvents } from "./view_events.js";

const WORDS = { reset: "Reset", step: "Step" };
const CLASSES = { reset: "ui-resetButton", play: "ui-playButton play-button", step: "ui-stepButton" };

// Whether the space bar already means something where it was pressed.
function spaceIsTaken(target) {
  return Boolean(
    target &&
      (target.isContentEditable ||
        ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) ||
        target.closest?.("button, a[href], [role=button], [role=checkbox]")),
  );
}

export function render({ model }) {
  const row = element("div", "row");
  const press = (name) => model.send_msg({ press: name });
  const buttons = {};
  for (const name of model.buttons) {
    const box = element("div", CLASSES[name]);
    const button = element("button", name, WORDS[name]);
    button.type = "button";
    button.addEventListener("click", () => press(name));
    if (model.hints[name]) hintOnButton(button, model.hints[name]);
    box.append(button);
    row.append(box);
    buttons[name] = button;
  }

  const counter = element("div", "epoch");
  const inner = element("div");
  const value = element("span", "value", model.counter);
  inner.append(element("span", "label", "Epoch"), element("br"), value);
  counter.append(inner);
  const events = viewEvents(model.view_id);
  const count = (event) => {
    value.textContent = event.detail.epoch;
  };
  events.addEventListener("painted", count);

  const toggle = element("div", "presenter-toggle");
  const label = element("label");
  const box = element("input");
  box.type = "checkbox";
  box.addEventListener("change", () => model.send_msg({ presenter: box.checked }));
  label.title = model.hints.presenter ?? "";
  label.append(box, element("span", "", "Presenter mode"));
  toggle.append(label);
  row.append(counter, toggle);

  const show = () => {
    const play = buttons.play;
    if (play) {
      play.textContent = model.playing ? "\u275a\u275a" : "\u25b6";
      play.setAttribute("aria-label", model.playing ? "Pause" : "Play");
    }
    box.checked = model.presenter;
  };
  model.on(["playing", "presenter"], show);
  show();

  // The space bar: within this scene only, on a page of several.
  const within = (event) =>
    event.composedPath().some((el) => el.classList?.contains(model.scope));
  let clickedWithin = false;
  const onPointer = (event) => {
    clickedWithin = within(event);
  };
  const ours = (event) =>
    !model.scope || within(event) || (clickedWithin && event.composedPath()[0] === document.body);
  const onKey = (event) => {
    if (event.code !== "Space" || event.repeat || spaceIsTaken(event.composedPath()[0])) return;
    if (!ours(event)) return;
    event.preventDefault();
    press("play");
  };
  document.addEventListener("keydown", onKey);
  if (model.scope) document.addEventListener("pointerdown", onPointer);
  model.on("remove", () => {
    events.removeEventListener("painted", count);
    document.removeEventListener("keydown", onKey);
    document.removeEventListener("pointerdown", onPointer);
  });
  return row;
}
