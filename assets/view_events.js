// What one live view tells the other parts of its scene, such as its epoch counter,
// which Panel renders as another component: the view's own EventTarget, found by the
// view's id (LiveView.view_id), so that two scenes on one page never hear each other.
//
// Events: "painted", once per painted frame, detail {frame, epoch}; the target counts
// them in `painted` (tests and benchmarks read it). window.playgroundViews (view id ->
// target) is the page's one entry point; a tool may set it first, to a Map of its own.

export function viewEvents(id) {
  const views = (window.playgroundViews ??= new Map());
  let target = views.get(id);
  if (!target) {
    target = new EventTarget();
    target.painted = 0;
    views.set(id, target);
  }
  return target;
}

// Tells the view's scene that a frame is on screen.
export function announcePainted(target, frame, epoch) {
  target.painted += 1;
  target.dispatchEvent(new CustomEvent("painted", { detail: { frame, epoch } }));
}
