// The live picture of one session: network diagram, loss readouts and chart, and the
// output heatmap with its points, drawn on plain canvases.
//
// Python (playground/views/live.py) sends one message per frame: palette indices as
// uint8 arrays, weights and biases as float32 arrays, the new loss points, and, only
// when they change, the diagram's geometry ("scene") and the data points. Nothing here
// goes through Bokeh's document, so a frame costs the browser a few milliseconds.
// Messages that arrive between two animation frames are merged and painted once; the
// browser then acknowledges the frame number, which paces the server.
//
// Messages back to Python: {ready}, {ack: [frame, paints since the last ack]},
// {hover: node}, {tap: [kind, index]}, {layers: +1 | -1}, {neurons: [layer, +1 | -1]},
// and from the plot: {drawing: on}, {draw: [x, y, label]}, {clear_points}, {gallery: i}.
//
// A node's map shows in the big plot while the mouse is over the node, while the node
// has the keyboard's focus, or, on a touch screen, from a tap on it until the next tap.
//
// A painted frame is announced to the scene's other parts (its epoch counter) on the
// view's own events (view_events.js), never on the window: two scenes share a page.
//
// The modules: transport.js (frame socket, Bokeh fallback, acknowledgements),
// decode.js (a frame's arrays), paint.js (heatmap, diagram, points), chart.js (the
// loss chart), insight.js (confusion matrix, gradient sizes), hit_test.js (what is
// under the mouse), keys.js (the diagram for the keyboard), sizing.js (how big it all
// draws, the words inside the drawings), reconnect.js (a lost server), draw.js (Draw
// mode), gallery.js (a table of images' test images in place of the plane).
// Python joins them into one module for Panel (playground/views/esm.py).

import { LossChart } from "./chart.js";
import { keepPictures, unpack } from "./decode.js";
import { element, offscreen, sizedCanvas } from "./dom.js";
import { DrawBar } from "./draw.js";
import { OUT_SIZE } from "./fit.js";
import { plotModeMethods } from "./gallery.js";
import { TrainingInsight, accuracyLines } from "./insight.js";
import { DiagramKeys } from "./keys.js";
import { layerButtonMethods } from "./layer_buttons.js";
import {
  MAX_DASHED_LINKS,
  THUMB,
  colourTables,
  linkPaths,
  paintHeatmap,
  paintLinks,
  paintNodes,
} from "./paint.js";
import { isServerLost, serverLost, watchBokehConnection } from "./reconnect.js";
import { pointerMethods } from "./pointer.js";
import { stretchRows, touchMethods } from "./touch.js";
import { axisLabels, sizingMethods } from "./sizing.js";
import { Acknowledger, openFrameSocket } from "./transport.js";
import { announcePainted, viewEvents } from "./view_events.js";

// A frame that arrives while another still waits for its animation frame waits behind it,
// to be painted in the next one: frames that come in a burst (the server's or the
// network's hiccup) are each shown, so at a fixed speed every painted frame shows the
// speed's epochs. Beyond this many waiting, the oldest is merged unpainted, as a browser
// that cannot keep up must (the server's pacing then slows the frames down).
const MAX_WAITING = 2;

function clean() {
  return { net: false, heat: false, points: false, chart: false, scene: false, insight: false };
}

class LiveView {
  constructor(model) {
    this.model = model;
    this.scene = null;
    this.frame = null; // the latest frame message not yet painted, or painted
    this.waiting = []; // frame messages that arrived while this.frame waited to be painted
    this.kept = {}; // the pictures frames write their changes into (keepPictures)
    this.points = null;
    this.showTest = true;
    this.layerButtons = model.layer_buttons;
    this.events = viewEvents(model.view_id); // the scene's other parts listen here
    this.hovered = -1; // node whose map is shown: under the mouse, focused or tapped
    this.dirty = clean();
    this.scheduled = false;
    this.paintedFrame = 0;
    this.receivedFrame = 0;
    this.socket = null; // the tab's own frame socket, while open
    this.acks = new Acknowledger((ack) => this.sendAck(ack));
    this.build();
  }

  build() {
    this.el = element("div", "live");
    const net = element("div", "network-diagram");
    this.header = element("div", "layer-header");
    this.neuronRow = element("div", "neuron-row");
    const stage = element("div", "net-stage");
    this.stage = stage;
    this.linkCanvas = element("canvas", "link-canvas");
    this.netCanvas = element("canvas", "net-canvas");
    this.tooltip = element("div", "tooltip");
    this.labels = element("div", "input-labels");
    this.labels.setAttribute("aria-hidden", "true"); // the keys (keys.js) name the inputs
    this.keys = new DiagramKeys(
      (message) => this.send(message),
      (node) => this.preview(node),
      `view-${this.model.view_id}`,
    );
    stage.append(this.linkCanvas, this.netCanvas, this.labels, this.keys.el, this.tooltip);
    net.append(this.header, this.neuronRow, stage);
    // Each drawing sits in a box of its enlarged size; the transform inside enlarges it.
    this.netFit = element("div", "net-fit");
    this.netFit.append(net);
    this.net = net;
    // Above the drawing, at the page's text size: what the columns are.
    const heads = element("div", "diagram-heads");
    const featuresHeading = this.heading("features");
    this.featuresHint = featuresHeading.querySelector(".hint");
    heads.append(featuresHeading, this.heading("hidden"));
    const netColumn = element("div", "net-column");
    netColumn.append(heads, this.netFit);

    const out = element("div", "output-column");
    const lossRow = element("div", "loss-row");
    this.lossText = element("div", "losses");
    this.lossLines = element("div");
    this.lossText.append(this.lossLines);
    const chartCanvas = element("canvas", "loss-chart");
    lossRow.append(this.lossText, chartCanvas);
    const plot = element("div", "output-plot");
    this.heatCanvas = element("canvas", "heatmap");
    this.pointsCanvas = element("canvas", "points");
    plot.append(this.heatCanvas, this.pointsCanvas, axisLabels());
    this.plot = plot;
    this.plotFit = element("div", "plot-fit");
    this.plotFit.append(plot);
    this.insight = new TrainingInsight();
    // The output's own controls (Show test data, Discretize output) sit right under the
    // plot, as in the original; Panel renders them (LiveView.below_plot).
    const belowPlot = this.model.below_plot ? this.model.get_child("below_plot") : null;
    this.drawBar = new DrawBar((message) => this.send(message));
    const outputHeading = this.heading("output");
    this.outputHint = outputHeading.querySelector(".hint");
    // Right under the plot its checkboxes, then (beside them where there is room) Draw.
    const underPlot = element("div", "under-plot");
    underPlot.append(...(belowPlot ? [belowPlot] : []), this.drawBar.el);
    out.append(outputHeading, lossRow, this.plotFit, underPlot, this.insight.el);
    this.out = out;
    this.el.append(netColumn, out);
    this.buildTouch();

    this.chart = new LossChart(chartCanvas);
    // The heatmap is the original's 100 x 100 canvas, scaled up (and smoothed) by CSS:
    // the browser then moves 40 kB a frame, not a full-size bitmap.
    this.heatCanvas.width = this.heatCanvas.height = 100;
    this.heatCtx = this.heatCanvas.getContext("2d");
    this.heatImage = this.heatCtx.createImageData(100, 100);
    this.scales = { stacked: false, net: 1, out: 1 };
    this.pointsCtx = sizedCanvas(this.pointsCanvas, ...OUT_SIZE);
    this.listen();
    // Its width, and what moves it down the page (the plot's room in the first screen).
    const refit = () => this.fit();
    const resized = new ResizeObserver(refit);
    resized.observe(this.el);
    resized.observe(document.body);
    window.addEventListener("resize", refit);
    this.unfit = () => {
      resized.disconnect();
      window.removeEventListener("resize", refit);
    };
  }

  // A part's heading and its one-line hint (LiveView.headings).
  heading(part) {
    const [title, hint] = this.model.headings[part] ?? [part, ""];
    const box = element("div", `heading heading-${part}`);
    box.append(element("h4", "", title), element("p", "hint", hint));
    return box;
  }

  listen() {
    const canvas = this.stage; // both canvases and the tooltip: one box
    // A mouse hovers; a finger or a pen cannot, and its pointer leaves as it lifts, so
    // a tap on a node keeps its map up until the next tap, here or anywhere else.
    const mouse = (event) => event.pointerType === "mouse";
    canvas.addEventListener("pointermove", (event) => mouse(event) && this.pointerAt(event));
    canvas.addEventListener("pointerleave", (event) => mouse(event) && this.leave());
    canvas.addEventListener("pointerdown", (event) => {
      if (!mouse(event)) this.tapped(this.nodeTouched(event));
    });
    const elsewhere = (event) => {
      const path = event.composedPath();
      const ours = path.includes(canvas) || path.includes(this.biasBar);
      if (!mouse(event) && !ours) this.tapped(-1);
    };
    document.addEventListener("pointerdown", elsewhere);
    const stopEscape = this.keys.listenForEscape();
    this.unlisten = () => {
      document.removeEventListener("pointerdown", elsewhere);
      stopEscape();
    };
    canvas.addEventListener("click", (event) => {
      const hit = mouse(event) ? this.hitUnder(event) : this.touchHit(event);
      if (hit) this.send({ tap: hit });
    });
    this.listenToPlot();
  }

  // -- messages to Python -------------------------------------------------------------

  // Over Bokeh's websocket; nothing once the server is gone (there is no one to hear).
  send(message) {
    if (!isServerLost()) this.model.send_msg(message);
  }

  sendAck(ack) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(ack));
    else this.send(ack);
  }

  // The server is gone: the picture stays as it was, and nothing more is sent.
  stop() {
    this.acks.stop();
  }

  // -- messages from Python -----------------------------------------------------------

  receive(msg) {
    if (msg.frame !== undefined) {
      if (msg.frame <= this.receivedFrame) return; // overtaken on the other socket
      this.receivedFrame = msg.frame;
      if (this.dirty.heat) {
        this.waiting.push(msg);
        // A frame that starts afresh (a control reset the network) answers a click: it
        // is painted next, and the frames before it are merged unpainted.
        const keep = msg.chart_reset || msg.scene ? 0 : MAX_WAITING;
        while (this.waiting.length > keep) this.apply(this.waiting.shift());
        return;
      }
    }
    this.apply(msg);
  }

  // A message's changes, to be painted in the next animation frame.
  apply(msg) {
    const arrays = unpack(msg.binary, msg.parts, msg.base);
    if (msg.scene) this.setScene(msg.scene);
    if (arrays.train_x) {
      const set = (p) => ({ x: arrays[`${p}_x`], y: arrays[`${p}_y`], c: arrays[`${p}_c`] });
      this.points = { train: set("train"), test: set("test") };
      this.dirty.points = true;
    }
    if (msg.show_test !== undefined && msg.show_test !== this.showTest) {
      this.showTest = msg.show_test;
      this.dirty.points = true;
    }
    if (this.applyPlotModes(msg, arrays)) this.dirty.points = true;
    if (arrays.chart_epoch) {
      this.chart.add({
        reset: msg.chart_reset,
        epoch: arrays.chart_epoch,
        train: arrays.chart_train,
        test: arrays.chart_test,
      });
      this.dirty.chart = true;
    }
    if (this.insight.receive(msg)) this.dirty.insight = true;
    if (msg.frame !== undefined) {
      this.frame = { ...msg, ...arrays, ...keepPictures(this.kept, arrays) };
      this.dirty.net = this.dirty.heat = true;
    }
    this.schedule();
  }

  setScene(scene) {
    const palette = String(scene.palette) + String(scene.scale);
    if (palette !== this.palette) {
      // The colour setting changed (or this is the first scene): new tables, new points.
      this.palette = palette;
      this.colours = colourTables(scene);
      this.dirty.points = this.dirty.heat = true;
    }
    this.sentScene = scene;
    this.scene = scene; // fit() spreads its rows for a finger (touch.js stretchRows)
    this.spread = null;
    this.plot.classList.toggle("gallery", Boolean(scene.gallery));
    const hints = (part) => (this.model.headings[part] ?? [])[1] ?? "";
    this.outputHint.textContent = scene.gallery?.hint ?? scene.table_hint ?? hints("output");
    this.featuresHint.textContent = scene.gallery?.input_hint ?? hints("features");
    this.linkFrames = 0;
    this.fitted = false; // the canvases take the new scene's size
    this.thumbs = offscreen(THUMB, THUMB * scene.nodes.x.length);
    this.hovered = -1;
    this.tooltip.style.display = "none";
    this.fit(); // places everything (spreadRows)
    this.dirty.net = this.dirty.scene = true;
  }

  // The scene spread for a finger (touch.js rowSpread), and what is built from its
  // geometry: the +/- buttons, the links' paths, the input labels, the keys.
  spreadRows(spread) {
    this.spread = spread;
    this.scene = stretchRows(this.sentScene, spread);
    this.el.style.setProperty("--net-width", `${this.scene.size[0]}px`);
    const focused = this.focusedControl();
    this.controls(this.scene);
    if (focused) this.el.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
    this.linkPaths = linkPaths(this.scene.links);
    this.inputLabels(this.scene);
    this.keys.build(this.scene, this.frame);
  }

  // -- painting -----------------------------------------------------------------------

  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.paint();
    });
  }

  paint() {
    const { frame, scene } = this;
    if (scene && frame) {
      if (this.dirty.heat) this.paintOutput(frame);
      if (this.dirty.net) this.paintNetwork(frame);
      if (this.dirty.scene) this.keys.label(frame);
      else if (this.dirty.net) this.keys.painted(frame);
    }
    if (this.dirty.points && scene) this.paintPlot(scene);
    if (this.dirty.chart) this.chart.draw();
    if (this.dirty.insight) this.insight.draw();
    this.dirty = clean();
    if (this.waiting.length) this.apply(this.waiting.shift());
    if (frame && frame.frame > this.paintedFrame) {
      this.paintedFrame = frame.frame;
      // Drawn in this animation frame, so on screen once it returns. The epoch counter
      // is another component; it listens for this (view_events.js).
      announcePainted(this.events, frame.frame, frame.epoch);
      if (!isServerLost()) this.acks.painted(frame.frame);
    }
  }

  paintOutput(frame) {
    paintHeatmap(this.heatCtx, this.heatImage, frame.heatmap, this.colours.heat);
    this.drawTapped();
    const [test, train] = frame.losses;
    // Hiding the train/test ratio hides the test loss readout too, as in the original.
    const testLine = this.model.test_loss ? `Test loss <b>${test}</b><br>` : "";
    const text = `${testLine}Training loss <b>${train}</b>` + accuracyLines(frame.accuracy);
    if (this.lossLines.innerHTML !== text) this.lossLines.innerHTML = text;
  }

  paintNetwork(frame) {
    const { scene, colours } = this;
    // Solid links (big networks) are redrawn every other frame, unless the scene changed.
    this.linkFrames += 1;
    const solid = frame.weights.length > MAX_DASHED_LINKS;
    if (!solid || this.linkFrames % 2 === 1 || this.dirty.scene) {
      paintLinks(this.linkCtx, this.linkPaths, frame, scene.size, colours.weight);
    }
    paintNodes(this.netCtx, scene, frame, this.thumbs, colours, this.hovered);
  }
}

Object.assign(
  LiveView.prototype,
  layerButtonMethods,
  plotModeMethods,
  pointerMethods,
  sizingMethods,
  touchMethods,
);

export function render({ model, view }) {
  const live = new LiveView(model);
  model.on("msg:custom", (msg) => live.receive(msg));
  model.on("layer_buttons", () => live.setLayerButtons(model.layer_buttons));
  model.on("remove", () => live.unfit());
  model.on("presenter", () => {
    live.fitted = false;
    live.fit();
  });
  watchBokehConnection(view?.model?.document, () => live.stop());
  live.send({ ready: true }); // Python answers with a whole frame, scene and all
  if (model.frame_socket) {
    const close = openFrameSocket(model.frame_socket, {
      open: (socket) => {
        live.socket = socket;
      },
      close: (socket) => {
        if (live.socket === socket) live.socket = null;
      },
      message: (msg) => live.receive(msg),
      gone: () => {
        live.stop();
        serverLost();
      },
    });
    model.on("remove", close);
  }
  model.on("remove", () => live.unlisten());
  return live.el;
}
