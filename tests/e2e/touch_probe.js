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
  const HALF = 21; // a pixel less: the browser hit-tests whole pixels
  const OFFSETS = [-HALF, -HALF / 2, 0, HALF / 2, HALF];
  // Its four corners are left out (a fingertip is round, and so are buttons' corners),
  // and points past the screen's edge (a finger there covers the edge).
  const square = (cx, cy) =>
    OFFSETS.flatMap((dx) => OFFSETS.map((dy) => [dx, dy]))
      .filter(([dx, dy]) => Math.abs(dx) < HALF || Math.abs(dy) < HALF)
      .map(([dx, dy]) => [cx + dx, cy + dy])
      .filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
  // Whether ``node`` is ``el`` or inside it, across shadow roots.
  const inside = (el, node) => {
    for (let n = node; n; n = n.parentNode ?? n.host) if (n === el) return true;
    return false;
  };
  window.touchProbe = { deepAll, deepPoint, square, inside };
})();
