// Draw mode (playground/views/draw.py): under the output plot, the Draw button and,
// while it is on, the class to draw (or, for regression, the value), Clear and how many
// points there are. A click on the plot sends its place in plot units and the chosen
// label; Python adds a point there or removes the drawn point under it.

import { element } from "./dom.js";
import { OUT } from "./paint.js";

function button(className, text, onClick) {
  const b = element("button", className, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

export class DrawBar {
  constructor(send) {
    this.send = send;
    this.view = null;
    this.label = 0; // the class number to draw, or the value (regression)
    this.el = element("div", "draw-bar");
    this.toggle = button("draw-toggle", "Draw points", () => this.send({ drawing: !this.on }));
    this.toggle.setAttribute("aria-pressed", "false");
    this.choices = element("div", "draw-choices");
    this.choices.setAttribute("role", "radiogroup");
    this.choices.setAttribute("aria-label", "Class of the points to draw");
    this.clear = button("draw-clear", "Clear", () => this.send({ clear_points: true }));
    this.status = element("div", "draw-status");
    this.status.setAttribute("role", "status");
    this.el.append(this.toggle, this.choices, this.clear, this.status);
    this.shape = "";
  }

  get on() {
    return Boolean(this.view?.on);
  }

  // The bar as Python's draw view says: {on, offered (a plane: points can be drawn),
  // problem, count, limit, most, hint, colours and names (classification)}.
  show(view) {
    this.view = view;
    this.el.hidden = !view.offered;
    this.toggle.setAttribute("aria-pressed", String(view.on));
    this.toggle.classList.toggle("on", view.on);
    this.el.classList.toggle("drawing", view.on);
    this.choices.hidden = this.clear.hidden = this.status.hidden = !view.on;
    const shape = `${view.problem}:${(view.colours || []).join()}`;
    if (view.on && shape !== this.shape) this.buildChoices(view);
    this.shape = view.on ? shape : "";
    let text = `${view.count} point${view.count === 1 ? "" : "s"}. ${view.hint}`;
    if (view.count > view.limit) {
      text = `${view.count} points: more than a link carries (${view.limit}). ` +
        'Save them with "Scene" under Save.';
    }
    if (view.count >= view.most) text = `${view.count} points: the drawing is full.`;
    this.status.textContent = text;
  }

  buildChoices(view) {
    this.choices.replaceChildren();
    if (view.problem !== "classification") {
      const value = element("input", "draw-value");
      Object.assign(value, { type: "range", min: -1, max: 1, step: 0.1, value: 1 });
      value.setAttribute("aria-label", "Value of the points to draw");
      const shown = element("span", "draw-value-text", "+1.0");
      value.addEventListener("input", () => {
        this.label = Number(value.value);
        shown.textContent = (this.label > 0 ? "+" : "") + this.label.toFixed(1);
      });
      this.label = 1;
      this.choices.append(value, shown);
      return;
    }
    if (this.label >= view.colours.length || !Number.isInteger(this.label)) this.label = 0;
    view.colours.forEach((colour, k) => {
      const choice = button("draw-class", view.names[k], () => this.choose(k));
      choice.style.setProperty("--swatch", colour);
      choice.setAttribute("role", "radio");
      this.choices.append(choice);
    });
    this.choose(this.label);
  }

  choose(k) {
    this.label = k;
    [...this.choices.children].forEach((choice, i) => {
      choice.setAttribute("aria-checked", String(i === k));
    });
  }

  // A click at (px, py), the output plot's own pixels: the point in plot units.
  clickAt(px, py) {
    if (!this.on) return false;
    const size = OUT.box - 2 * OUT.pad;
    const x = ((px - OUT.pad) / size) * 12 - 6;
    const y = 6 - ((py - OUT.pad) / size) * 12;
    if (Math.abs(x) <= 6 && Math.abs(y) <= 6) this.send({ draw: [x, y, this.label] });
    return true;
  }
}
