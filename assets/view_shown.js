// Tells the kernel when a notebook view can take what it sends (playground/notebook_view.py).
//
// Panel's comm manager drops each message that reaches the browser before Bokeh has
// rendered the view's root (it looks the root up where Bokeh indexes the views it has
// rendered), while the comm opens as soon as the view's document has been read. So the
// kernel holds its messages until this says "shown", once the root is in that index.
// The kernel answers "open"; until then "shown" is said again: a message sent while
// the browser's side of Panel's comm is still opening does not reach the kernel.

const WAIT_MS = 20; // for the root to be rendered
const AGAIN_MS = 500; // for the kernel's answer

function rendered(root) {
  if (window.PyViz?.plot_index?.[root] != null) return true;
  const index = window.Bokeh?.index;
  return index != null && root in index;
}

export function render({ model, view }) {
  const root = view.root.model.id;
  let answered = false;
  let removed = false;
  model.on("msg:custom", (message) => {
    if (message === "open") answered = true;
  });
  model.on("remove", () => {
    removed = true;
  });
  const tell = () => {
    if (answered || removed) return;
    if (!rendered(root)) {
      setTimeout(tell, WAIT_MS);
      return;
    }
    model.send_msg("shown");
    setTimeout(tell, AGAIN_MS);
  };
  tell();
}
