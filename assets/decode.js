// A frame's arrays as typed arrays over its one binary buffer.
//
// Arrays travel packed in ONE binary buffer per message ("binary", described by
// "parts": name -> [type, byte offset, length]): Bokeh sends each buffer as websocket
// frames of its own, and a dozen of them cost the server more than the numbers inside.
// On the tab's own frame socket a message is one binary message: a uint32 length, that
// much JSON, padding to ALIGN bytes, the arrays.

export const ALIGN = 8; // a frame socket message's arrays start at a multiple of this (pack)

const TYPED = { u8: Uint8Array, u16: Uint16Array, f32: Float32Array, f64: Float64Array };

// name -> typed array viewing buffer (base: where the arrays start in it).
export function unpack(buffer, parts, base = 0) {
  const arrays = {};
  for (const [name, [type, offset, length]] of Object.entries(parts || {})) {
    arrays[name] = new TYPED[type](buffer, base + offset, length);
  }
  return arrays;
}

// A frame socket message as the message Bokeh would have delivered (base: where the
// arrays start).
export function decodeFrame(buffer) {
  const length = new DataView(buffer).getUint32(0, true);
  const msg = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, length)));
  msg.binary = buffer;
  msg.base = Math.ceil((4 + length) / ALIGN) * ALIGN;
  return msg;
}

// The pictures (the big one, the thumbnails) a view keeps: a frame brings all of one
// ("heatmap"), or the pixels that changed since the last frame ("heatmap_at",
// "heatmap_to": playground/views/delta.py), written into the one in ``kept``.
export function keepPictures(kept, arrays) {
  for (const name of ["heatmap", "thumbs"]) {
    const at = arrays[`${name}_at`];
    if (arrays[name]) {
      kept[name] = Uint8Array.from(arrays[name]);
    } else if (at && kept[name]) {
      const to = arrays[`${name}_to`];
      for (let i = 0; i < at.length; i++) kept[name][at[i]] = to[i];
    }
  }
  return kept;
}
