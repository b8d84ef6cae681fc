// How big the live view draws. The diagram and the output plot are drawn in fixed
// coordinates (paint.js) and enlarged as a whole by a CSS transform, their canvases'
// backing stores with them (dom.js sizedCanvas), so they grow with the window and stay
// sharp. Side by side while both fit at a readable size; one above the other on a phone.
// Their words never shrink with them: text inside a drawing is drawn larger by as much
// as the drawing is made smaller (growAt), so it reads at the page's text size.

import { OUT } from "./paint.js";

export const OUT_SIZE = [OUT.box + OUT.right, OUT.box]; // the plot and its y labels, unscaled
// The layer header and the +/- row (with the layers' captions) above the canvas, px at
// scale 1 (live_view.css).
export const HEADER_ROW = 32;
export const BUTTONS_ROW = 46;
export const LAYER_ROWS = HEADER_ROW + BUTTONS_ROW;
export const TEXT_PX = 14; // the drawings' own text size, at scale 1 (live_view.css)
const GAP = 24; // between the diagram and the output column (live_view.css)
const SIDE_BY_SIDE_FROM = 0.7; // a smaller scale stacks them instead
const LARGEST = 1.4; // the diagram's
// The output plot takes the width the diagram leaves, up to this (and the screen's
// height, live_view.js): on a wide screen the spare room goes to the picture.
const PLOT_LARGEST = 2.6;
// Presenter mode: the output plot, what a lecture points at, first: as large as the
// screen's height allows while the diagram keeps its natural size; the diagram takes
// what is left, up to a larger cap.
const PRESENTER_LARGEST = 2.6;

// How much the diagram's words, buttons and rows are enlarged inside a drawing shown at
// ``scale``, so that they read at ``textPx`` on the screen (never made smaller).
export function growAt(scale, textPx) {
  return Math.max(1, textPx / (TEXT_PX * scale));
}

// {stacked, net, out, left}: the diagram's and the output plot's scale for a live view
// ``width`` CSS pixels wide, a diagram canvas of ``netSize`` [width, height] and a plot
// that may be at most ``plotRoom`` times its size (the first screen's height), and the
// room ``left`` of the diagram its input labels need beyond its own margin:
// ``overhangAt(scale)``. Side by side, the output column keeps at least its natural
// width (its readouts need it). Stacked, the diagram may reach ``bleed`` px further, into
// the page's margins.
export function fitScales(
  width,
  netSize,
  presenter,
  plotRoom = Infinity,
  overhangAt = () => 0,
  bleed = 0,
) {
  const [netWidth, plotWidth] = [netSize[0], OUT_SIZE[0]];
  const largest = presenter ? PRESENTER_LARGEST : LARGEST;
  const plotLargest = Math.min(PLOT_LARGEST, plotRoom);
  const sideBySide = (room) => {
    if (presenter && room - netWidth >= plotWidth) {
      const out = Math.min(plotLargest, (room - netWidth) / plotWidth);
      return { net: Math.min((room - out * plotWidth) / netWidth, largest), out };
    }
    const both = room / (netWidth + plotWidth);
    const net = Math.min(both >= 1 ? both : (room - plotWidth) / netWidth, largest);
    const rest = (room - net * netWidth) / plotWidth;
    return { net, out: Math.min(Math.max(1, rest), plotLargest) };
  };
  const fitted = (left) => {
    const scales = sideBySide(width - GAP - left);
    if (scales.net >= SIDE_BY_SIDE_FROM) return { stacked: false, ...scales };
    return {
      stacked: true,
      net: Math.min((width + bleed - left) / netWidth, largest),
      out: Math.min(width / plotWidth, largest, plotLargest),
    };
  };
  // The overhang grows as the diagram shrinks: twice is within a pixel.
  let scales = fitted(0);
  for (let i = 0; i < 2; i++) {
    const left = Math.ceil(overhangAt(scales.net));
    if (left <= 0) break;
    scales = { ...fitted(left), left };
  }
  return { left: 0, ...scales };
}

// The output column's width: side by side never narrower than the plot's natural width.
export function outputWidth(scales) {
  const plot = OUT_SIZE[0] * scales.out;
  return Math.round(scales.stacked ? plot : Math.max(OUT_SIZE[0], plot));
}
