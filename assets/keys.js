// The network diagram for the keyboard and for screen readers. The diagram is drawn on
// canvases, which nothing can focus: this layer lays an invisible <button> over each
// node, bias square and link, in reading order (the inputs, then each neuron followed
// by its bias and its incoming links). Tab moves from node to node (a 6 x 8 net has
// some 400 links: Tab alone would take hundreds of presses to leave the diagram); the
// arrow keys walk every item in reading order, Home and End jump to the first and the
// last. Enter or Space acts as a click, the focused item shows a focus ring
// (live_view.css), and each carries an aria-label. Pointer events pass through the
// layer to the canvases below.
//
// A focused node previews its map, as hovering it does. A focused link or bias opens
// the editor with Enter; focus then moves into the editor's text box, and Enter there
// (the value is set) or Escape (the editor closes) brings it back to the link.

import { element } from "./dom.js";
import { formatValue } from "./hit_test.js";
import { BIAS, NODE } from "./paint.js";

const LINK_KEY = 12; // px, the focus target at a link's middle
const BIAS_KEY = BIAS + 4;
const EDITOR_WAIT_MS = 3000;

function capitalised(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function place(button, left, top, size) {
  button.style.left = `${left}px`;
  button.style.top = `${top}px`;
  button.style.width = button.style.height = `${size}px`;
}

// Every element under root, shadow roots included, that matches selector.
function deepQueryAll(root, selector, found = []) {
  for (const el of root.querySelectorAll("*")) {
    if (el.matches(selector)) found.push(el);
    if (el.shadowRoot) deepQueryAll(el.shadowRoot, selector, found);
  }
  return found;
}

// The weight/bias editor's text box of the view whose css class is viewClass, once
// Python has shown it (a Panel widget elsewhere on the page), or null.
function visibleEditorInput(viewClass) {
  for (const host of deepQueryAll(document, `.link-editor.${CSS.escape(viewClass)}`)) {
    const input = deepQueryAll(host.shadowRoot ?? host, "input")[0];
    if (input && input.getClientRects().length > 0) return input;
  }
  return null;
}

export class DiagramKeys {
  // send(message) goes to Python; preview(node | -1) shows a node's map; viewClass is
  // the css class of the view's own editor (another scene on the page has its own).
  constructor(send, preview, viewClass) {
    this.send = send;
    this.preview = preview;
    this.viewClass = viewClass;
    this.scene = null;
    this.el = element("div", "diagram-keys");
    this.el.setAttribute("role", "group");
    this.el.setAttribute(
      "aria-label",
      "Network diagram: Tab moves between nodes; the arrow keys also reach each node's " +
        "bias and incoming weights",
    );
    this.el.addEventListener("keydown", (event) => this.walk(event));
  }

  // Arrow keys, Home and End: the next, previous, first or last item, links included.
  walk(event) {
    const items = [...this.el.children];
    const at = items.indexOf(event.target);
    const to = {
      ArrowDown: at + 1,
      ArrowRight: at + 1,
      ArrowUp: at - 1,
      ArrowLeft: at - 1,
      Home: 0,
      End: items.length - 1,
    }[event.key];
    if (at < 0 || to === undefined) return;
    event.preventDefault(); // the page would scroll
    items[Math.max(0, Math.min(items.length - 1, to))].focus();
  }

  // The buttons of a new scene; the item focused before keeps the focus.
  build(scene, frame) {
    const focused = this.focusedKey();
    this.scene = scene;
    const { nodes, links, biases } = scene;
    const biasOf = new Map(biases.node.map((node, b) => [node, b]));
    const linksInto = new Map();
    links.to.forEach((node, l) => linksInto.set(node, [...(linksInto.get(node) ?? []), l]));
    const buttons = [];
    for (let i = 0; i < nodes.x.length; i++) {
      buttons.push(this.nodeButton(i));
      if (biasOf.has(i)) buttons.push(this.weightButton("bias", biasOf.get(i)));
      for (const l of linksInto.get(i) ?? []) buttons.push(this.weightButton("link", l));
    }
    this.el.replaceChildren(...buttons);
    this.label(frame);
    if (focused) this.el.querySelector(`[data-key="${focused}"]`)?.focus();
  }

  focusedKey() {
    const active = this.el.getRootNode().activeElement;
    return active && this.el.contains(active) ? active.dataset.key : null;
  }

  nodeButton(i) {
    const { nodes } = this.scene;
    const button = element("button", "node-key");
    button.dataset.key = `node:${i}`;
    place(button, nodes.x[i], nodes.y[i], NODE);
    let text = capitalised(nodes.name[i]);
    if (i < this.scene.n_inputs) {
      text = `Input ${nodes.name[i]}, ${nodes.active[i] ? "on" : "off"}`;
      button.setAttribute("aria-pressed", String(nodes.active[i]));
    }
    button.setAttribute("aria-label", text);
    button.addEventListener("focus", () => this.preview(i));
    button.addEventListener("blur", () => this.preview(-1));
    button.addEventListener("click", () => this.send({ tap: ["node", i] }));
    return button;
  }

  weightButton(kind, index) {
    const button = element("button", `${kind}-key`);
    button.dataset.key = `${kind}:${index}`;
    button.tabIndex = -1; // reached with the arrow keys (see walk)
    if (kind === "bias") {
      const { x, y } = this.scene.biases;
      place(button, x[index] + (BIAS - BIAS_KEY) / 2, y[index] + (BIAS - BIAS_KEY) / 2, BIAS_KEY);
    } else {
      const { x0, y0, x1, y1 } = this.scene.links;
      // d3's diagonal passes through the middle of its two ends.
      const [x, y] = [(x0[index] + x1[index]) / 2, (y0[index] + y1[index]) / 2];
      place(button, x - LINK_KEY / 2, y - LINK_KEY / 2, LINK_KEY);
    }
    button.addEventListener("focus", () => this.labelOne(button, this.frame));
    button.addEventListener("click", () => {
      this.send({ tap: [kind, index] });
      this.focusEditor(button);
    });
    return button;
  }

  // "Weight from X₁ to neuron 1 of layer 1: 0.53", "Bias of the output: 0.1".
  labelOne(button, frame) {
    const [kind, text] = button.dataset.key.split(":");
    if (kind === "node") return;
    const index = Number(text);
    const { nodes, links, biases } = this.scene;
    const values = frame ? (kind === "link" ? frame.weights : frame.biases) : null;
    const value = values && values.length > index ? `: ${formatValue(values[index])}` : "";
    const label =
      kind === "link"
        ? `Weight from ${nodes.name[links.from[index]]} to ${nodes.name[links.to[index]]}`
        : `Bias of ${nodes.name[biases.node[index]]}`;
    button.setAttribute("aria-label", label + value);
  }

  // Every label from a frame; then, frame by frame, only the focused one's (cheap).
  label(frame) {
    this.frame = frame;
    for (const button of this.el.children) this.labelOne(button, frame);
  }

  painted(frame) {
    this.frame = frame;
    const key = this.focusedKey();
    if (key) this.labelOne(this.el.querySelector(`[data-key="${key}"]`), frame);
  }

  // Escape closes the editor, wherever the focus is (it may have been opened by mouse);
  // returns what stops listening.
  listenForEscape() {
    const escape = (event) => {
      if (event.key === "Escape" && visibleEditorInput(this.viewClass) !== null) {
        this.send({ close_editor: true });
      }
    };
    document.addEventListener("keydown", escape);
    return () => document.removeEventListener("keydown", escape);
  }

  // Once the editor shows, the typing goes there; Enter or Escape there returns to the link.
  focusEditor(origin) {
    const until = performance.now() + EDITOR_WAIT_MS;
    const look = () => {
      const input = visibleEditorInput(this.viewClass);
      if (input === null) {
        if (performance.now() < until) setTimeout(look, 50);
        return;
      }
      input.focus();
      input.select();
      // On the key's release: Panel's text box reports Enter when it is released, so the
      // focus may leave only then (Python then sets the value and closes the editor).
      const back = (event) => {
        if (event.key !== "Enter" && event.key !== "Escape") return;
        input.removeEventListener("keyup", back);
        setTimeout(() => this.el.querySelector(`[data-key="${origin.dataset.key}"]`)?.focus());
      };
      input.addEventListener("keyup", back);
    };
    look();
  }
}
