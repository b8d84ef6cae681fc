// Files in and out (playground/views/files.py): open a CSV or a saved scene with the
// button or by dropping it anywhere on the page, and save what the page shows. A file is
// sent as [name, size, base64 of its bytes]; one larger than the server reads is sent
// without its bytes, so the server can say why it refused it. A saved file comes back as
// {download: {name, mime, data}} and is handed to the browser's downloads.

const SAVES = [
  ["csv", "Data (CSV)", "The points and their labels, training points first"],
  ["scene", "Scene", "Settings, data, initial and current weights: open it again here, or replay it"],
  ["model", "Model (JSON)", "The trained network's weights and what it computes"],
  ["script", "NumPy script", "A Python file that rebuilds the network with NumPy alone"],
  ["png", "Picture (PNG)", "The output plot with its points"],
  ["loss_png", "Loss chart (PNG)", "The training and test loss curves"],
];

function make(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

function download({ name, mime, data }) {
  const raw = atob(data);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const link = make("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function render({ model }) {
  const root = make("div", "file-tools");
  const send = (file) => {
    if (file.size > model.max_bytes) {
      model.send_msg({ file: [file.name.slice(0, 255), file.size, ""] });
      return;
    }
    file.arrayBuffer().then((buffer) => {
      model.send_msg({ file: [file.name.slice(0, 255), file.size, base64(buffer)] });
    });
  };

  const picker = make("input");
  Object.assign(picker, { type: "file", accept: ".csv,.json,.txt,text/csv,application/json" });
  picker.hidden = true;
  picker.addEventListener("change", () => {
    if (picker.files.length) send(picker.files[0]);
    picker.value = "";
  });
  const open = make("button", "open", "Open a file…");
  open.type = "button";
  open.title = "A CSV file (numbers, then a label) or a saved scene; or drop one on the page";
  open.addEventListener("click", () => picker.click());
  const hint = make("p", "hint", "A CSV (numbers, then a label) or a saved scene; or drop one on the page.");
  const status = make("p", "status");
  status.setAttribute("role", "status");
  const showStatus = () => {
    status.textContent = model.status;
    status.hidden = !model.status;
  };
  showStatus();
  model.on("status", showStatus);

  const saves = make("div", "saves");
  for (const [kind, label, tip] of SAVES) {
    const save = make("button", `save save-${kind}`, label);
    save.type = "button";
    save.title = tip;
    save.addEventListener("click", () => model.send_msg({ export: kind }));
    saves.append(save);
  }
  root.append(
    make("h4", "", "Your data"), hint, open, picker, status, make("h4", "", "Save"), saves,
  );

  // A file dragged over the page: the page says where it goes; dropped, it is opened.
  const overlay = make("div", "drop-overlay", "Drop a CSV file or a saved scene to open it");
  overlay.hidden = true;
  root.append(overlay);
  const carriesFiles = (event) => [...(event.dataTransfer?.types || [])].includes("Files");
  const over = (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    overlay.hidden = false;
  };
  const leave = (event) => {
    if (event.relatedTarget === null) overlay.hidden = true;
  };
  const drop = (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    overlay.hidden = true;
    if (event.dataTransfer.files.length) send(event.dataTransfer.files[0]);
  };
  window.addEventListener("dragover", over);
  window.addEventListener("dragleave", leave);
  window.addEventListener("drop", drop);
  model.on("remove", () => {
    window.removeEventListener("dragover", over);
    window.removeEventListener("dragleave", leave);
    window.removeEventListener("drop", drop);
  });
  model.on("msg:custom", (msg) => {
    if (msg && msg.download) download(msg.download);
  });
  return root;
}
