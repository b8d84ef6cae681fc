// How big the live view draws (fit.js has the arithmetic), and the words inside its
// drawings: the input labels beside the diagram and the output plot's axis numbers are
// page elements, sized, as the diagram's captions and +/- buttons are, to read at the
// page's text size however small the drawing is shown (fit.js growAt). On a phone the
// diagram is drawn at about two thirds of its size, so its words are drawn half as large
// again inside it. Where a finger points, each +/- button owns a finger's square
// (sizeButtons). Methods of the live view (live_view.js assigns them).

import { element, sizedCanvas } from "./dom.js";
import {
  BUTTONS_ROW,
  HEADER_ROW,
  LAYER_ROWS,
  OUT_SIZE,
  TEXT_PX,
  fitScales,
  growAt,
  outputWidth,
} from "./fit.js";
import { NODE, OUT } from "./paint.js";
import { FINGER, rowSpread, stretchRows } from "./touch.js";

const MIN_PLOT_SCALE = 0.75; // a screen with less room scrolls to the plot instead
// px: the plot's checkboxes (a finger tall on a touch screen) and a margin
const BELOW_PLOT_ROOM = matchMedia("(pointer: coarse)").matches ? 52 : 40;
const LABEL_GAP = 10; // px between an input's label and its square (the original's)
const FONT = '"Helvetica Neue", Helvetica, Arial, sans-serif';
const BUTTON = 26; // px, a +/- button at scale 1 (live_view.css)
const BUTTON_GAP = 6; // px: the two buttons' gap and some air on both sides
const CAPTION_ROOM = BUTTONS_ROW - BUTTON; // px at scale 1 under a layer's buttons
// Px on the screen between the header's buttons and the layers' for a finger: a tap
// counts on the whole pixel under it, and the layers' row is drawn over the header's, so
// without air the header's squares would lose their lowest pixel to it (and a browser
// aiming a finger's tap weighs how much of each target near it the finger covers).
const ROWS_APART = 8;
const AXIS_NUMBER_ROOM = 1.5; // a tick's width in text sizes, below which numbers touch

let measuring = null;

// Width in CSS pixels of ``text`` at ``px``.
function textWidth(text, px) {
  measuring ??= document.createElement("canvas").getContext("2d");
  measuring.font = `${px}px ${FONT}`;
  return measuring.measureText(text).width;
}

// The output plot's numbers -6 … 6 below it and at its right, the 0 darker.
export function axisLabels() {
  const box = element("div", "axis-labels");
  const size = OUT.box - 2 * OUT.pad;
  const end = OUT.pad + size;
  for (let v = -6; v <= 6; v++) {
    const at = Math.round(OUT.pad + ((v + 6) / 12) * size) + 0.5;
    const kind = `axis-label${v === 0 ? " zero" : ""}${v % 2 ? " odd" : ""}`;
    const below = element("div", `${kind} x`, String(v));
    below.style.left = `${at}px`;
    below.style.top = `${end + 5}px`;
    const right = element("div", `${kind} y`, String(v));
    right.style.left = `${end + 6}px`;
    right.style.top = `${OUT.box - at}px`;
    box.append(below, right);
  }
  return box;
}

export const sizingMethods = {
  // Scales the drawings to the width the page gives the live view (fit.js).
  fit() {
    if (!this.scene) return;
    // Not laid out yet (clientWidth 0): natural size until the observer reports a width.
    const width = this.el.clientWidth || this.scene.size[0] + OUT_SIZE[0] + 24;
    const presenter = Boolean(this.model.presenter);
    this.el.classList.toggle("presenter", presenter); // before the plot's top is measured
    const textPx = parseFloat(getComputedStyle(this.el).fontSize) || 14;
    // The output plot stays within the first screen, with its checkboxes where they fit.
    const plotTop = this.plotFit.getBoundingClientRect().top + window.scrollY;
    const room = (below) => (window.innerHeight - plotTop - below) / OUT_SIZE[1];
    const fits = [room(BELOW_PLOT_ROOM), room(8)].find((scale) => scale >= MIN_PLOT_SCALE);
    const overhang = (scale) => this.labelOverhang(scale, textPx);
    // Spread for a finger (touch.js), the diagram is wider and drawn smaller, which may
    // spread it more: a few rounds settle it. Where a finger's columns do not fit (six
    // layers on a phone) it never settles; the diagram then reaches into the page's
    // margins, and where even that is too little, its squares are a little under a finger.
    const settle = (bleed) => {
      const scalesFor = (spread) => {
        const size = stretchRows(this.sentScene, spread).size;
        return fitScales(width, size, presenter, fits ?? Infinity, overhang, bleed);
      };
      let spread = this.spread ?? rowSpread({ ...this.sentScene, row: 0 });
      let scales = scalesFor(spread);
      for (let round = 0; round < 4; round++) {
        const next = rowSpread(this.sentScene, scales.net);
        if (JSON.stringify(next) === JSON.stringify(spread)) return { spread, scales, bleed };
        spread = next;
        scales = scalesFor(spread);
      }
      return { spread, scales, bleed, unsettled: true };
    };
    let settled = settle(0);
    if (settled.unsettled && settled.scales.stacked) settled = settle(2 * this.pageMargin());
    const { spread, scales, bleed } = settled;
    const same = (a, b) => Math.abs(a - b) < 0.005;
    const { net, out, left } = this.scales;
    const kept = same(net, scales.net) && same(out, scales.out) && same(left, scales.left);
    const spreadKept = JSON.stringify(spread) === JSON.stringify(this.spread);
    if (this.fitted && kept && textPx === this.textPx && spreadKept && bleed === this.bleed) return;
    if (!spreadKept) this.spreadRows(spread);
    Object.assign(this, { fitted: true, scales, textPx, bleed });
    this.el.classList.toggle("stacked", scales.stacked);
    const [width0, height0] = this.scene.size;
    const grow = this.sizeText(scales, textPx);
    const rows = this.sizeButtons(scales.net, grow);
    this.netFit.style.paddingLeft = `${scales.left}px`;
    this.netFit.style.marginLeft = bleed ? `${-bleed / 2}px` : "";
    this.place(this.netFit, this.net, width0, rows + height0, scales.net);
    this.place(this.plotFit, this.plot, ...OUT_SIZE, scales.out);
    this.out.style.width = `${outputWidth(scales)}px`;
    this.netCtx = sizedCanvas(this.netCanvas, width0, height0, scales.net);
    this.linkCtx = sizedCanvas(this.linkCanvas, width0, height0, scales.net);
    this.pointsCtx = sizedCanvas(this.pointsCanvas, ...OUT_SIZE, scales.out);
    // Resized canvases are blank: they are drawn again (the heatmap keeps its 100 x 100).
    Object.assign(this.dirty, { net: true, scene: true, points: true });
    this.schedule();
  },

  // Px between the live view and the screen's nearer side: the page's margin.
  pageMargin() {
    const { left, right } = this.el.getBoundingClientRect();
    return Math.max(0, Math.min(left, document.documentElement.clientWidth - right));
  },

  place(box, drawing, width, height, scale) {
    // Whole pixels, rounded up: what follows starts at or below the drawing's edge.
    box.style.width = `${Math.ceil(width * scale)}px`;
    box.style.height = `${Math.ceil(height * scale)}px`;
    drawing.style.transform = `scale(${scale})`;
  },

  // The inputs' labels for a new scene, right-aligned beside their squares.
  inputLabels(scene) {
    const { nodes } = scene;
    this.labels.replaceChildren();
    nodes.label.forEach((label, i) => {
      if (!label) return;
      const el = element("div", nodes.active[i] ? "input-label" : "input-label off", label);
      el.style.right = `${scene.size[0] - (nodes.x[i] - LABEL_GAP)}px`;
      el.style.top = `${nodes.y[i] + NODE / 2}px`;
      this.labels.append(el);
    });
  },

  // CSS pixels the widest input label reaches past the diagram's left edge at ``scale``.
  labelOverhang(scale, textPx) {
    const { nodes } = this.scene;
    const px = TEXT_PX * growAt(scale, textPx) * scale; // on the screen
    let overhang = 0;
    nodes.label.forEach((label, i) => {
      if (!label) return;
      const room = (nodes.x[i] - LABEL_GAP) * scale;
      overhang = Math.max(overhang, textWidth(label, px) - room);
    });
    return overhang;
  },

  // The diagram's words at ``scale``; where layers sit too close for a caption at that
  // size, it shows the count alone (the buttons say what they do).
  sizeText(scales, textPx) {
    const grow = growAt(scales.net, textPx);
    const { layers } = this.scene;
    const px = TEXT_PX * grow * scales.net; // a caption's text on the screen
    const widest = Math.max(0, ...layers.map((layer) => textWidth(layer.caption, px)));
    // Rounded up: never a hair under the page's text size.
    this.net.style.setProperty("--grow", String(Math.ceil(grow * 1000) / 1000));
    const spacing = this.layerSpacing();
    this.net.classList.toggle("tight", widest > (spacing - BUTTON_GAP) * scales.net);
    const axisPx = Math.ceil((100 * textPx) / scales.out) / 100;
    this.plot.style.setProperty("--axis-px", `${axisPx}px`);
    // A small plot numbers every other tick: thirteen numbers at the page's size would touch.
    const tick = ((OUT.box - 2 * OUT.pad) / 12) * scales.out;
    this.plot.classList.toggle("sparse", tick < AXIS_NUMBER_ROOM * textPx);
    return grow;
  },

  // Diagram pixels between two hidden layers' centres (Infinity with one or none).
  layerSpacing() {
    const { layers } = this.scene;
    return layers.length > 1 ? layers[1].centre - layers[0].centre : Infinity;
  },

  // The +/- buttons' size and the height of their two rows (the layer header, and the
  // row over the layers), in diagram pixels at ``scale``. With a mouse, as the original.
  // Where a finger points, each button is a finger's square on the screen, what shows of
  // it in the middle (live_view.css): both rows a finger tall, a layer's + and - side by
  // side where the layers are two fingers apart, and + over - where not (the layers are
  // a finger apart: touch.js rowSpread).
  sizeButtons(scale, grow) {
    const spacing = this.layerSpacing();
    const coarse = matchMedia("(pointer: coarse)").matches;
    const finger = FINGER / scale;
    const upright = coarse && spacing < 2 * finger;
    // What shows of a button: as large as the original's, with air between neighbours.
    const room = coarse ? finger - BUTTON_GAP : (spacing - BUTTON_GAP) / 2;
    const button = Math.min(BUTTON * grow, room);
    const style = this.net.style;
    style.setProperty("--button", `${button.toFixed(1)}px`);
    this.net.classList.toggle("finger", coarse);
    this.net.classList.toggle("plus-over-minus", upright);
    if (!coarse) {
      ["--finger", "--header-height", "--row-height"].forEach((name) => style.removeProperty(name));
      return LAYER_ROWS * grow;
    }
    const header = Math.max(HEADER_ROW * grow, finger + ROWS_APART / scale);
    const row = (upright ? 2 : 1) * finger + CAPTION_ROOM * grow;
    const px = (value) => `${Math.ceil(value * 100) / 100}px`; // never a hair short
    style.setProperty("--finger", px(finger));
    style.setProperty("--header-height", px(header));
    style.setProperty("--row-height", px(row));
    return header + row;
  },
};
