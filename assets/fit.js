// How big the live view draws. The diagram and the output plot are drawn in fixed
// coordinates (paint.js) and enlarged as a whole by a CSS transform, their canvases'
// backing stores with them (dom.js sizedCanvas), so they grow with the window and stay
// sharp. Side by side while both fit at a readable size; one above the other on a phone.

import { OUT } from "./paint.js";

export const OUT_SIZE = [OUT.box + OUT.right, OUT.box]; // the plot and its y labels, unscaled
export const LAYER_ROWS = 32 + 46; // the layer header and the +/- row above the canvas
const GAP = 24; // between the diagram and the output column (live_view.css)
const SIDE_BY_SIDE_FROM = 0.7; // a smaller scale stacks them instead
const LARGEST = 1.4;
// Presenter mode: a larger cap, and the output plot, what a lecture points at, bigger
// again than the diagram.
const PRESENTER = { largest: 2.6, plot: 1.35 };

// {stacked, net, out}: the diagram's and the output plot's scale for a live view
// ``width`` CSS pixels wide and a diagram canvas of ``netSize`` [width, height]. Side by
// side, the output column keeps at least its natural width (its readouts need it), and
// the diagram takes the rest.
export function fitScales(width, netSize, presenter) {
  const largest = presenter ? PRESENTER.largest : LARGEST;
  const plot = presenter ? PRESENTER.plot : 1;
  const room = width - GAP;
  const both = room / (netSize[0] + plot * OUT_SIZE[0]);
  const net = both >= 1 ? both : (room - OUT_SIZE[0]) / netSize[0];
  if (net >= SIDE_BY_SIDE_FROM) {
    const scale = Math.min(net, largest);
    return { stacked: false, net: scale, out: Math.max(1, Math.min(scale * plot, largest)) };
  }
  return {
    stacked: true,
    net: Math.min(width / netSize[0], largest),
    out: Math.min(width / OUT_SIZE[0], largest),
  };
}

// The output column's width: side by side never narrower than the plot's natural width.
export function outputWidth(scales) {
  const plot = OUT_SIZE[0] * scales.out;
  return Math.round(scales.stacked ? plot : Math.max(OUT_SIZE[0], plot));
}
