// Drawing a frame: the output heatmap, the network diagram (links, node thumbnails,
// labels, biases) and the data points with their axes, on plain canvases.

export const NODE = 30; // node square, px (tests/reference/INVENTORY.md A4)
export const BIAS = 5;
export const THUMB = 10; // thumbnail pixels per side
export const OUT = { box: 300, pad: 20, right: 22 }; // heatmap box, its padding, y labels
const INACTIVE_ALPHA = 0.4;
// The original's flowing "9 1" dashes cost the browser as much again as the solid
// curves (rasterizing ~400 dashed links took 15 ms a frame): big networks get solid
// links, on their own canvas, redrawn every other frame (still 7 ms when drawn).
export const MAX_DASHED_LINKS = 120;

function hexToRGB(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [n >> 16, (n >> 8) & 255, n & 255];
}

// Palette index -> RGBA packed as one uint32 in the machine's byte order.
function rgbaTable(palette, alpha) {
  const table = new Uint32Array(palette.length);
  const bytes = new Uint8Array(table.buffer);
  palette.forEach((hex, i) => bytes.set([...hexToRGB(hex), alpha], 4 * i));
  return table;
}

function paintIndices(image, indices, table) {
  const pixels = new Uint32Array(image.data.buffer);
  const n = Math.min(pixels.length, indices.length);
  for (let i = 0; i < n; i++) pixels[i] = table[indices[i]];
}

// The continuous scale on [-1, 1], clamped: scene.scale's colours at -1, 0 and +1
// (playground/colors.py), and the palette's last colour for NaN.
function continuousScale(scale, nanColor) {
  const [low, mid, high] = scale.map(hexToRGB);
  return (value) => {
    if (!Number.isFinite(value)) return nanColor;
    const t = Math.max(-1, Math.min(1, value));
    const [end, f] = t >= 0 ? [high, t] : [low, -t];
    const [r, g, b] = mid.map((a, k) => Math.round(a + (end[k] - a) * f));
    return `rgb(${r},${g},${b})`;
  };
}

function linkWidth(weight) {
  return Number.isFinite(weight) ? Math.min(10, 1 + 1.8 * Math.abs(weight)) : 1;
}

// The colours of a session's scene: they never change, so they are made once.
export function colourTables(scene) {
  const { palette } = scene;
  return {
    heat: rgbaTable(palette, scene.heat_alpha),
    thumb: rgbaTable(palette, 255),
    points: palette,
    weight: continuousScale(scene.scale, palette[scene.nan_index ?? palette.length - 1]),
  };
}

// One Path2D per link: d3's diagonal, control points at the middle x.
export function linkPaths(links) {
  const { x0, y0, x1, y1 } = links;
  return x0.map((x, i) => {
    const path = new Path2D();
    const xm = (x + x1[i]) / 2;
    path.moveTo(x, y0[i]);
    path.bezierCurveTo(xm, y0[i], xm, y1[i], x1[i], y1[i]);
    return path;
  });
}

// The 100 x 100 heatmap from its palette indices.
export function paintHeatmap(ctx, image, indices, table) {
  paintIndices(image, indices, table);
  ctx.putImageData(image, 0, 0);
}

export function paintLinks(ctx, paths, frame, size, weightColor) {
  const weights = frame.weights;
  ctx.clearRect(0, 0, ...size);
  if (weights.length !== paths.length) return;
  if (weights.length <= MAX_DASHED_LINKS) {
    ctx.setLineDash([9, 1]);
    ctx.lineDashOffset = frame.dash;
  }
  paths.forEach((path, i) => {
    ctx.strokeStyle = weightColor(weights[i]);
    ctx.lineWidth = linkWidth(weights[i]);
    ctx.stroke(path);
  });
  ctx.setLineDash([]);
}

// Everything on the diagram but the links: thumbnails, outlines, labels, biases.
export function paintNodes(ctx, scene, frame, thumbs, tables, hovered) {
  const { nodes, biases } = scene;
  const n = nodes.x.length;
  ctx.clearRect(0, 0, ...scene.size);
  if (frame.thumbs.length === THUMB * THUMB * n) {
    paintIndices(thumbs.image, frame.thumbs, tables.thumb);
    thumbs.ctx.putImageData(thumbs.image, 0, 0);
    for (let i = 0; i < n; i++) {
      ctx.globalAlpha = nodes.active[i] ? 1 : INACTIVE_ALPHA;
      ctx.drawImage(thumbs.canvas, 0, THUMB * i, THUMB, THUMB, nodes.x[i], nodes.y[i], NODE, NODE);
    }
    ctx.globalAlpha = 1;
  }
  for (let i = 0; i < n; i++) {
    const isHovered = i === hovered;
    if (!nodes.active[i] && !isHovered) continue;
    ctx.strokeStyle = isHovered ? "black" : "#222";
    ctx.lineWidth = isHovered ? 2 : 1;
    ctx.strokeRect(nodes.x[i] + 0.5, nodes.y[i] + 0.5, NODE - 1, NODE - 1);
  }
  if (frame.biases.length === biases.x.length) {
    biases.x.forEach((x, i) => {
      ctx.fillStyle = tables.weight(frame.biases[i]);
      ctx.fillRect(x, biases.y[i], BIAS, BIAS);
    });
  }
}

// Points and axes change only with the data: their own canvas over the heatmap.
export function paintPoints(ctx, points, showTest, colours) {
  const size = OUT.box - 2 * OUT.pad;
  ctx.clearRect(0, 0, OUT.box + OUT.right, OUT.box);
  paintAxes(ctx, size);
  if (!points) return;
  const toPx = (v) => OUT.pad + ((v + 6) / 12) * size;
  const sets = [[points.train, "white", 1]];
  if (showTest) sets.push([points.test, "black", 0.6]);
  for (const [set, stroke, strokeAlpha] of sets) {
    for (let i = 0; i < set.x.length; i++) {
      ctx.beginPath();
      ctx.arc(toPx(set.x[i]), toPx(-set.y[i]), 3, 0, 2 * Math.PI);
      ctx.fillStyle = colours[set.c[i]];
      ctx.fill();
      ctx.globalAlpha = strokeAlpha;
      ctx.strokeStyle = stroke;
      ctx.lineWidth = 1;
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
  }
}

// x at the bottom, y on the right, ticks -6..6; the 0 tick darker
// (tests/reference/INVENTORY.md A4). Their numbers are page elements (sizing.js),
// sized for the screen.
function paintAxes(ctx, size) {
  ctx.lineWidth = 1;
  const end = OUT.pad + size;
  for (let v = -6; v <= 6; v++) {
    const at = Math.round(OUT.pad + ((v + 6) / 12) * size) + 0.5;
    ctx.strokeStyle = v === 0 ? "#000" : "#888";
    ctx.beginPath();
    ctx.moveTo(at, end);
    ctx.lineTo(at, end + 4);
    ctx.moveTo(end, OUT.box - at);
    ctx.lineTo(end + 4, OUT.box - at);
    ctx.stroke();
  }
}
