// The loss chart: training (grey) and test (black) loss against the epoch.

import { sizedCanvas } from "./dom.js";

const CHART = { width: 150, height: 55 };

export class LossChart {
  constructor(canvas) {
    this.ctx = sizedCanvas(canvas, CHART.width, CHART.height);
    this.clear();
  }

  clear() {
    this.epoch = [];
    this.series = { train: [], test: [] };
    this.low = Infinity;
    this.high = -Infinity;
  }

  add(chunk) {
    if (chunk.reset) this.clear();
    for (let i = 0; i < chunk.epoch.length; i++) {
      this.epoch.push(chunk.epoch[i]);
      for (const name of ["train", "test"]) {
        const v = chunk[name][i];
        this.series[name].push(v);
        if (Number.isFinite(v)) {
          this.low = Math.min(this.low, v);
          this.high = Math.max(this.high, v);
        }
      }
    }
  }

  // Both curves over [first epoch, last epoch] x [min, max] of every finite loss.
  draw() {
    const { ctx, epoch } = this;
    ctx.clearRect(0, 0, CHART.width, CHART.height);
    const n = epoch.length;
    if (n === 0 || !Number.isFinite(this.low)) return;
    const x0 = epoch[0];
    const span = Math.max(epoch[n - 1], x0 + 1) - x0;
    const pad = 0.05 * (this.high - this.low) || 0.01;
    const low = this.low - pad;
    const scaleY = (CHART.height - 4) / (this.high + pad - low);
    const scaleX = (CHART.width - 4) / span;
    // Long runs: a point per half pixel is all a 150 px chart can show.
    const stride = Math.max(1, Math.floor(n / (2 * CHART.width)));
    ctx.lineWidth = 1.5;
    for (const [name, color] of [["train", "#777"], ["test", "black"]]) {
      const values = this.series[name];
      ctx.strokeStyle = color;
      ctx.beginPath();
      let drawing = false;
      for (let i = 0; i < n; i += stride) {
        const i_ = Math.min(i, n - 1);
        const v = values[i_];
        if (!Number.isFinite(v)) {
          drawing = false;
          continue;
        }
        const x = 2 + (epoch[i_] - x0) * scaleX;
        const y = CHART.height - 2 - (v - low) * scaleY;
        if (drawing) ctx.lineTo(x, y);
        else ctx.moveTo(x, y);
        drawing = true;
      }
      ctx.stroke();
    }
  }
}
