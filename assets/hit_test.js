// What is under the mouse on the network diagram: a node, a bias square or a link.
// (The +/- buttons are plain <button> elements with their own click handlers.)

import { BIAS, NODE } from "./paint.js";

const LINK_HIT_WIDTH = 8; // the original's invisible hover path
const BIAS_MARGIN = 2; // px around a bias square that still count as on it

// ["node" | "bias" | "link", index] or null, at (x, y) in the diagram's CSS pixels.
// linkCtx: the link canvas's context, whose stroke test finds links (its line width
// is left at LINK_HIT_WIDTH: every paint sets its own).
export function hitAt(scene, linkCtx, paths, x, y) {
  const { nodes, biases } = scene;
  for (let i = 0; i < nodes.x.length; i++) {
    if (x >= nodes.x[i] && x <= nodes.x[i] + NODE && y >= nodes.y[i] && y <= nodes.y[i] + NODE) {
      return ["node", i];
    }
  }
  for (let i = 0; i < biases.x.length; i++) {
    const dx = x - biases.x[i];
    const dy = y - biases.y[i];
    const near = (d) => d >= -BIAS_MARGIN && d <= BIAS + BIAS_MARGIN;
    if (near(dx) && near(dy)) return ["bias", i];
  }
  const ratio = window.devicePixelRatio || 1;
  linkCtx.lineWidth = LINK_HIT_WIDTH;
  for (let i = paths.length - 1; i >= 0; i--) {
    if (linkCtx.isPointInStroke(paths[i], x * ratio, y * ratio)) return ["link", i];
  }
  return null;
}

// Whether clicking the hit does something (inputs toggle; hidden neurons only preview).
export function clickable(hit, scene) {
  return Boolean(hit) && (hit[0] !== "node" || hit[1] < scene.n_inputs);
}

// A weight or bias as the tooltip and the screen reader say it: two significant digits.
export function formatValue(value) {
  return Number.isFinite(value) ? String(Number(value.toPrecision(2))) : String(value);
}

// The tooltip over a link or a bias; null over a node or nothing.
export function tooltipText(hit, frame) {
  if (!hit || hit[0] === "node" || !frame) return null;
  const [kind, i] = hit;
  const value = kind === "link" ? frame.weights[i] : frame.biases[i];
  return `${kind === "link" ? "Weight" : "Bias"} is ${formatValue(value)}. Click to edit.`;
}
