// A finger on the diagram. On a phone the diagram is drawn small (its nodes about 20 px,
// its +/- buttons 27 px), smaller than a finger: a tap counts for the node or button
// whose centre is nearest, within a finger's square around it (44 by 44 px on the
// screen), and the +/- buttons sit a finger apart where the layers leave room. A tapped
// neuron's picture shows in the output plot, which on a phone is a screen or more above
// the diagram: while the plot is out of sight, a copy of it ("peek") shows at the top of
// the screen, where the student is looking. Methods of the live view (live_view.js).
// Where a finger points (a coarse pointer) and the rows are drawn closer than a finger,
// the rows are spread apart (stretchRows), so that every node has a finger's square of
// its own inside the diagram; a node's square takes a tap before the links that cross
// it. The peek lets taps through: it may cover part of the diagram.

import { element, sizedCanvas } from "./dom.js";
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

const touching = (event) => event.pointerType === "touch" || event.pointerType === "pen";

export const touchMethods = {
  buildPeek() {
    this.peek = element("div", "peek");
    this.peek.setAttribute("aria-hidden", "true"); // the diagram's keys name the node
    this.peekCanvas = element("canvas", "peek-picture");
    this.peekCtx = sizedCanvas(this.peekCanvas, PEEK, PEEK);
    this.peekCaption = element("div", "peek-caption");
    this.peek.append(this.peekCanvas, this.peekCaption);
    this.el.append(this.peek);
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

  // The +/- button within a finger's square of the screen point (x, y): the nearest.
  buttonNear(x, y) {
    let best = null;
    let bestDistance = Infinity;
    for (const button of this.net.querySelectorAll(".buttons button")) {
      const box = button.getBoundingClientRect();
      if (!box.width || getComputedStyle(button.parentNode).visibility === "hidden") continue;
      const dx = Math.abs(x - (box.left + box.width / 2));
      const dy = Math.abs(y - (box.top + box.height / 2));
      const near = dx <= Math.max(box.width, FINGER) / 2 && dy <= Math.max(box.height, FINGER) / 2;
      if (near && Math.hypot(dx, dy) < bestDistance) {
        best = button;
        bestDistance = Math.hypot(dx, dy);
      }
    }
    return best;
  },

  // A tap beside a target: a +/- button's click, or the node's, as if it had hit.
  listenToTouch() {
    this.net.addEventListener(
      "click",
      (event) => {
        if (!touching(event) || event.target.closest?.("button")) return;
        if (this.hitUnder(event)?.[0] === "node") return; // on a node itself
        const button = this.buttonNear(event.clientX, event.clientY);
        if (button) {
          event.stopPropagation();
          button.click();
        }
      },
      true,
    );
  },

  // What a finger pressed: a node or bias square under it, else the nearest node within
  // its reach, else a link under it (a +/- button within reach wins: listenToTouch
  // clicks it).
  touchHit(event) {
    const hit = this.hitUnder(event);
    if (!this.scene || (hit && hit[0] !== "link")) return hit;
    if (this.buttonNear(event.clientX, event.clientY)) return hit;
    const node = this.nodeNear(...this.local(event));
    return node >= 0 ? ["node", node] : hit;
  },

  nodeTouched(event) {
    const hit = this.touchHit(event);
    return hit && hit[0] === "node" ? hit[1] : -1;
  },

  // Shows a tapped node's picture; a copy at the top of the screen while the plot is
  // out of sight.
  tapped(node) {
    this.preview(node);
    const box = this.plotFit.getBoundingClientRect();
    const inSight = Math.min(box.bottom, innerHeight) - Math.max(box.top, 0);
    this.peeking = node >= 0 && inSight < box.height / 2;
    this.peek.classList.toggle("shown", this.peeking);
    if (this.peeking) {
      this.peekCaption.textContent = this.scene.nodes.name[node] ?? "";
      this.drawPeek();
    }
  },

  drawPeek() {
    if (!this.peeking) return;
    this.peekCtx.imageSmoothingEnabled = true;
    this.peekCtx.drawImage(this.heatCanvas, 0, 0, PEEK, PEEK);
  },
};
