// The optimizer race's loss chart: every racer's loss against the step, drawn up to the
// step being shown, on axes fixed for the whole race.

import { sizedCanvas } from "./dom.js";

const CHART = { width: 300, height: 150, left: 34, bottom: 16 };
const FLOOR = 1e-8; // a log scale's bottom: losses below it are drawn on it

export class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    canvas.setAttribute("role", "img");
    this.ctx = sizedCanvas(canvas, CHART.width, CHART.height);
    this.racers = [];
    this.note = "";
  }

  // Losses that are never negative are drawn on a log scale; otherwise (the saddle) on
  // a signed one, sign(f)·log10(1 + |f|), which keeps small and huge values in view.
  setRacers(racers) {
    this.racers = racers;
    let low = Infinity;
    for (const racer of racers) for (const v of racer.loss) low = Math.min(low, v);
    this.logScale = low >= 0;
    const scale = this.logScale
      ? (v) => Math.log10(Math.max(v, FLOOR))
      : (v) => Math.sign(v) * Math.log10(1 + Math.abs(v));
    this.values = racers.map((racer) => Float64Array.from(racer.loss, scale));
    // A diverging racer's loss would flatten every other curve: the axes fit the racers
    // that stayed finite (and every start), and the chart cuts off what leaves them.
    const settled = racers.map((racer) => racer.divergedAt === null);
    const fitted = settled.some(Boolean) ? settled : settled.map(() => true);
    this.low = Infinity;
    this.high = -Infinity;
    this.values.forEach((values, r) => {
      const counted = fitted[r] ? values : values.subarray(0, 1);
      for (const v of counted) {
        this.low = Math.min(this.low, v);
        this.high = Math.max(this.high, v);
      }
    });
    if (!Number.isFinite(this.low)) {
      this.low = 0; // no racer: empty axes
      this.high = 1;
    }
    if (!(this.high > this.low)) {
      this.low -= 1;
      this.high += 1;
    }
    this.steps = Math.max(1, ...racers.map((racer) => racer.count - 1));
    this.note = this.logScale
      ? "log10 of the loss against the step"
      : "sign(f)·log10(1 + |f|) against the step: this loss has no floor";
  }

  draw(tau) {
    const { ctx } = this;
    const width = CHART.width - CHART.left;
    const height = CHART.height - CHART.bottom;
    ctx.clearRect(0, 0, CHART.width, CHART.height);
    ctx.fillStyle = "#fff";
    ctx.fillRect(CHART.left, 0, width, height);
    ctx.fillStyle = "#555";
    ctx.font = "10px Helvetica, Arial, sans-serif";
    ctx.textAlign = "right";
    ctx.fillText(this.high.toFixed(1), CHART.left - 3, 9);
    ctx.fillText(this.low.toFixed(1), CHART.left - 3, height);
    ctx.textAlign = "left";
    ctx.fillText("0", CHART.left, CHART.height - 3);
    ctx.textAlign = "right";
    ctx.fillText(String(this.steps), CHART.width - 1, CHART.height - 3);
    // Until a step is taken the chart has nothing to draw: it says what to do.
    const waiting = this.racers.length === 0 || tau < 1;
    this.canvas.dataset.state = waiting ? "waiting" : "drawing";
    const words = this.racers.length === 0 ? "No racer chosen" : "Press \u25b6 or +1 to race";
    this.canvas.setAttribute("aria-label", waiting ? `Loss chart: ${words}` : "Loss chart");
    if (waiting) {
      ctx.fillStyle = "#777";
      ctx.textAlign = "center";
      ctx.font = "13px Helvetica, Arial, sans-serif";
      ctx.fillText(words, CHART.left + width / 2, height / 2);
    }
    if (this.racers.length === 0) return;
    const x = (i) => CHART.left + (i / this.steps) * width;
    const y = (v) => ((this.high - v) / (this.high - this.low)) * (height - 4) + 2;
    // Long races: about two points per pixel is all the chart can show.
    const stride = Math.max(1, Math.floor(this.steps / (2 * width)));
    ctx.save();
    ctx.beginPath();
    ctx.rect(CHART.left, 0, width, height);
    ctx.clip();
    ctx.setLineDash([]);
    ctx.lineWidth = 1.5;
    this.racers.forEach((racer, r) => {
      const values = this.values[r];
      const end = Math.min(Math.floor(tau), racer.count - 1);
      ctx.strokeStyle = racer.color;
      ctx.beginPath();
      ctx.moveTo(x(0), y(values[0]));
      for (let i = stride; i < end; i += stride) ctx.lineTo(x(i), y(values[i]));
      ctx.lineTo(x(end), y(values[end]));
      ctx.stroke();
    });
    ctx.strokeStyle = "#999";
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x(Math.min(tau, this.steps)), 0);
    ctx.lineTo(x(Math.min(tau, this.steps)), height);
    ctx.stroke();
    ctx.restore();
  }
}
