// A table of images (the digits, playground/views/image_inputs.py): the output plot shows
// test images instead of the plane, each with the class the network gives it, green
// where right and red, with the true class in brackets, where wrong. And the plot's
// modes as methods of the live view: points, Draw mode (draw.js), or the gallery.

import { OUT, paintPoints } from "./paint.js";

const PER_ROW = 6;
const RIGHT = "#2e8b57";
const WRONG = "#c8553d";

// Where image i sits in the plot's own pixels: its cell's left, top and side.
function cell(i) {
  const side = (OUT.box - 2 * OUT.pad) / PER_ROW;
  return [OUT.pad + (i % PER_ROW) * side, OUT.pad + Math.floor(i / PER_ROW) * side, side];
}

// The image at (px, py) in the plot's own pixels, or -1.
export function imageAt(count, px, py) {
  for (let i = 0; i < count; i++) {
    const [left, top, side] = cell(i);
    if (px >= left && px < left + side && py >= top && py < top + side) return i;
  }
  return -1;
}

// scene: {shape: [rows, cols], names}; images: {ink, actual, given} (uint8 arrays).
export function paintGallery(ctx, scene, images) {
  ctx.clearRect(0, 0, OUT.box + OUT.right, OUT.box);
  if (!images || !images.ink) return;
  const [rows, cols] = scene.shape;
  const count = images.actual.length;
  const sheet = document.createElement("canvas");
  sheet.width = cols;
  sheet.height = rows * count;
  const sheetCtx = sheet.getContext("2d");
  const pixels = sheetCtx.createImageData(cols, rows * count);
  images.ink.forEach((ink, k) => {
    const grey = 255 - ink;
    pixels.data.set([grey, grey, grey, 255], 4 * k);
  });
  sheetCtx.putImageData(pixels, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (let i = 0; i < count; i++) {
    const [left, top, side] = cell(i);
    const picture = side * 0.64;
    const x = left + (side - picture) / 2;
    ctx.drawImage(sheet, 0, rows * i, cols, rows, x, top + 1, picture, picture);
    const given = images.given ? images.given[i] : null;
    if (given === null || given === undefined) continue;
    const right = given === images.actual[i];
    ctx.strokeStyle = right ? RIGHT : WRONG;
    ctx.lineWidth = right ? 1 : 2;
    ctx.strokeRect(x - 0.5, top + 0.5, picture + 1, picture + 1);
    ctx.fillStyle = right ? RIGHT : WRONG;
    ctx.font = `bold ${Math.round(side * 0.24)}px sans-serif`;
    const name = scene.names[given] ?? String(given);
    const text = right ? name : `${name} (${scene.names[images.actual[i]] ?? ""})`;
    ctx.fillText(text, left + side / 2, top + picture + 3, side - 2);
  }
}

export const plotModeMethods = {
  // A click on the plot: a gallery image to show as the input, or a point drawn.
  listenToPlot() {
    this.plot.addEventListener("click", (event) => {
      const box = this.plot.getBoundingClientRect();
      const [x, y] = [event.clientX - box.left, event.clientY - box.top].map(
        (v) => v / this.scales.out,
      );
      const images = this.galleryImages;
      if (this.scene?.gallery && images?.actual) {
        const i = imageAt(images.actual.length, x, y);
        if (i >= 0) this.send({ gallery: i });
      } else this.drawBar.clickAt(x, y);
    });
  },

  // A message's draw bar and gallery; whether the plot is to be painted again.
  applyPlotModes(msg, arrays) {
    let changed = false;
    if (msg.draw) {
      this.drawBar.show(msg.draw);
      this.plot.classList.toggle("drawing", msg.draw.on);
      changed = true;
    }
    if (arrays.gallery_ink) {
      this.galleryImages = { ink: arrays.gallery_ink, actual: arrays.gallery_true };
    }
    if (arrays.gallery_given && this.galleryImages) {
      this.galleryImages.given = arrays.gallery_given;
      changed = true;
    }
    return changed;
  },

  paintPlot(scene) {
    if (scene.gallery) {
      paintGallery(this.pointsCtx, scene.gallery, this.galleryImages);
      return;
    }
    const showTest = this.showTest || this.drawBar.on; // every drawn point, to click
    paintPoints(this.pointsCtx, this.points, showTest, this.colours.points);
  },
};
