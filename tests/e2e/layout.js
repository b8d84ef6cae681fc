// Measures the page for tests/e2e/test_layout.py and test_pages.py: boxes of named parts
// and the text that is smaller than a given size, looking into every open shadow root.
// The argument: the smallest text size, or {minPx, parts: {name: css selector}}.
(arg) => {
  const APP_PARTS = { play: ".ui-playButton", plot: ".output-plot", diagram: ".net-fit" };
  const { minPx, parts } = typeof arg === "number" ? { minPx: arg, parts: APP_PARTS } : arg;
  const all = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  // The drawing that el is part of (the live view enlarges or shrinks each as a whole
  // with a CSS transform), across shadow roots, or null.
  const drawing = (el) => {
    for (let node = el; node; ) {
      const found = node.closest(".network-diagram, .output-plot");
      if (found) return found;
      const root = node.getRootNode();
      node = root instanceof ShadowRoot ? root.host : null;
    }
    return null;
  };
  // How large text in el is on the screen: its font size times its drawing's scale.
  const screenSize = (el, style) => {
    const box = drawing(el);
    const zoom = box ? new DOMMatrix(getComputedStyle(box).transform).a : 1;
    return parseFloat(style.fontSize) * zoom;
  };
  const box = (selector) => {
    const el = all.find((e) => e.matches(selector) && e.getBoundingClientRect().width > 0);
    if (!el) return null;
    const { left, top, right, bottom } = el.getBoundingClientRect();
    return { left, top, right, bottom };
  };
  const ownText = (el) =>
    [...el.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent.trim())
      .join(" ")
      .trim();
  const small = [];
  for (const el of all) {
    const text = ownText(el);
    if (!text || ["STYLE", "SCRIPT", "OPTION", "TITLE"].includes(el.tagName)) continue;
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (rect.width === 0 || rect.height === 0 || style.visibility === "hidden") continue;
    const size = screenSize(el, style);
    if (size < minPx) small.push(`${text.slice(0, 40)} (${size.toFixed(2)}px)`);
  }
  const boxes = Object.fromEntries(Object.entries(parts).map(([name, css]) => [name, box(css)]));
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth,
    innerHeight,
    ...boxes,
    small,
  };
}
