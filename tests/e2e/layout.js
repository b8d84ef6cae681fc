// Measures the page for tests/e2e/test_layout.py: boxes of named parts and the text
// that is smaller than a given size, looking into every open shadow root.
(minPx) => {
  const all = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  // Whether el or an ancestor, across shadow roots, matches the selector.
  const within = (el, selector) => {
    for (let node = el; node; ) {
      const found = node.closest(selector);
      if (found) return true;
      const root = node.getRootNode();
      node = root instanceof ShadowRoot ? root.host : null;
    }
    return false;
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
    // Drawings scale with their picture; the training charts' tick labels are small.
    if (within(el, ".net-fit, .plot-fit, .insight")) continue;
    const size = parseFloat(style.fontSize);
    if (size < minPx) small.push(`${text.slice(0, 40)} (${size}px)`);
  }
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth,
    innerHeight,
    play: box(".ui-playButton"),
    plot: box(".output-plot"),
    diagram: box(".net-fit"),
    small,
  };
}
