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
// Arrays travel packed in ONE binary buffer per message ("binary", described by
// "parts": name -> [type, byte offset, length]): Bokeh sends each buffer as websocket
// frames of its own, and a dozen of them cost the server more than the numbers inside.
//
// Messages back to Python: {ready}, {ack: [frame, paints since the last ack]},
// {hover: node}, {tap: [kind, index]}, {layers: +1 | -1}, {neurons: [layer, +1 | -1]}.
//
// When the server has the route (model.frame_socket), frames and acknowledgements go
// over a websocket of the tab's own instead (playground/channel.py): Bokeh's protocol
// costs the server as much per message as drawing the frame. A frame there is one
// binary message: a uint32 length, that much JSON, padding to 8 bytes, the arrays.
// Until it opens, or if it closes, Bokeh's websocket carries them; whichever way a
// frame came, one older than the newest already received is dropped.

const NODE = 30; // node square, px (INVENTORY A4)
const THUMB = 10; // thumbnail pixels per side
const BIAS = 5;
const INACTIVE_ALPHA = 0.4;
const LINK_HIT_WIDTH = 8; // the original's invisible hover path
// The original's flowing "9 1" dashes cost the browser as much again as the solid
// curves (rasterizing ~400 dashed links took 15 ms a frame): big networks get solid
// links, on their own canvas, redrawn every other frame (still 7 ms when drawn).
const MAX_DASHED_LINKS = 120;
// Over Bokeh's socket an acknowledgement costs the server a third of a frame's work (a
// message in, a reply out), so the latest painted frame is acknowledged at most this
// often; the server allows for it (MAX_LAG_S in playground/views/frames.py).
const ACK_EVERY_MS = 200;
const OUT = { box: 300, pad: 20, right: 22 }; // heatmap box, its padding, y labels
const CHART = { width: 150, height: 55 };
const MINUS = "\u2212";
// The frame socket's close code for "no such tab in this process": with several server
// processes the socket may reach the wrong one; a new connection may land elsewhere.
const WRONG_PROCESS = 4404;
const SOCKET_TRIES = 12;
const ALIGN = 8; // a frame socket message's arrays start at a multiple of this (pack)

const TYPED = { u8: Uint8Array, f32: Float32Array, f64: Float64Array };

function unpack(buffer, parts, base = 0) {
  const arrays = {};
  for (const [name, [type, offset, length]] of Object.entries(parts || {})) {
    arrays[name] = new TYPED[type](buffer, base + offset, length);
  }
  return arrays;
}

// A frame socket message as the message Bokeh would have delivered (base: where the
// arrays start).
function decodeFrame(buffer) {
  const length = new DataView(buffer).getUint32(0, true);
  const msg = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, length)));
  msg.binary = buffer;
  msg.base = Math.ceil((4 + length) / ALIGN) * ALIGN;
  return msg;
}

// Opens the tab's frame socket; returns a function that closes it for good.
function openFrameSocket(view, path) {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  let tries = 0;
  let socket = null;
  let closed = false;
  const connect = () => {
    socket = new WebSocket(url);
    socket.binaryType = "arraybuffer";
    socket.onopen = () => {
      view.socket = socket;
    };
    socket.onmessage = (event) => view.receive(decodeFrame(event.data));
    socket.onclose = (event) => {
      if (view.socket === socket) view.socket = null;
      if (!closed && event.code === WRONG_PROCESS && ++tries < SOCKET_TRIES) connect();
    };
  };
  connect();
  return () => {
    closed = true;
    socket.close();
  };
}

function hexToRGB(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [n >> 16, (n >> 8) & 255, n & 255];
}

// Palette index -> RGBA packed as one uint32 in the machine's byte order.
function rgbaTable(palette, alpha) {
  const table = new Uint32Array(palette.length);
  const bytes = new Uint8Array(table.buffer);
  palette.forEach((hex, i) => bytes.set([...hexToRGB(hex), alpha], 4 * i));
  return table;
}

function paintIndices(image, indices, table) {
  const pixels = new Uint32Array(image.data.buffer);
  const n = Math.min(pixels.length, indices.length);
  for (let i = 0; i < n; i++) pixels[i] = table[indices[i]];
}

// The continuous scale on [-1, 1], clamped: scene.scale's colours at -1, 0 and +1
// (playground/colors.py), and the palette's last colour for NaN.
function continuousScale(scale, nanColor) {
  const [low, mid, high] = scale.map(hexToRGB);
  return (value) => {
    if (!Number.isFinite(value)) return nanColor;
    const t = Math.max(-1, Math.min(1, value));
    const [end, f] = t >= 0 ? [high, t] : [low, -t];
    const [r, g, b] = mid.map((a, k) => Math.round(a + (end[k] - a) * f));
    return `rgb(${r},${g},${b})`;
  };
}

function linkWidth(weight) {
  return Number.isFinite(weight) ? Math.min(10, 1 + 1.8 * Math.abs(weight)) : 1;
}

function twoDigits(value) {
  return Number.isFinite(value) ? String(Number(value.toPrecision(2))) : String(value);
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

// A canvas of CSS size width x height, sharp on high-density screens.
function sizedCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

function offscreen(width, height) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  return { canvas, ctx, image: ctx.createImageData(width, height) };
}

class LossChart {
  constructor(canvas) {
    this.ctx = sizedCanvas(canvas, CHART.width, CHART.height);
    this.clear();
  }

  clear() {
    this.epoch = [];
    this.series = { train: [], test: [] };
    this.low = Infinity;
    this.high = -Infinity;
  }

  add(chunk) {
    if (chunk.reset) this.clear();
    for (let i = 0; i < chunk.epoch.length; i++) {
      this.epoch.push(chunk.epoch[i]);
      for (const name of ["train", "test"]) {
        const v = chunk[name][i];
        this.series[name].push(v);
        if (Number.isFinite(v)) {
          this.low = Math.min(this.low, v);
          this.high = Math.max(this.high, v);
        }
      }
    }
  }

  // Both curves over [first epoch, last epoch] x [min, max] of every finite loss.
  draw() {
    const { ctx, epoch } = this;
    ctx.clearRect(0, 0, CHART.width, CHART.height);
    const n = epoch.length;
    if (n === 0 || !Number.isFinite(this.low)) return;
    const x0 = epoch[0];
    const span = Math.max(epoch[n - 1], x0 + 1) - x0;
    const pad = 0.05 * (this.high - this.low) || 0.01;
    const low = this.low - pad;
    const scaleY = (CHART.height - 4) / (this.high + pad - low);
    const scaleX = (CHART.width - 4) / span;
    // Long runs: a point per half pixel is all a 150 px chart can show.
    const stride = Math.max(1, Math.floor(n / (2 * CHART.width)));
    ctx.lineWidth = 1.5;
    for (const [name, color] of [["train", "#777"], ["test", "black"]]) {
      const values = this.series[name];
      ctx.strokeStyle = color;
      ctx.beginPath();
      let drawing = false;
      for (let i = 0; i < n; i += stride) {
        const i_ = Math.min(i, n - 1);
        const v = values[i_];
        if (!Number.isFinite(v)) {
          drawing = false;
          continue;
        }
        const x = 2 + (epoch[i_] - x0) * scaleX;
        const y = CHART.height - 2 - (v - low) * scaleY;
        if (drawing) ctx.lineTo(x, y);
        else ctx.moveTo(x, y);
        drawing = true;
      }
      ctx.stroke();
    }
  }
}

class LiveView {
  constructor(model) {
    this.model = model;
    this.scene = null;
    this.frame = null; // the latest frame message not yet painted, or painted
    this.points = null;
    this.showTest = true;
    this.layerButtons = model.layer_buttons;
    this.hovered = -1; // node under the mouse
    this.dirty = { net: false, heat: false, points: false, chart: false, scene: false };
    this.scheduled = false;
    this.paintedFrame = 0;
    this.receivedFrame = 0;
    this.paints = 0; // since the last acknowledgement
    this.socket = null; // the tab's own frame socket, while open
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
    stage.append(this.linkCanvas, this.netCanvas, this.tooltip);
    net.append(this.header, this.neuronRow, stage);

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
    plot.append(this.heatCanvas, this.pointsCanvas);
    out.append(element("h4", "", "Output"), lossRow, plot);
    this.el.append(net, out);

    this.chart = new LossChart(chartCanvas);
    // The heatmap is the original's 100 x 100 canvas, scaled up (and smoothed) by CSS:
    // the browser then moves 40 kB a frame, not a full-size bitmap.
    this.heatCanvas.width = this.heatCanvas.height = 100;
    this.heatCtx = this.heatCanvas.getContext("2d");
    this.heatImage = this.heatCtx.createImageData(100, 100);
    this.pointsCtx = sizedCanvas(this.pointsCanvas, OUT.box + OUT.right, OUT.box);
    this.listen();
  }

  listen() {
    const canvas = this.stage; // both canvases and the tooltip: one box
    canvas.addEventListener("mousemove", (event) => this.pointerAt(event));
    canvas.addEventListener("mouseleave", () => this.leave());
    canvas.addEventListener("click", (event) => {
      const hit = this.hitAt(event);
      if (hit) this.model.send_msg({ tap: hit });
    });
  }

  // -- messages from Python -----------------------------------------------------------

  receive(msg) {
    if (msg.frame !== undefined) {
      if (msg.frame <= this.receivedFrame) return; // overtaken on the other socket
      this.receivedFrame = msg.frame;
    }
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
    if (arrays.chart_epoch) {
      this.chart.add({
        reset: msg.chart_reset,
        epoch: arrays.chart_epoch,
        train: arrays.chart_train,
        test: arrays.chart_test,
      });
      this.dirty.chart = true;
    }
    if (msg.frame !== undefined) {
      this.frame = { ...msg, ...arrays };
      this.dirty.net = this.dirty.heat = true;
    }
    this.schedule();
  }

  setScene(scene) {
    const first = this.scene === null;
    this.scene = scene;
    if (first) this.tables(scene);
    const [width, height] = scene.size;
    this.netCtx = sizedCanvas(this.netCanvas, width, height);
    this.linkCtx = sizedCanvas(this.linkCanvas, width, height);
    this.linkFrames = 0;
    this.el.style.setProperty("--net-width", `${width}px`);
    this.thumbs = offscreen(THUMB, THUMB * scene.nodes.x.length);
    this.linkPaths = scene.links.x0.map((x0, i) => {
      const { y0, x1, y1 } = scene.links;
      const path = new Path2D();
      const xm = (x0 + x1[i]) / 2; // d3's diagonal: control points at the middle x
      path.moveTo(x0, y0[i]);
      path.bezierCurveTo(xm, y0[i], xm, y1[i], x1[i], y1[i]);
      return path;
    });
    this.hovered = -1;
    this.tooltip.style.display = "none";
    this.controls(scene);
    this.dirty.net = this.dirty.scene = true;
  }

  tables(scene) {
    this.heatTable = rgbaTable(scene.palette, scene.heat_alpha);
    this.thumbTable = rgbaTable(scene.palette, 255);
    this.pointColors = scene.palette;
    this.weightColor = continuousScale(scene.scale, scene.palette[scene.palette.length - 1]);
  }

  // The +/- buttons: rebuilt here, with the scene, at no cost to the server.
  controls(scene) {
    const { header, layers } = scene;
    this.header.replaceChildren();
    const layerButtons = element("div", "buttons ui-numHiddenLayers");
    layerButtons.append(
      this.button("+", "Add a hidden layer", !header.add, { layers: 1 }),
      this.button(MINUS, "Remove a hidden layer", !header.remove, { layers: -1 }),
    );
    layerButtons.style.visibility = this.layerButtons ? "visible" : "hidden";
    const label = element("div", "num-layers");
    label.append(element("div", "", header.text));
    const group = element("div", "layer-group");
    group.append(layerButtons, label);
    group.style.left = `${header.centre}px`;
    this.header.append(group);

    this.neuronRow.replaceChildren(
      ...layers.map((layer, k) => {
        const control = element("div", `neuron-control ui-numNodes${k}`);
        const buttons = element("div", "buttons");
        buttons.append(
          this.button("+", "Add a neuron", !layer.add, { neurons: [k, 1] }),
          this.button(MINUS, "Remove a neuron", !layer.remove, { neurons: [k, -1] }),
        );
        control.append(buttons, element("div", "caption", layer.caption));
        control.style.left = `${layer.centre}px`;
        return control;
      }),
    );
  }

  button(sign, title, disabled, message) {
    const button = element("button", "", sign);
    button.title = title;
    button.disabled = disabled;
    button.addEventListener("click", () => this.model.send_msg(message));
    return button;
  }

  setLayerButtons(visible) {
    this.layerButtons = visible;
    const buttons = this.header.querySelector(".ui-numHiddenLayers");
    if (buttons) buttons.style.visibility = visible ? "visible" : "hidden";
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
    const frame = this.frame;
    if (this.scene && frame) {
      if (this.dirty.heat) this.paintHeatmap(frame);
      if (this.dirty.net) this.paintNetwork(frame);
    }
    if (this.dirty.points && this.scene) this.paintPoints();
    if (this.dirty.chart) this.chart.draw();
    this.dirty = { net: false, heat: false, points: false, chart: false, scene: false };
    if (frame && frame.frame > this.paintedFrame) {
      this.paintedFrame = frame.frame;
      // The epoch counter is another component; it listens for this (controls.py).
      window.dispatchEvent(new CustomEvent("playground-epoch", { detail: frame.epoch }));
      // Drawn in this animation frame, so on screen once it returns.
      window.__playgroundPainted = (window.__playgroundPainted || 0) + 1;
      this.paints += 1;
      this.acknowledge();
    }
  }

  acknowledge() {
    if (this.ackTimer) return; // an acknowledgement is already due: it takes the latest
    const send = () => {
      this.ackTimer = null;
      this.lastAck = performance.now();
      // How often it painted tells the server how many frames to keep coming.
      const ack = { ack: [this.paintedFrame, this.paints] };
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(ack));
      else this.model.send_msg(ack);
      this.paints = 0;
    };
    const wait = (this.lastAck ?? -Infinity) + ACK_EVERY_MS - performance.now();
    if (wait <= 0) send();
    else this.ackTimer = setTimeout(send, wait);
  }

  paintHeatmap(frame) {
    paintIndices(this.heatImage, frame.heatmap, this.heatTable);
    this.heatCtx.putImageData(this.heatImage, 0, 0);
    const [test, train] = frame.losses;
    const text = `Test loss <b>${test}</b><br>Training loss <b>${train}</b>`;
    if (this.lossLines.innerHTML !== text) this.lossLines.innerHTML = text;
  }

  paintLinks(frame) {
    const { linkCtx: ctx, scene } = this;
    const weights = frame.weights;
    const dashed = weights.length <= MAX_DASHED_LINKS;
    this.linkFrames += 1;
    if (!dashed && this.linkFrames % 2 === 0 && !this.dirty.scene) return;
    ctx.clearRect(0, 0, ...scene.size);
    if (weights.length !== this.linkPaths.length) return;
    if (dashed) {
      ctx.setLineDash([9, 1]);
      ctx.lineDashOffset = frame.dash;
    }
    this.linkPaths.forEach((path, i) => {
      ctx.strokeStyle = this.weightColor(weights[i]);
      ctx.lineWidth = linkWidth(weights[i]);
      ctx.stroke(path);
    });
    ctx.setLineDash([]);
  }

  paintNetwork(frame) {
    const { scene, netCtx: ctx, thumbs } = this;
    const { nodes, biases } = scene;
    const [width, height] = scene.size;
    const n = nodes.x.length;
    ctx.clearRect(0, 0, width, height);
    this.paintLinks(frame);
    if (frame.thumbs.length === THUMB * THUMB * n) {
      paintIndices(thumbs.image, frame.thumbs, this.thumbTable);
      thumbs.ctx.putImageData(thumbs.image, 0, 0);
      for (let i = 0; i < n; i++) {
        ctx.globalAlpha = nodes.active[i] ? 1 : INACTIVE_ALPHA;
        ctx.drawImage(thumbs.canvas, 0, THUMB * i, THUMB, THUMB, nodes.x[i], nodes.y[i], NODE, NODE);
      }
      ctx.globalAlpha = 1;
    }
    for (let i = 0; i < n; i++) {
      const hovered = i === this.hovered;
      if (!nodes.active[i] && !hovered) continue;
      ctx.strokeStyle = hovered ? "black" : "#222";
      ctx.lineWidth = hovered ? 2 : 1;
      ctx.strokeRect(nodes.x[i] + 0.5, nodes.y[i] + 0.5, NODE - 1, NODE - 1);
    }
    ctx.font = '13px "Helvetica Neue", Helvetica, Arial, sans-serif';
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    ctx.fillStyle = "#333";
    nodes.label.forEach((label, i) => {
      if (!label) return;
      ctx.globalAlpha = nodes.active[i] ? 1 : 0.5;
      ctx.fillText(label, nodes.x[i] - 10, nodes.y[i] + NODE / 2);
    });
    ctx.globalAlpha = 1;
    if (frame.biases.length === biases.x.length) {
      biases.x.forEach((x, i) => {
        ctx.fillStyle = this.weightColor(frame.biases[i]);
        ctx.fillRect(x, biases.y[i], BIAS, BIAS);
      });
    }
  }

  // Points and axes change only with the data: their own canvas over the heatmap.
  paintPoints() {
    const ctx = this.pointsCtx;
    const size = OUT.box - 2 * OUT.pad;
    ctx.clearRect(0, 0, OUT.box + OUT.right, OUT.box);
    this.paintAxes(ctx, size);
    if (!this.points) return;
    const toPx = (v) => OUT.pad + ((v + 6) / 12) * size;
    const sets = [[this.points.train, "white", 1]];
    if (this.showTest) sets.push([this.points.test, "black", 0.6]);
    for (const [set, stroke, strokeAlpha] of sets) {
      for (let i = 0; i < set.x.length; i++) {
        ctx.beginPath();
        ctx.arc(toPx(set.x[i]), toPx(-set.y[i]), 3, 0, 2 * Math.PI);
        ctx.fillStyle = this.pointColors[set.c[i]];
        ctx.fill();
        ctx.globalAlpha = strokeAlpha;
        ctx.strokeStyle = stroke;
        ctx.lineWidth = 1;
        ctx.stroke();
        ctx.globalAlpha = 1;
      }
    }
  }

  // x at the bottom, y on the right, ticks -6..6; the 0 tick darker (INVENTORY A4).
  paintAxes(ctx, size) {
    ctx.font = "9px sans-serif";
    ctx.lineWidth = 1;
    const end = OUT.pad + size;
    for (let v = -6; v <= 6; v++) {
      const at = Math.round(OUT.pad + ((v + 6) / 12) * size) + 0.5;
      ctx.strokeStyle = ctx.fillStyle = v === 0 ? "#000" : "#888";
      ctx.beginPath();
      ctx.moveTo(at, end);
      ctx.lineTo(at, end + 4);
      ctx.moveTo(end, OUT.box - at);
      ctx.lineTo(end + 4, OUT.box - at);
      ctx.stroke();
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.fillText(String(v), at, end + 5);
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      ctx.fillText(String(v), end + 6, OUT.box - at);
    }
  }

  // -- the mouse ----------------------------------------------------------------------

  local(event) {
    const box = this.netCanvas.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  }

  // What is under the mouse: ["node" | "bias" | "link", index] or null.
  hitAt(event) {
    if (!this.scene) return null;
    const [x, y] = this.local(event);
    const { nodes, biases } = this.scene;
    for (let i = 0; i < nodes.x.length; i++) {
      if (x >= nodes.x[i] && x <= nodes.x[i] + NODE && y >= nodes.y[i] && y <= nodes.y[i] + NODE) {
        return ["node", i];
      }
    }
    for (let i = 0; i < biases.x.length; i++) {
      const dx = x - biases.x[i];
      const dy = y - biases.y[i];
      if (dx >= -2 && dx <= BIAS + 2 && dy >= -2 && dy <= BIAS + 2) return ["bias", i];
    }
    const ctx = this.linkCtx;
    const ratio = window.devicePixelRatio || 1;
    ctx.lineWidth = LINK_HIT_WIDTH;
    for (let i = this.linkPaths.length - 1; i >= 0; i--) {
      if (ctx.isPointInStroke(this.linkPaths[i], x * ratio, y * ratio)) return ["link", i];
    }
    return null;
  }

  pointerAt(event) {
    const hit = this.hitAt(event);
    const node = hit && hit[0] === "node" ? hit[1] : -1;
    if (node !== this.hovered) {
      this.hovered = node;
      this.model.send_msg({ hover: node });
      this.dirty.net = true;
      this.schedule();
    }
    this.stage.style.cursor = hit && (hit[0] !== "node" || hit[1] < this.scene.n_inputs) ? "pointer" : "";
    this.showTooltip(hit, event);
  }

  showTooltip(hit, event) {
    const frame = this.frame;
    if (!hit || hit[0] === "node" || !frame) {
      this.tooltip.style.display = "none";
      return;
    }
    const [kind, i] = hit;
    const value = kind === "link" ? frame.weights[i] : frame.biases[i];
    this.tooltip.textContent = `${kind === "link" ? "Weight" : "Bias"} is ${twoDigits(value)}. Click to edit.`;
    const [x, y] = this.local(event);
    this.tooltip.style.left = `${x + 12}px`;
    this.tooltip.style.top = `${y + 12}px`;
    this.tooltip.style.display = "block";
  }

  leave() {
    this.tooltip.style.display = "none";
    if (this.hovered !== -1) {
      this.hovered = -1;
      this.model.send_msg({ hover: -1 });
      this.dirty.net = true;
      this.schedule();
    }
  }
}

export function render({ model }) {
  const view = new LiveView(model);
  model.on("msg:custom", (msg) => view.receive(msg));
  model.on("layer_buttons", () => view.setLayerButtons(model.layer_buttons));
  model.send_msg({ ready: true }); // Python answers with a whole frame, scene and all
  if (model.frame_socket) model.on("remove", openFrameSocket(view, model.frame_socket));
  return view.el;
}
