// The mouse over the diagram: what is under it, the preview of a node's map, the
// tooltip. Methods of the live view (live_view.js assigns them).

import { clickable, hitAt, tooltipText } from "./hit_test.js";

export const pointerMethods = {
  // The pointer in the diagram's own (unscaled) pixels.
  local(event) {
    const box = this.netCanvas.getBoundingClientRect();
    const scale = this.scales.net;
    return [(event.clientX - box.left) / scale, (event.clientY - box.top) / scale];
  },

  hitUnder(event) {
    if (!this.scene) return null;
    return hitAt(this.scene, this.linkCtx, this.linkPaths, ...this.local(event));
  },

  nodeUnder(event) {
    const hit = this.hitUnder(event);
    return hit && hit[0] === "node" ? hit[1] : -1;
  },

  // Shows node's map in the big plot (-1: the output's), and rings the node.
  preview(node) {
    if (node === this.hovered) return;
    this.hovered = node;
    this.send({ hover: node });
    this.dirty.net = true;
    this.schedule();
  },

  pointerAt(event) {
    const hit = this.hitUnder(event);
    this.preview(hit && hit[0] === "node" ? hit[1] : -1);
    this.stage.style.cursor = clickable(hit, this.scene) ? "pointer" : "";
    this.showTooltip(hit, event);
  },

  showTooltip(hit, event) {
    const text = tooltipText(hit, this.frame);
    if (text === null) {
      this.tooltip.style.display = "none";
      return;
    }
    this.tooltip.textContent = text;
    this.tooltip.style.display = "block";
    // Kept inside the diagram, whose only controls are under it for the keyboard: it
    // never reaches the editor below or the output's controls beside it.
    const [x, y] = this.local(event);
    const [width, height] = this.scene.size;
    const tip = this.tooltip;
    const left = Math.min(x + 12, width - tip.offsetWidth);
    const top = y + 12 + tip.offsetHeight <= height ? y + 12 : y - 12 - tip.offsetHeight;
    tip.style.left = `${Math.max(0, left)}px`;
    tip.style.top = `${Math.max(0, top)}px`;
  },

  leave() {
    this.tooltip.style.display = "none";
    this.preview(-1);
  },
};
