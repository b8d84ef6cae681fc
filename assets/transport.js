// How frames reach the view and acknowledgements reach the server.
//
// When the server has the route (model.frame_socket), frames and acknowledgements go
// over a websocket of the tab's own (playground/pipe/channel.py): Bokeh's protocol costs the
// server as much per message as drawing the frame. Until it opens, or if it closes,
// Bokeh's websocket carries them; whichever way a frame came, one older than the newest
// already received is dropped (LiveView.receive).

import { decodeFrame } from "./decode.js";

// Over Bokeh's socket an acknowledgement costs the server a third of a frame's work (a
// message in, a reply out), so the latest painted frame is acknowledged at most this
// often; the server allows for it (MAX_LAG_S in playground/pipe/pacing.py).
const ACK_EVERY_MS = 200;
// The tab's token names its server process (its worker): a socket that reaches another
// one is closed at once with this code (playground/pipe/route.py), and one whose worker
// no longer has the tab with 4404, which is never worth another try.
const WRONG_WORKER = 4409;
// Behind the proxy of `playground serve --workers` every socket of a tab reaches its
// worker. With --num-procs the kernel picks a process for each connection, so a socket
// refused as WRONG_WORKER is tried again a few times, further apart each time.
const SOCKET_TRIES = 8;
const FIRST_RETRY_MS = 50;
// The close code of a socket whose other end vanished without a word: the server's
// process died (or the network went). A server that ends a tab closes it properly.
const ABNORMAL_CLOSURE = 1006;
const REOPEN_AFTER_MS = 1000;

// Opens the tab's frame socket at path (relative to the page, e.g. ./playground-frames).
// on.open(socket) / on.close(socket): the socket can / can no longer carry messages;
// on.message(msg): a frame, decoded; on.gone(): the socket that was open closed
// abnormally and its tab's worker does not have it again, so that worker is gone.
// Returns a function that closes it for good.
export function openFrameSocket(path, on) {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  let tries = 0;
  let socket = null;
  let closed = false;
  let wasOpen = false; // since the last abnormal closure
  let reopening = false; // after an abnormal closure of an open socket
  const connect = () => {
    socket = new WebSocket(url);
    socket.binaryType = "arraybuffer";
    socket.onopen = () => {
      tries = 0;
      wasOpen = true;
      reopening = false;
      on.open(socket);
    };
    socket.onmessage = (event) => on.message(decodeFrame(event.data));
    socket.onclose = (event) => {
      on.close(socket);
      if (closed) return;
      if (wasOpen && event.code === ABNORMAL_CLOSURE) {
        // Its process may have died: look for the tab once more, then say so.
        wasOpen = false;
        reopening = true;
        tries = 0;
        setTimeout(() => closed || connect(), REOPEN_AFTER_MS);
      } else if (event.code === WRONG_WORKER && !reopening && ++tries < SOCKET_TRIES) {
        setTimeout(() => closed || connect(), FIRST_RETRY_MS * 2 ** (tries - 1));
      } else if (reopening) {
        // The tab's worker is gone: nothing answers, another worker answered (one that
        // died and started again has a new id and knows nothing of the tab), or it no
        // longer has the tab.
        reopening = false;
        on.gone();
      }
    };
  };
  connect();
  return () => {
    closed = true;
    socket.close();
  };
}

// Acknowledges the latest painted frame, at most every ACK_EVERY_MS: the server sends
// no more frames than the browser shows (playground/pipe/pacing.py).
export class Acknowledger {
  // send(message): sends a small message to the server by whichever way is open.
  constructor(send) {
    this.send = send;
    this.timer = null;
    this.last = -Infinity;
    this.frame = 0;
    this.paints = 0; // since the last acknowledgement
  }

  painted(frame) {
    this.frame = frame;
    this.paints += 1;
    if (this.timer !== null) return; // an acknowledgement is already due: it takes the latest
    const wait = this.last + ACK_EVERY_MS - performance.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  flush() {
    this.timer = null;
    this.last = performance.now();
    // How often it painted tells the server how many frames to keep coming.
    this.send({ ack: [this.frame, this.paints] });
    this.paints = 0;
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
  }
}
