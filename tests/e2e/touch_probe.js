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
  const HALF = 21.75;
  const OFFSETS = [-HALF, -HALF / 2, 0, HALF / 2, HALF];
  // (Points past the screen's edge are left out: a finger there covers the edge.)
  const square = (cx, cy) =>
    OFFSETS.flatMap((dx) => OFFSETS.map((dy) => [cx + dx, cy + dy])).filter(
      ([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight,
    );
  window.touchProbe = { deepAll, deepPoint, square };
})();
