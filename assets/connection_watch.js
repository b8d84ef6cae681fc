// The lost-connection notice for the pages without a live view (the labs and the home
// page): nothing to draw, only Bokeh's word that the document's websocket closed, and
// then reconnect.js's notice, which reloads the page with its scene once the server
// answers again (every page keeps its whole scene in its URL).
//
// Python: playground/labs/connection.py (`ConnectionWatch`, one per page).

import { watchBokehConnection } from "./reconnect.js";

export function render({ model, view }) {
  const stopped = ` ${model.stopped}`;
  watchBokehConnection(view?.model?.document, () => {}, stopped);
  return document.createElement("span");
}
