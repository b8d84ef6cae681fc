// A finger on the diagram. On a phone the diagram is drawn small (its nodes about 20 px),
// smaller than a finger: a tap counts for the node whose centre is nearest, within a
// finger's square around it (44 by 44 px on the screen). Where a finger points (a coarse
// pointer) and the rows are drawn closer than a finger, the rows are spread apart
// (stretchRows), so that every node has a finger's square of its own inside the diagram;
// a node's square takes a tap before the links that cross it. The +/- buttons own a
// finger's square each (sizing.js sizeButtons). A tapped neuron's picture shows in the
// output plot, which on a phone is a screen or more above the diagram: while the plot is
// out of sight, a copy of it ("peek") shows at the top of the screen, where the student
// is looking; the peek lets taps through, as it may cover part of the diagram. A bias
// square, at the node's corner, is far smaller than a finger and inside the node's
// square: a tapped neuron's bias shows in a bar at the foot of the screen, with a button
// that opens its editor. Methods of the live view (live_view.js).

import { element, sizedCanvas } from "./dom.js";
import { formatValue } from "./hit_test.js";
import { BIAS, NODE } from "./paint.js";

export const FINGER = 44; // CSS px on the screen: the least target a finger should have
const PEEK = 150; // CSS px: the copy's side

// The scene spread for a finger (rowSpread): its rows ``stretch`` times as far apart,
// ``margin`` more room above the first row and below the last, each column after the
// first ``wider[k]`` further from the one before, and ``right`` more room after the
// last. Nodes, their links' ends, their bias squares and the layers' +/- buttons move
// with them; the squares keep their size.
export function stretchRows(scene, [stretch, margin, wider, right]) {
  if (stretch === 1 && !margin && !wider.some(Boolean) && !right) return scene;
  const { nodes, links, biases, size, header, layers } = scene;
  const top = Math.min(...nodes.y); // the margin above the first row, as sent
  const columns = [...new Set(nodes.x)].sort((a, b) => a - b);
  let sum = 0;
  const columnShift = new Map(columns.map((x, k) => [x, (sum += k ? wider[k - 1] : 0)]));
  const down = nodes.y.map((y) => margin + (y - top) * (stretch - 1));
  const across = nodes.x.map((x) => columnShift.get(x));
  const moved = (values, by, of) => values.map((v, i) => v + by[of[i]]);
  const rows = (size[1] - 2 * top - NODE - BIAS) / scene.row; // row pitches, top to bottom
  const layerShift = (centre) => columnShift.get(centre - NODE / 2) ?? 0;
  const hidden = layers.map((layer) => layerShift(layer.centre));
  return {
    ...scene,
    size: [size[0] + sum + right, size[1] + 2 * margin + rows * scene.row * (stretch - 1)],
    nodes: { ...nodes, x: nodes.x.map((v, i) => v + across[i]), y: nodes.y.map((v, i) => v + down[i]) },
    links: {
      ...links,
      x0: moved(links.x0, across, links.from),
      y0: moved(links.y0, down, links.from),
      x1: moved(links.x1, across, links.to),
      y1: moved(links.y1, down, links.to),
    },
    biases: { ...biases, x: moved(biases.x, across, biases.node), y: moved(biases.y, down, biases.node) },
    header: { ...header, centre: header.centre + ((hidden[0] ?? 0) + sum) / 2 },
    layers: layers.map((layer, k) => ({ ...layer, centre: layer.centre + hidden[k] })),
  };
}

// [stretch, margin, wider, right] (stretchRows) for a scene drawn at ``scale``: on a
// touch screen, rows and columns a finger apart, and a finger's half-square around
// every node inside the diagram; elsewhere, as sent.
export function rowSpread(scene, scale) {
  const { x, y } = scene.nodes;
  const columns = [...new Set(x)].sort((a, b) => a - b);
  if (!scene.row || !matchMedia("(pointer: coarse)").matches) {
    return [1, 0, columns.slice(1).map(() => 0), 0];
  }
  const half = FINGER / 2 / scale; // diagram pixels
  const up = (value) => Math.max(0, Math.ceil(value));
  return [
    Math.max(1, Math.ceil((1000 * 2 * half) / scene.row) / 1000),
    up(half - NODE / 2 - Math.min(...y)),
    columns.slice(1).map((left, k) => up(2 * half - (left - columns[k]))),
    up(half - (scene.size[0] - columns.at(-1) - NODE / 2)),
  ];
}

export const touchMethods = {
  // The peek, and the bar for a tapped neuron's bias (the keyboard has the diagram's keys
  // for both: keys.js).
  buildTouch() {
    this.peek = element("div", "peek");
    this.peek.setAttribute("aria-hidden", "true"); // the diagram's keys name the node
    this.peekCanvas = element("canvas", "peek-picture");
    this.peekCtx = sizedCanvas(this.peekCanvas, PEEK, PEEK);
    this.peekCaption = element("div", "peek-caption");
    this.peek.append(this.peekCanvas, this.peekCaption);
    this.biasBar = element("div", "bias-bar");
    this.biasText = element("div", "bias-text");
    this.biasEdit = element("button", "bias-edit", "Edit bias");
    this.biasEdit.addEventListener("click", () => this.editBias());
    this.biasBar.append(this.biasText, this.biasEdit);
    this.el.append(this.peek, this.biasBar);
    this.tappedBias = -1;
  },

  // The node within a finger's square of (x, y), the diagram's own pixels: the nearest.
  nodeNear(x, y) {
    const { nodes } = this.scene;
    const reach = Math.max(NODE, FINGER / this.scales.net) / 2;
    let best = -1;
    let bestDistance = Infinity;
    for (let i = 0; i < nodes.x.length; i++) {
      const dx = Math.abs(x - (nodes.x[i] + NODE / 2));
      const dy = Math.abs(y - (nodes.y[i] + NODE / 2));
      if (dx <= reach && dy <= reach && Math.hypot(dx, dy) < bestDistance) {
        best = i;
        bestDistance = Math.hypot(dx, dy);
      }
    }
    return best;
  },

  // What a finger pressed: a node or bias square under it, else the nearest node within
  // its reach, else a link under it.
  touchHit(event) {
    const hit = this.hitUnder(event);
    if (!this.scene || (hit && hit[0] !== "link")) return hit;
    const node = this.nodeNear(...this.local(event));
    return node >= 0 ? ["node", node] : hit;
  },

  nodeTouched(event) {
    const hit = this.touchHit(event);
    return hit && hit[0] === "node" ? hit[1] : -1;
  },

  // Shows a tapped node's picture, a copy at the top of the screen while the plot is out
  // of sight, and its bias at the foot of the screen (-1: none of them).
  tapped(node) {
    this.preview(node);
    const box = this.plotFit.getBoundingClientRect();
    const inSight = Math.min(box.bottom, innerHeight) - Math.max(box.top, 0);
    this.peeking = node >= 0 && inSight < box.height / 2;
    this.peek.classList.toggle("shown", this.peeking);
    if (this.peeking) this.peekCaption.textContent = this.scene.nodes.name[node] ?? "";
    // Biases are indexed in the scene as sent: a new one ends the bar (drawTapped).
    this.tappedBias = node >= 0 ? this.sentScene.biases.node.indexOf(node) : -1;
    this.biasScene = this.sentScene;
    this.biasBar.classList.toggle("shown", this.tappedBias >= 0);
    if (this.tappedBias >= 0) {
      this.biasEdit.setAttribute("aria-label", `Edit the bias of ${this.scene.nodes.name[node]}`);
    }
    this.drawTapped();
  },

  // The peek's picture and the bias's value, with each frame.
  drawTapped() {
    if (this.peeking) {
      this.peekCtx.imageSmoothingEnabled = true;
      this.peekCtx.drawImage(this.heatCanvas, 0, 0, PEEK, PEEK);
    }
    if (this.tappedBias < 0) return;
    if (this.biasScene !== this.sentScene) {
      this.tappedBias = -1;
      this.biasBar.classList.remove("shown");
      return;
    }
    const { biases, nodes } = this.sentScene;
    const name = nodes.name[biases.node[this.tappedBias]] ?? "";
    const value = this.frame?.biases?.[this.tappedBias];
    const bias = value === undefined ? "" : `: bias ${formatValue(value)}`;
    const text = `${name.charAt(0).toUpperCase()}${name.slice(1)}${bias}`;
    if (this.biasText.textContent !== text) this.biasText.textContent = text;
  },

  // The bias's editor, as its key opens it (keys.js): the value's text box takes the
  // typing, and Enter or Escape there brings the focus back to the bias.
  editBias() {
    const bias = this.tappedBias;
    this.tapped(-1);
    if (bias < 0) return;
    this.send({ tap: ["bias", bias] });
    const key = this.keys.el.querySelector(`[data-key="bias:${bias}"]`);
    if (key) this.keys.focusEditor(key);
  },
};
