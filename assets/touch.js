// A finger on the diagram. On a phone the diagram is drawn small (its nodes about 20 px,
// its +/- buttons 27 px), smaller than a finger: a tap counts for the node or button
// whose centre is nearest, within a finger's square around it (44 by 44 px on the
// screen), and the +/- buttons sit a finger apart where the layers leave room. A tapped
// neuron's picture shows in the output plot, which on a phone is a screen or more above
// the diagram: while the plot is out of sight, a copy of it ("peek") shows at the top of
// the screen, where the student is looking. Methods of the live view (live_view.js).

import { element, sizedCanvas } from "./dom.js";
import { NODE } from "./paint.js";

export const FINGER = 44; // CSS px on the screen: the least target a finger should have
const PEEK = 150; // CSS px: the copy's side

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

  // What a finger pressed: what is under it, else the nearest node within its reach
  // (a +/- button within reach wins: listenToTouch clicks it).
  touchHit(event) {
    const hit = this.hitUnder(event);
    if (hit || !this.scene || this.buttonNear(event.clientX, event.clientY)) return hit;
    const node = this.nodeNear(...this.local(event));
    return node >= 0 ? ["node", node] : null;
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
