// Small DOM and canvas helpers shared by the live view's modules.

export function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

// A canvas of CSS size width x height, sharp on high-density screens; ``zoom``: how much
// a CSS transform around it enlarges it (its backing store grows with it, so the
// enlarged picture stays sharp while drawing code keeps its own coordinates).
export function sizedCanvas(canvas, width, height, zoom = 1) {
  const ratio = (window.devicePixelRatio || 1) * zoom;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

export function offscreen(width, height) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  return { canvas, ctx, image: ctx.createImageData(width, height) };
}
