// Where a finger lands: helpers for tests/e2e/test_touch.py, evaluated in the page.
// deepAll and deepPoint look inside shadow roots (Panel draws each widget in one).
(() => {
  const deepAll = (root, selector, found = []) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.matches(selector)) found.push(el);
      if (el.shadowRoot) deepAll(el.shadowRoot, selector, found);
    }
    return found;
  };
  const deepPoint = (x, y) => {
    let el = document.elementFromPoint(x, y);
    while (el?.shadowRoot) {
      const inner = el.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === el) break;
      el = inner;
    }
    return el;
  };
  // Offsets from a target's centre that a finger's square (44 px) covers: a 5 by 5 grid.
  const FINGER = 44;
  const HALF = FINGER / 2 - 1; // a pixel less: the browser hit-tests whole pixels
  const OFFSETS = [-HALF, -HALF / 2, 0, HALF / 2, HALF];
  // Its four corners are left out (a fingertip is round, and so are buttons' corners),
  // and points past the screen's edge (a finger there covers the edge).
  const square = (cx, cy) =>
    OFFSETS.flatMap((dx) => OFFSETS.map((dy) => [dx, dy]))
      .filter(([dx, dy]) => Math.abs(dx) < HALF || Math.abs(dy) < HALF)
      .map(([dx, dy]) => [cx + dx, cy + dy])
      .filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
  // A finger's square owned outright: its corners, the middles of its edges and its
  // centre, as offsets from the centre.
  const EDGES = [-HALF, 0, HALF];
  const FINGER_POINTS = EDGES.flatMap((dx) => EDGES.map((dy) => [dx, dy]));
  // Whether ``node`` is ``el`` or inside it, across shadow roots.
  const inside = (el, node) => {
    for (let n = node; n; n = n.parentNode ?? n.host) if (n === el) return true;
    return false;
  };
  const centre = (el) => {
    const box = el.getBoundingClientRect();
    return [box.left + box.width / 2, box.top + box.height / 2];
  };
  // Pairs of [name, x, y] whose finger's squares (44 px, centred there) overlap.
  const overlapping = (targets) => {
    const found = [];
    targets.forEach(([a, ax, ay], i) => {
      for (const [b, bx, by] of targets.slice(i + 1)) {
        const apart = Math.max(Math.abs(ax - bx), Math.abs(ay - by));
        if (apart < FINGER - 0.1) found.push(`${a} and ${b}: ${apart.toFixed(1)} px apart`);
      }
    });
    return found;
  };
  window.touchProbe = { deepAll, deepPoint, square, inside, centre, overlapping, FINGER_POINTS };
})();
