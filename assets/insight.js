// Under the output plot: the test points' confusion matrix and each weight layer's
// gradient size on a log scale (vanishing gradients show as bars decades apart).
//
// Python (playground/views/insight.py) chooses every text, colour, height and tick, and
// sends each view only when it changed; this module lays them out as plain elements.
// A message's views wait here until the next paint, so frames merged between two
// animation frames lose none of them.

import { element } from "./dom.js";

// The loss readout's extra lines: [test, training] accuracy texts, or none (regression).
export function accuracyLines(accuracy) {
  if (!accuracy) return "";
  const [test, train] = accuracy;
  return `<br>Test accuracy <b>${test}</b><br>Training accuracy <b>${train}</b>`;
}

export class TrainingInsight {
  constructor() {
    this.el = element("div", "insight");
    this.confusion = element("div", "confusion");
    this.gradients = element("div", "gradients");
    this.confusion.hidden = this.gradients.hidden = true;
    this.el.append(this.confusion, this.gradients);
    this.pending = {};
  }

  // A frame message's views, if it has any: "confusion" (a view, or null: hide it)
  // and "gradients". Returns whether there is something to draw.
  receive(msg) {
    if (msg.confusion !== undefined) this.pending.confusion = msg.confusion;
    if (msg.gradients !== undefined) this.pending.gradients = msg.gradients;
    return Object.keys(this.pending).length > 0;
  }

  draw() {
    const { confusion, gradients } = this.pending;
    if (confusion !== undefined) this.drawConfusion(confusion);
    if (gradients !== undefined) this.drawGradients(gradients);
    this.pending = {};
  }

  // {title, names, colors, counts, fills, inks}: headers in the class colours, rows
  // actual, columns predicted.
  drawConfusion(view) {
    this.confusion.hidden = view === null;
    if (view === null) return;
    const k = view.names.length;
    const grid = element("div", "confusion-grid");
    grid.style.gridTemplateColumns = `auto repeat(${k}, var(--cell))`;
    const header = (i, kind) => {
      const name = element("div", `class-name ${kind}`, view.names[i]);
      name.style.color = view.colors[i];
      return name;
    };
    grid.append(element("div"));
    for (let j = 0; j < k; j++) grid.append(header(j, "predicted"));
    for (let i = 0; i < k; i++) {
      grid.append(header(i, "actual"));
      for (let j = 0; j < k; j++) {
        const cell = element("div", i === j ? "cell right" : "cell", String(view.counts[i][j]));
        cell.style.background = view.fills[i][j];
        cell.style.color = view.inks[i][j];
        grid.append(cell);
      }
    }
    this.confusion.replaceChildren(element("div", "insight-title", view.title), grid);
  }

  // {title, labels, tooltips, heights (0…1, or null: no bar), notes, ticks: [[height, text]]}.
  drawGradients(view) {
    this.gradients.hidden = false;
    const plot = element("div", "gradient-plot");
    for (const [height, text] of view.ticks) {
      const tick = element("div", "tick");
      tick.style.bottom = `${100 * height}%`;
      tick.append(element("span", "", text));
      plot.append(tick);
    }
    const bars = element("div", "gradient-bars");
    const labels = element("div", "gradient-labels");
    view.heights.forEach((height, i) => {
      const slot = element("div", "bar-slot");
      slot.title = view.tooltips[i];
      const bar = element("div", height === null ? "bar empty" : "bar");
      if (height !== null) bar.style.height = `${100 * height}%`;
      slot.append(bar);
      if (view.notes[i]) slot.append(element("div", "bar-note", view.notes[i]));
      bars.append(slot);
      labels.append(element("div", "", view.labels[i]));
    });
    plot.append(bars);
    this.gradients.replaceChildren(element("div", "insight-title", view.title), plot, labels);
  }
}
