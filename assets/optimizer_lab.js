// The optimizer race: the surface, every racer's path and arrows, and the loss chart,
// played back in the browser from paths the server computed once (playground/labs/optimizers/view.py).
// Nothing here talks to the server while it plays; a click on the picture sends the new
// start, which brings new paths.

import { element, sizedCanvas } from "./dom.js";
import { arrowScale, drawArrow, drawGone, drawMarker, drawStar } from "./optimizer_marks.js";
import { LossChart } from "./optimizer_chart.js";

const PLOT = 440; // the surface picture's own coordinates per side; drawn at any size
const RIGHT = 300; // px: the column of the formula, legend and loss chart (optimizer_lab.css)
const GAP = 16; // px between the picture and that column
const BAR = 52; // px under the picture: the play bar, which stays in the first screen
const SMALLEST = 240; // px: a smaller screen scrolls to the picture instead
const BESIDE = 0.85; // the column goes beside the picture unless that costs it more
const STEPS_PER_SECOND = 30; // at 1x
const FAR = 1e4; // pixels: points further out are drawn at this distance
// Pale blue-grey from low to high, so that the racers' colours stand out on it.
const STOPS = [
  [0, [253, 253, 253]],
  [0.45, [205, 218, 231]],
  [1, [112, 132, 156]],
];
const BANDS = 14; // contour lines where the level crosses a band's edge

function decode(text, Type) {
  if (!text) return null;
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return new Type(bytes.buffer);
}

function colorAt(level) {
  for (let k = 1; k < STOPS.length; k++) {
    const [top, high] = STOPS[k];
    const [bottom, low] = STOPS[k - 1];
    if (level <= top) {
      const t = (level - bottom) / (top - bottom);
      return low.map((c, i) => c + t * (high[i] - c));
    }
  }
  return STOPS[STOPS.length - 1][1];
}

// The surface's picture at its grid's size, with contour lines, on a canvas of its own.
function surfacePicture(surface) {
  const n = surface.grid;
  const levels = decode(surface.levels, Uint8Array);
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = n;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(n, n);
  const band = (i) => Math.floor((levels[i] / 256) * BANDS);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const i = row * n + col;
      let [r, g, b] = colorAt(levels[i] / 255);
      const edge =
        (col + 1 < n && band(i + 1) !== band(i)) || (row + 1 < n && band(i + n) !== band(i));
      const shade = edge ? 0.82 : 1;
      image.data.set([r * shade, g * shade, b * shade, 255], 4 * i);
    }
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

class Racer {
  constructor(record, toPixel) {
    Object.assign(this, record);
    this.points = decode(record.points, Float32Array);
    this.loss = decode(record.loss, Float64Array);
    this.grad = decode(record.grad, Float32Array);
    this.step = decode(record.step, Float32Array);
    this.momentum = decode(record.momentum, Float32Array);
    this.squares = decode(record.squares, Float32Array);
    this.pixels = new Float32Array(this.points.length);
    for (let i = 0; i < this.count; i++) {
      const [px, py] = toPixel(this.points[2 * i], this.points[2 * i + 1]);
      this.pixels[2 * i] = Math.max(-FAR, Math.min(FAR, px));
      this.pixels[2 * i + 1] = Math.max(-FAR, Math.min(FAR, py));
    }
    // Points at least half a pixel from the last kept one: a long path's line costs
    // what the picture can show, not what the path holds.
    const kept = [0];
    for (let i = 1; i < this.count; i++) {
      const j = kept[kept.length - 1];
      const dx = this.pixels[2 * i] - this.pixels[2 * j];
      const dy = this.pixels[2 * i + 1] - this.pixels[2 * j + 1];
      if (dx * dx + dy * dy >= 0.25) kept.push(i);
    }
    this.kept = Int32Array.from(kept);
  }

  // Position (pixels) at fractional step tau: between two points, or the last one.
  at(tau) {
    const last = this.count - 1;
    const i = Math.min(Math.floor(tau), last);
    const t = i < last ? tau - i : 0;
    const x = this.pixels[2 * i] + t * ((this.pixels[2 * i + 2] ?? 0) - this.pixels[2 * i]);
    const y = this.pixels[2 * i + 1] + t * ((this.pixels[2 * i + 3] ?? 0) - this.pixels[2 * i + 1]);
    return [x, y, i];
  }

  finished(tau) {
    return tau >= this.count - 1;
  }
}

class Race {
  constructor(model) {
    this.model = model;
    this.tau = 0;
    this.playing = false;
    this.frame = 0;
    this.racers = [];
    this.el = element("div", "race");
    const left = element("div", "race-left");
    this.canvas = element("canvas", "surface-canvas");
    this.side = PLOT;
    this.ctx = sizedCanvas(this.canvas, PLOT, PLOT);
    this.canvas.addEventListener("click", (event) => this.clicked(event));
    const bar = element("div", "race-bar");
    this.playButton = element("button", "play", "▶");
    this.playButton.title = "Play or pause";
    this.playButton.setAttribute("aria-label", "Play");
    this.playButton.addEventListener("click", () => (this.playing ? this.pause() : this.play()));
    const stepButton = element("button", "step", "+1");
    stepButton.title = "One step";
    stepButton.setAttribute("aria-label", "One step");
    stepButton.addEventListener("click", () => this.stepBy(1));
    const restartButton = element("button", "restart", "⟲");
    restartButton.title = "Back to the start";
    restartButton.setAttribute("aria-label", "Back to the start");
    restartButton.addEventListener("click", () => this.restart());
    this.counter = element("span", "counter");
    bar.append(this.playButton, stepButton, restartButton, this.counter);
    left.append(this.canvas, bar, element("p", "hint", "Click the picture to start from there."));
    const right = element("div", "race-right");
    this.right = right;
    this.formula = element("p", "formula");
    this.legend = element("div", "legend");
    const chartCanvas = element("canvas", "loss-chart");
    this.chart = new LossChart(chartCanvas);
    this.chartNote = element("p", "hint");
    this.key = element("p", "key");
    right.append(this.formula, this.legend, element("h4", "", "Loss"), chartCanvas, this.chartNote, this.key);
    this.el.append(left, right);
    this.setSurface();
    this.setRacers();
    this.resizer = new ResizeObserver(() => this.fit());
    this.resizer.observe(this.el);
    this.onWindow = () => this.fit();
    window.addEventListener("resize", this.onWindow);
  }

  // The picture as large as the component's width and the first screen's height allow,
  // with the play bar under it still on that screen; the formula, legend and chart
  // beside it where that costs the picture little, under it otherwise (a phone, a
  // projector at 150 %).
  fit() {
    const width = this.el.clientWidth;
    if (!width) return;
    const top = this.canvas.getBoundingClientRect().top + window.scrollY;
    const tall = window.innerHeight - top - BAR;
    const beside = Math.min(width - RIGHT - GAP, tall);
    const stacked = Math.min(width, tall);
    const besideIt = beside >= BESIDE * stacked && beside >= SMALLEST;
    const side = Math.floor(Math.max(Math.min(SMALLEST, width), besideIt ? beside : stacked));
    if (side === this.side) return;
    this.side = side;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = this.canvas.height = Math.round(side * ratio);
    this.canvas.style.width = this.canvas.style.height = `${side}px`;
    // Drawn in the picture's own coordinates, enlarged by the transform.
    const zoom = (side / PLOT) * ratio;
    this.ctx.setTransform(zoom, 0, 0, zoom, 0, 0);
    this.setSurface();
    this.paint();
  }

  // -- data ------------------------------------------------------------------------------

  toPixel = (x, y) => {
    const [x0, x1, y0, y1] = this.window;
    return [((x - x0) / (x1 - x0)) * PLOT, ((y1 - y) / (y1 - y0)) * PLOT];
  };

  setSurface() {
    const surface = this.model.surface;
    if (!surface || !surface.levels) return;
    this.window = surface.window;
    this.surface = surface;
    const picture = surfacePicture(surface);
    this.background = document.createElement("canvas");
    const ratio = window.devicePixelRatio || 1;
    this.background.width = this.background.height = Math.round(this.side * ratio);
    const bg = this.background.getContext("2d");
    bg.imageSmoothingEnabled = true;
    bg.drawImage(picture, 0, 0, this.background.width, this.background.height);
    this.formula.textContent = `f(x, y) = ${surface.formula}`;
  }

  setRacers() {
    if (!this.window) return;
    this.racers = (this.model.racers || []).map((record) => new Racer(record, this.toPixel));
    this.last = Math.max(0, ...this.racers.map((r) => r.count - 1));
    this.steps = Math.max(0, ...this.racers.map((r) => r.steps));
    this.scales = {
      gradient: arrowScale(this.racers, "grad", this.window, PLOT, 40),
      momentum: arrowScale(this.racers, "momentum", this.window, PLOT, 40),
      step: arrowScale(this.racers, "step", this.window, PLOT, 40),
      squares: arrowScale(this.racers, "squares", this.window, PLOT, 14),
    };
    this.chart.setRacers(this.racers);
    this.chartNote.textContent = this.chart.note;
    this.fillLegend();
    this.tau = 0;
    this.paint();
  }

  fillLegend() {
    this.legend.replaceChildren();
    for (const racer of this.racers) {
      const row = element("div", "legend-row");
      const swatch = element("canvas", "swatch");
      drawMarker(sizedCanvas(swatch, 16, 16), racer.mark, racer.color, 8, 8);
      const status =
        racer.divergedAt === null ? "" : `diverged at step ${racer.divergedAt}: its path stops there`;
      row.append(
        swatch,
        element("b", "", racer.label),
        element("span", "settings", racer.settings),
        element("span", "status", status),
      );
      this.legend.append(row);
    }
    if (this.racers.length === 0) this.legend.append(element("p", "hint", "No racer chosen."));
    this.key.textContent =
      "Arrows from each racer: grey, downhill (−gradient); dashed, the momentum it carries; " +
      "thick, the step it takes. Boxes: √Σg² per coordinate.";
  }

  // -- playback --------------------------------------------------------------------------

  play() {
    if (this.tau >= this.last) this.tau = 0;
    this.playing = true;
    this.playButton.textContent = "❚❚";
    this.playButton.setAttribute("aria-label", "Pause");
    this.previous = null;
    this.frame = requestAnimationFrame((t) => this.tick(t));
  }

  pause() {
    this.playing = false;
    this.playButton.textContent = "▶";
    this.playButton.setAttribute("aria-label", "Play");
    cancelAnimationFrame(this.frame);
  }

  stepBy(steps) {
    this.pause();
    this.tau = Math.min(Math.floor(this.tau) + steps, this.last);
    this.paint();
  }

  // Playback asked for from Python (a notebook's OptimizerLab.play() and the like).
  command(message) {
    const { playback, steps } = message ?? {};
    if (playback === "play") this.play();
    else if (playback === "pause") this.pause();
    else if (playback === "restart") this.restart();
    else if (playback === "step" && Number.isInteger(steps) && steps > 0) this.stepBy(steps);
  }

  restart() {
    this.tau = 0;
    this.previous = null;
    this.paint();
  }

  tick(time) {
    if (!this.playing) return;
    if (this.previous !== null) {
      const speed = this.model.speed || 1;
      this.tau += ((time - this.previous) / 1000) * STEPS_PER_SECOND * speed;
    }
    this.previous = time;
    if (this.tau >= this.last) {
      this.tau = this.last;
      this.paint();
      this.pause();
      return;
    }
    this.paint();
    this.frame = requestAnimationFrame((t) => this.tick(t));
  }

  stop() {
    this.pause();
    this.resizer.disconnect();
    window.removeEventListener("resize", this.onWindow);
  }

  clicked(event) {
    if (!this.window) return;
    const box = this.canvas.getBoundingClientRect();
    const [x0, x1, y0, y1] = this.window;
    const x = x0 + ((event.clientX - box.left) / box.width) * (x1 - x0);
    const y = y1 - ((event.clientY - box.top) / box.height) * (y1 - y0);
    this.pause();
    this.model.send_msg({ start: [x, y] });
  }

  // -- drawing ---------------------------------------------------------------------------

  paint() {
    const { ctx, model } = this;
    if (!this.background) return;
    ctx.drawImage(this.background, 0, 0, PLOT, PLOT);
    for (const point of this.surface.minima) drawStar(ctx, ...this.toPixel(...point), "min");
    for (const point of this.surface.saddles) drawStar(ctx, ...this.toPixel(...point), "saddle");
    const tau = this.tau;
    if (model.showPath) for (const racer of this.racers) this.drawPath(racer, tau);
    for (const racer of this.racers) this.drawOverlays(racer, tau);
    for (const racer of this.racers) {
      const [x, y] = racer.at(tau);
      drawMarker(ctx, racer.mark, racer.color, x, y);
      if (racer.divergedAt !== null && racer.finished(tau)) drawGone(ctx, racer.color, x, y);
    }
    this.chart.draw(tau);
    const shown = Math.min(Math.floor(tau), this.last);
    this.counter.textContent = `step ${shown} of ${this.steps}`;
    window.__optimizerLabPainted = (window.__optimizerLabPainted || 0) + 1;
  }

  drawPath(racer, tau) {
    const { ctx } = this;
    const [x, y, i] = racer.at(tau);
    ctx.strokeStyle = racer.color;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.moveTo(racer.pixels[0], racer.pixels[1]);
    for (const k of racer.kept) {
      if (k > i) break;
      ctx.lineTo(racer.pixels[2 * k], racer.pixels[2 * k + 1]);
    }
    ctx.lineTo(x, y);
    ctx.stroke();
  }

  drawOverlays(racer, tau) {
    const { ctx, model, scales } = this;
    const [x, y, i] = racer.at(tau);
    const last = racer.count - 1;
    const direction = (values, k, sign) => [sign * values[2 * k], sign * values[2 * k + 1]];
    if (model.showSquares && racer.squares && i < last) {
      const [sx, sy] = scales.squares.pixels(racer.squares[2 * i], racer.squares[2 * i + 1]);
      const w = Math.min(Math.abs(sx), 60);
      const h = Math.min(Math.abs(sy), 60);
      ctx.globalAlpha = 0.15;
      ctx.fillStyle = racer.color;
      ctx.fillRect(x - w, y - h, 2 * w, 2 * h);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = racer.color;
      ctx.lineWidth = 1;
      ctx.strokeRect(x - w, y - h, 2 * w, 2 * h);
    }
    if (model.showGradient && racer.grad) {
      drawArrow(ctx, x, y, scales.gradient.pixels(...direction(racer.grad, i, -1)), "#333", 1.5, []);
    }
    if (model.showMomentum && racer.momentum && i > 0 && i <= last) {
      // The momentum carried into the coming step: the state after the previous one.
      const carried = direction(racer.momentum, i - 1, -1);
      drawArrow(ctx, x, y, scales.momentum.pixels(...carried), racer.color, 2, [5, 3]);
    }
    if (model.showStep && i < last) {
      drawArrow(ctx, x, y, scales.step.pixels(...direction(racer.step, i, 1)), racer.color, 3, []);
    }
  }
}

export function render({ model, view }) {
  const race = new Race(model);
  model.on("surface", () => {
    race.setSurface();
    race.setRacers();
  });
  model.on("racers", () => race.setRacers());
  model.on("msg:custom", (message) => race.command(message));
  for (const name of ["showPath", "showGradient", "showMomentum", "showStep", "showSquares"]) {
    model.on(name, () => race.paint());
  }
  model.on("remove", () => race.stop());
  return race.el;
}
