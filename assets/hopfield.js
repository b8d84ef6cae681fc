// The Hopfield lab's live picture of the spins and its charts of the energy and the
// overlaps per sweep, drawn on plain canvases.
//
// Python (playground/labs/hopfield/view.py) gives the scene in the `scene` property
// (side, pattern names, spins, the charts' history; sent again whenever the network is
// rebuilt or restarted) and then one message per tick: {id, sweep, spins, sweeps, energy
// and overlaps: [new values], energy_now, overlaps_now}. Spins travel as text, "1" for +1
// and "0" for -1.
//
// +1 is drawn blue (ink), -1 light grey (paper). Drawing: press on the picture and drag;
// the pen paints the opposite of the first cell it touched. The cells show at once;
// strokes go to Python as {draw: [cells], value, id}, at most once per animation frame,
// and frames that arrive mid-stroke are painted with the stroke on top.

import { element, offscreen, sizedCanvas } from "./dom.js";

const PICTURE = 340; // the picture's own coordinates per side; drawn at any size
const RIGHT = 340; // px: the charts' column
const GAP = 20; // px between the picture and the charts (view.py's CSS)
const BELOW = 64; // px under the picture: its readout and hint
const SMALLEST = 240; // px: a smaller screen scrolls to the picture instead
const BESIDE = 0.85; // the charts go beside the picture unless that costs it more
const CHART = { width: 340, height: 118, left: 44, right: 8, top: 18, bottom: 16 };
const UP = [8, 119, 189]; // +1: the playground's blue
const DOWN = [236, 236, 236]; // -1: paper, so that pictures read as ink on it
const SERIES = ["#0877bd", "#f59322", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#e69f00", "#444444"];
const MINUS = "\u2212";
const EMPTY = {
  energy: "Press Play or Step: the energy after each sweep is drawn here.",
  overlap: "Press Play or Step: the overlap with each pattern is drawn here.",
};

function signed(value, digits) {
  const text = Math.abs(value).toFixed(digits);
  return value < 0 && Number(text) !== 0 ? MINUS + text : text;
}

function decodeSpins(text) {
  const spins = new Int8Array(text.length);
  for (let i = 0; i < text.length; i++) spins[i] = text.charCodeAt(i) === 49 ? 1 : -1;
  return spins;
}

// Lines against the sweep number; `range` fixes the y axis (else it fits the data).
// Until it has a sweep to draw, it says what to do (`empty`) inside its frame.
class LineChart {
  constructor(title, range, empty) {
    this.title = title;
    this.range = range;
    this.el = element("div", "hopfield-chart-box");
    this.canvas = element("canvas", "hopfield-chart");
    this.ctx = sizedCanvas(this.canvas, CHART.width, CHART.height);
    this.note = element("p", "hopfield-chart-empty", empty);
    this.el.append(this.canvas, this.note);
    this.set([], [], []);
  }

  set(xs, rows, names) {
    this.xs = xs.slice();
    this.rows = rows.map((row) => row.slice());
    this.names = names;
  }

  add(xs, rows) {
    for (let k = 0; k < xs.length; k++) {
      this.xs.push(xs[k]);
      rows[k].forEach((v, s) => this.rows[s]?.push(v));
    }
  }

  trim(keep) {
    const extra = this.xs.length - keep;
    if (extra <= 0) return;
    this.xs.splice(0, extra);
    for (const row of this.rows) row.splice(0, extra);
  }

  draw() {
    const { ctx, xs } = this;
    const w = CHART.width - CHART.left - CHART.right;
    const h = CHART.height - CHART.top - CHART.bottom;
    ctx.clearRect(0, 0, CHART.width, CHART.height);
    ctx.font = "11px Helvetica, Arial, sans-serif";
    ctx.fillStyle = "#555";
    ctx.textAlign = "left";
    ctx.fillText(this.title, CHART.left, 11);
    let [low, high] = this.range || [Infinity, -Infinity];
    if (!this.range) {
      for (const row of this.rows) for (const v of row) { low = Math.min(low, v); high = Math.max(high, v); }
      if (!Number.isFinite(low)) [low, high] = [0, 1];
      if (high - low < 1e-9) [low, high] = [low - 1, high + 1];
    }
    ctx.strokeStyle = "#ccc";
    ctx.strokeRect(CHART.left, CHART.top, w, h);
    ctx.textAlign = "right";
    ctx.fillText(signed(high, 2), CHART.left - 4, CHART.top + 8);
    ctx.fillText(signed(low, 2), CHART.left - 4, CHART.top + h);
    const n = xs.length;
    this.note.hidden = n > 0;
    if (n === 0) return;
    const first = xs[0];
    const last = Math.max(xs[n - 1], first + 1);
    ctx.fillText(`sweep ${last}`, CHART.left + w, CHART.height - 3);
    ctx.textAlign = "left";
    ctx.fillText(`${first}`, CHART.left, CHART.height - 3);
    const x = (s) => CHART.left + ((s - first) / (last - first)) * w;
    const y = (v) => CHART.top + (1 - (v - low) / (high - low)) * h;
    if (low < 0 && high > 0) {
      ctx.strokeStyle = "#e4e4e4";
      ctx.beginPath();
      ctx.moveTo(CHART.left, y(0));
      ctx.lineTo(CHART.left + w, y(0));
      ctx.stroke();
    }
    this.rows.forEach((row, s) => {
      ctx.strokeStyle = SERIES[s % SERIES.length];
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      row.forEach((v, k) => (k ? ctx.lineTo(x(xs[k]), y(v)) : ctx.moveTo(x(xs[k]), y(v))));
      if (n === 1) ctx.arc(x(xs[0]), y(row[0]), 1.5, 0, 2 * Math.PI);
      ctx.stroke();
    });
  }
}

class HopfieldView {
  constructor(model) {
    this.model = model;
    this.stroke = null; // {value, cells: Set} while the pen is down
    this.unsent = [];
    this.scheduled = false;
    this.el = element("div", "hopfield");
    const left = element("div", "hopfield-left");
    this.picture = element("canvas", "hopfield-picture");
    this.pictureSide = PICTURE; // CSS px on the page (this.side: the network's side)
    this.pictureCtx = sizedCanvas(this.picture, PICTURE, PICTURE);
    this.readout = element("div", "hopfield-readout");
    const hint = element("div", "hopfield-hint", "Blue +1, grey \u22121. Drag on the picture to draw.");
    left.append(this.picture, this.readout, hint);
    const right = element("div", "hopfield-right");
    this.energyChart = new LineChart("Energy E = \u2212\u00bd S\u1d40JS", null, EMPTY.energy);
    this.overlapChart = new LineChart("Overlap m with each stored pattern", [-1, 1], EMPTY.overlap);
    this.legend = element("div", "hopfield-legend");
    right.append(this.energyChart.el, this.overlapChart.el, this.legend);
    this.el.append(left, right);
    this.listen();
    this.resizer = new ResizeObserver(() => this.fit());
    this.resizer.observe(this.el);
    this.onWindow = () => this.fit();
    window.addEventListener("resize", this.onWindow);
    this.setScene(model.scene);
    model.on("scene", () => this.setScene(model.scene));
    model.on("msg:custom", (msg) => this.receive(msg));
  }

  setScene(scene) {
    if (!scene || !scene.side) return;
    this.id = scene.id;
    this.side = scene.side;
    this.spins = decodeSpins(scene.spins);
    this.sweep = scene.sweep;
    this.names = scene.names;
    this.total = scene.total;
    this.image = offscreen(this.side, this.side);
    this.energyChart.set(scene.sweeps, [scene.energy], ["E"]);
    const rows = scene.names.map((_, s) => scene.overlaps.map((row) => row[s]));
    this.overlapChart.set(scene.sweeps, rows, scene.names);
    this.energy = scene.energy_now;
    this.overlaps = scene.overlaps_now;
    this.showLegend();
    this.schedule();
  }

  // The picture as large as the width and the first screen's height allow, its readout
  // still on that screen; the charts beside it where that costs it little, else under it.
  fit() {
    const width = this.el.clientWidth;
    if (!width) return;
    const top = this.picture.getBoundingClientRect().top + window.scrollY;
    const tall = window.innerHeight - top - BELOW;
    const beside = Math.min(width - RIGHT - GAP, tall);
    const stacked = Math.min(width, tall);
    const besideIt = beside >= BESIDE * stacked && beside >= SMALLEST;
    const side = Math.floor(Math.max(Math.min(SMALLEST, width), besideIt ? beside : stacked));
    if (side === this.pictureSide) return;
    this.pictureSide = side;
    this.pictureCtx = sizedCanvas(this.picture, side, side);
    if (this.image) this.schedule();
  }

  stop() {
    this.resizer.disconnect();
    window.removeEventListener("resize", this.onWindow);
  }

  receive(msg) {
    if (msg.id !== this.id || !msg.spins) return;
    this.spins = decodeSpins(msg.spins);
    if (this.stroke) for (const cell of this.stroke.cells) this.spins[cell] = this.stroke.value;
    this.sweep = msg.sweep;
    this.energyChart.add(msg.sweeps, msg.energy.map((e) => [e]));
    this.overlapChart.add(msg.sweeps, msg.overlaps);
    this.energyChart.trim(msg.keep);
    this.overlapChart.trim(msg.keep);
    this.energy = msg.energy_now;
    this.overlaps = msg.overlaps_now;
    this.schedule();
  }

  showLegend() {
    this.legend.replaceChildren();
    this.names.forEach((name, s) => {
      const item = element("span", "hopfield-key");
      const swatch = element("span", "hopfield-swatch");
      swatch.style.background = SERIES[s % SERIES.length];
      item.append(swatch, document.createTextNode(name));
      this.legend.append(item);
    });
    if (this.total > this.names.length) {
      this.legend.append(element("span", "hopfield-more", `(${this.names.length} of ${this.total} shown)`));
    }
  }

  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.paint();
      this.flush();
    });
  }

  paint() {
    const { data } = this.image.image;
    for (let i = 0; i < this.spins.length; i++) {
      const [r, g, b] = this.spins[i] > 0 ? UP : DOWN;
      data.set([r, g, b, 255], 4 * i);
    }
    this.image.ctx.putImageData(this.image.image, 0, 0);
    const ctx = this.pictureCtx;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.image.canvas, 0, 0, this.pictureSide, this.pictureSide);
    const shown = this.overlaps || [];
    const best = shown.reduce((b, m, s) => (b < 0 || m > shown[b] ? s : b), -1);
    const nearest = best >= 0 ? ` \u00b7 nearest ${this.names[best]} (m = ${signed(shown[best], 2)})` : "";
    this.readout.textContent = `Sweep ${this.sweep} \u00b7 E = ${signed(this.energy ?? 0, 1)}${nearest}`;
    this.energyChart.draw();
    this.overlapChart.draw();
  }

  // -- drawing ------------------------------------------------------------------------

  cellAt(event) {
    const box = this.picture.getBoundingClientRect();
    const col = Math.floor(((event.clientX - box.left) / box.width) * this.side);
    const row = Math.floor(((event.clientY - box.top) / box.height) * this.side);
    if (col < 0 || row < 0 || col >= this.side || row >= this.side) return -1;
    return row * this.side + col;
  }

  paintAt(event) {
    const cell = this.cellAt(event);
    if (cell < 0 || !this.stroke) return;
    const radius = Math.max(0, Math.round(this.side / 24)); // about the same pen on any side
    const row0 = Math.floor(cell / this.side);
    const col0 = cell % this.side;
    for (let row = row0 - radius; row <= row0 + radius; row++) {
      for (let col = col0 - radius; col <= col0 + radius; col++) {
        if (row < 0 || col < 0 || row >= this.side || col >= this.side) continue;
        const c = row * this.side + col;
        if (this.stroke.cells.has(c)) continue;
        this.stroke.cells.add(c);
        this.unsent.push(c);
        this.spins[c] = this.stroke.value;
      }
    }
    this.schedule();
  }

  flush() {
    if (!this.unsent.length || !this.stroke) return;
    this.model.send_msg({ draw: this.unsent, value: this.stroke.value, id: this.id });
    this.unsent = [];
  }

  listen() {
    const pic = this.picture;
    pic.addEventListener("pointerdown", (event) => {
      const cell = this.cellAt(event);
      if (cell < 0) return;
      pic.setPointerCapture(event.pointerId);
      this.stroke = { value: -this.spins[cell], cells: new Set() };
      this.paintAt(event);
      event.preventDefault();
    });
    pic.addEventListener("pointermove", (event) => this.paintAt(event));
    const end = () => {
      this.flush();
      this.stroke = null;
    };
    pic.addEventListener("pointerup", end);
    pic.addEventListener("pointercancel", end);
  }
}

export function render({ model }) {
  const view = new HopfieldView(model);
  model.on("remove", () => view.stop());
  return view.el;
}
