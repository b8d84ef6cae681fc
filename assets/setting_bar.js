// A bar of setting controls (playground/views/setting_bar.py): dropdowns, sliders,
// number fields and checkboxes drawn from Python's specs, each in an element with its
// setting's css class (``ui-<id>``), its label tied to it and its hint beside it.
//
// A change goes to Python as one message, {name, value, n} (the control's n-th); what
// the bar shows comes back in ``values``. A control shows what Python says only once
// Python has answered all its changes (``answered``): an answer to an earlier step of a
// drag, or to the first of three key presses, does not pull it back.

import { hintMark, HINT_STYLE } from "./hints.js";

function same(a, b) {
  if (a === b) return true;
  return typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= 1e-12 * Math.abs(a);
}

// A slider's value to its step's digits, without trailing zeros: 12.5, 0.05, 1.
function stepped(value, step) {
  const digits = (String(step).split(".")[1] || "").length;
  return String(Number(Number(value).toFixed(digits)));
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

// The title above a control: its label (tied to it, and its accessible name), a
// slider's value, and the hint's "?" (outside the label, which names the control).
function titleFor(spec, input, value) {
  const title = element("div", "title");
  const label = element("label", "words", spec.label);
  label.htmlFor = input.id;
  title.append(label);
  if (value) {
    const reading = element("span", "reading", ": ");
    reading.append(value);
    title.append(reading);
  }
  title.append(hintMark(spec.hint, spec.label));
  input.setAttribute("aria-description", spec.hint);
  return title;
}

// Each kind of control: draws it into ``box``, wires ``send``, returns how to show a value.
const KINDS = {
  select(spec, box, send) {
    const input = element("select");
    input.id = `setting-${spec.key}`;
    // An option's value is its label, unique in its list (as a form would send it).
    for (const [text] of spec.options) input.add(new Option(text, text));
    input.addEventListener("change", () => {
      const option = spec.options[input.selectedIndex];
      if (option) send(option[1]);
    });
    box.append(titleFor(spec, input), input);
    return (value) => {
      const index = spec.options.findIndex(([, v]) => same(v, value));
      if (index >= 0) {
        input.querySelector("option.other")?.remove();
        input.selectedIndex = index;
        return;
      }
      // A value a link gave that is none of the choices: shown as it is.
      let other = input.querySelector("option.other");
      if (!other) {
        other = new Option("", "");
        other.className = "other";
        input.add(other);
      }
      other.textContent = String(value);
      other.selected = true;
    };
  },

  range(spec, box, send) {
    const input = element("input");
    input.type = "range";
    input.id = `setting-${spec.key}`;
    Object.assign(input, { min: spec.low, max: spec.high, step: spec.step });
    const shown = element("span", "value");
    input.addEventListener("input", () => {
      shown.textContent = stepped(input.value, spec.step);
      send(Number(input.value));
    });
    box.append(titleFor(spec, input, shown), input);
    return (value) => {
      input.value = value;
      shown.textContent = stepped(value, spec.step);
      input.setAttribute("aria-valuetext", shown.textContent);
    };
  },

  number(spec, box, send) {
    const input = element("input");
    input.type = "number";
    input.id = `setting-${spec.key}`;
    input.inputMode = "decimal";
    Object.assign(input, { min: spec.low, max: spec.high, step: spec.step });
    // Text that is no number goes as it is: Python says what was wrong with it.
    input.addEventListener("change", () => {
      const number = input.valueAsNumber;
      send(Number.isFinite(number) ? number : input.value);
    });
    box.append(titleFor(spec, input), input);
    return (value) => {
      input.value = value;
    };
  },

  checkbox(spec, box, send) {
    const label = element("label", "check");
    const input = element("input");
    input.type = "checkbox";
    input.id = `setting-${spec.key}`;
    input.setAttribute("aria-description", spec.hint);
    input.addEventListener("change", () => send(input.checked));
    label.append(input, element("span", "words", spec.label));
    box.append(label, hintMark(spec.hint, spec.label));
    return (value) => {
      input.checked = Boolean(value);
    };
  },
};

export function render({ model }) {
  const bar = element("div", `bar ${model.arrange}`);
  const style = element("style", "", HINT_STYLE);
  const made = new Map(); // key -> {box, show, spec}
  const sent = {}; // setting name -> how many changes its control has sent

  const make = (spec) => {
    const box = element("div", `control ${spec.kind} ${spec.css}`);
    const send = (value) => {
      sent[spec.name] = (sent[spec.name] ?? 0) + 1;
      model.send_msg({ name: spec.name, value, n: sent[spec.name] });
    };
    const show = KINDS[spec.kind](spec, box, send);
    return { box, show, spec };
  };

  const showValues = () => {
    for (const { show, spec } of made.values()) {
      const waiting = (model.answered[spec.name] ?? 0) < (sent[spec.name] ?? 0);
      if (spec.name in model.values && !waiting) show(model.values[spec.name]);
    }
  };

  // The controls in order, those already drawn kept where they are (a focused one
  // keeps its focus), new ones drawn, the others gone.
  const arrange = () => {
    const wanted = [];
    for (const spec of model.controls) {
      let entry = made.get(spec.key);
      if (!entry || JSON.stringify(entry.spec) !== JSON.stringify(spec)) {
        entry?.box.remove();
        entry = make(spec);
        made.set(spec.key, entry);
      }
      wanted.push(entry.box);
    }
    for (const [key, entry] of made) {
      if (!wanted.includes(entry.box)) {
        entry.box.remove();
        made.delete(key);
      }
    }
    wanted.forEach((box, i) => {
      if (bar.children[i] !== box) bar.insertBefore(box, bar.children[i] ?? null);
    });
    for (const { box, spec } of made.values()) {
      const away = model.held.includes(spec.key);
      box.classList.toggle("not-applying", away);
      box.inert = away;
    }
    showValues();
  };

  model.on(["controls", "held"], arrange);
  model.on(["values", "answered"], showValues);
  arrange();
  const root = element("div");
  root.append(style, bar);
  return root;
}
