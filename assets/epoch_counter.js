// The epoch counter (playground/views/controls.py EpochCounter). It changes with every
// frame, so the frame itself carries it: the counter shows the epoch of each frame its
// scene's live view paints (view_events.js), which costs the server nothing more.

import { viewEvents } from "./view_events.js";

export function render({ model }) {
  const el = document.createElement("div");
  const label = document.createElement("span");
  label.className = "label";
  label.textContent = "Epoch";
  const value = document.createElement("span");
  value.className = "value";
  value.textContent = model.text;
  const events = viewEvents(model.view_id);
  const show = (event) => {
    value.textContent = event.detail.epoch;
  };
  events.addEventListener("painted", show);
  model.on("remove", () => events.removeEventListener("painted", show));
  el.append(label, document.createElement("br"), value);
  return el;
}
