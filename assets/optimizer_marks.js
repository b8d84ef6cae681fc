// Marks of the optimizer race: racers' markers, arrows, and the surface's minima.

function polygon(ctx, x, y, radius, corners, turn) {
  ctx.beginPath();
  if (corners === 0) {
    ctx.arc(x, y, radius * 0.85, 0, 2 * Math.PI);
    return;
  }
  for (let k = 0; k < corners; k++) {
    const angle = turn + (2 * Math.PI * k) / corners;
    const px = x + radius * Math.cos(angle);
    const py = y + radius * Math.sin(angle);
    if (k === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.closePath();
}

// A racer's marker: its own shape, mark = [corners, turn] (0 corners: a circle), so that a
// reader who cannot tell two colours apart still can tell the racers. Python gives each
// racer its mark and colour (playground/labs/optimizers/racers.py).
export function drawMarker(ctx, mark, color, x, y, radius = 6.5) {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  ctx.setLineDash([]);
  const [corners, turn] = mark || [0, 0];
  polygon(ctx, x, y, radius, corners, turn);
  ctx.fillStyle = color;
  ctx.fill();
  ctx.strokeStyle = "#fff";
  ctx.lineWidth = 1.5;
  ctx.stroke();
}

// A diverged racer's last finite point: a cross over its marker.
export function drawGone(ctx, color, x, y, radius = 6.5) {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  ctx.setLineDash([]);
  ctx.strokeStyle = "#fff";
  ctx.lineWidth = 4;
  for (const pass of [0, 1]) {
    ctx.beginPath();
    ctx.moveTo(x - radius, y - radius);
    ctx.lineTo(x + radius, y + radius);
    ctx.moveTo(x + radius, y - radius);
    ctx.lineTo(x - radius, y + radius);
    ctx.stroke();
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    if (pass) break;
  }
}

// A minimum: a white star outlined in dark grey; a saddle point: a ringed plus.
export function drawStar(ctx, x, y, kind) {
  ctx.setLineDash([]);
  ctx.strokeStyle = "#222";
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  if (kind === "saddle") {
    ctx.arc(x, y, 6, 0, 2 * Math.PI);
    ctx.moveTo(x - 6, y);
    ctx.lineTo(x + 6, y);
    ctx.moveTo(x, y - 6);
    ctx.lineTo(x, y + 6);
    ctx.stroke();
    return;
  }
  for (let k = 0; k < 10; k++) {
    const r = k % 2 ? 3.5 : 8;
    const angle = -Math.PI / 2 + (Math.PI * k) / 5;
    const px = x + r * Math.cos(angle);
    const py = y + r * Math.sin(angle);
    if (k === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.closePath();
  ctx.fillStyle = "#fff";
  ctx.fill();
  ctx.stroke();
}

// How one kind of arrow is sized: the median length over every racer's path becomes
// `target` pixels, so that arrows of one kind compare across racers and steps; none is
// longer than three times that.
export function arrowScale(racers, field, window, plot, target) {
  const [x0, x1, y0, y1] = window;
  const sx = plot / (x1 - x0);
  const sy = plot / (y1 - y0);
  const lengths = [];
  for (const racer of racers) {
    const values = racer[field];
    if (!values) continue;
    for (let i = 0; i + 1 < values.length; i += 2) {
      const length = Math.hypot(values[i] * sx, values[i + 1] * sy);
      if (Number.isFinite(length) && length > 0) lengths.push(length);
    }
  }
  lengths.sort((a, b) => a - b);
  const median = lengths.length ? lengths[Math.floor(lengths.length / 2)] : 1;
  const factor = target / median;
  const longest = 3 * target;
  return {
    pixels(dx, dy) {
      let px = dx * sx * factor;
      let py = -dy * sy * factor;
      const length = Math.hypot(px, py);
      if (!Number.isFinite(length)) return null;
      if (length > longest) {
        px *= longest / length;
        py *= longest / length;
      }
      return [px, py];
    },
  };
}

export function drawArrow(ctx, x, y, vector, color, width, dash) {
  if (!vector) return;
  const [dx, dy] = vector;
  const length = Math.hypot(dx, dy);
  if (length < 1) return;
  const head = Math.min(8, 0.45 * length);
  const ux = dx / length;
  const uy = dy / length;
  const tipX = x + dx;
  const tipY = y + dy;
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(tipX - ux * head * 0.8, tipY - uy * head * 0.8);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.moveTo(tipX, tipY);
  ctx.lineTo(tipX - ux * head - uy * head * 0.5, tipY - uy * head + ux * head * 0.5);
  ctx.lineTo(tipX - ux * head + uy * head * 0.5, tipY - uy * head - ux * head * 0.5);
  ctx.closePath();
  ctx.fill();
}
