// The +/- buttons over the diagram's layers: rebuilt with each scene in the browser, at
// no cost to the server. Methods of the live view (live_view.js assigns them).

import { element } from "./dom.js";

const MINUS = "\u2212";

export const layerButtonMethods = {
  // The +/- button with the keyboard's focus, which a new scene rebuilds: its key.
  focusedControl() {
    const active = this.el.getRootNode().activeElement;
    return active && this.header.parentNode.contains(active) ? active.dataset.key : null;
  },

  // The +/- buttons: rebuilt here, with the scene, at no cost to the server.
  controls(scene) {
    const { header, layers } = scene;
    this.header.replaceChildren();
    const layerButtons = element("div", "buttons ui-numHiddenLayers");
    layerButtons.append(
      this.button("+", "Add a hidden layer", !header.add, { layers: 1 }),
      this.button(MINUS, "Remove a hidden layer", !header.remove, { layers: -1 }),
    );
    layerButtons.style.visibility = this.layerButtons ? "visible" : "hidden";
    const label = element("div", "num-layers");
    label.append(element("div", "", header.text));
    const group = element("div", "layer-group");
    group.append(layerButtons, label);
    group.style.left = `${header.centre}px`;
    this.header.append(group);

    this.neuronRow.replaceChildren(
      ...layers.map((layer, k) => {
        const control = element("div", `neuron-control ui-numNodes${k}`);
        const buttons = element("div", "buttons");
        buttons.append(
          this.button("+", `Add a neuron to layer ${k + 1}`, !layer.add, { neurons: [k, 1] }),
          this.button(MINUS, `Remove a neuron from layer ${k + 1}`, !layer.remove, {
            neurons: [k, -1],
          }),
        );
        // "4 neurons": the count, and the word that a tight diagram leaves out.
        const [count, ...words] = layer.caption.split(" ");
        const caption = element("div", "caption", count);
        caption.append(element("span", "caption-word", ` ${words.join(" ")}`));
        control.append(buttons, caption);
        control.style.left = `${layer.centre}px`;
        control.style.setProperty("--on-top", String(layers.length - k)); // live_view.css
        return control;
      }),
    );
  },

  button(sign, title, disabled, message) {
    const button = element("button", "", sign);
    button.title = title;
    button.setAttribute("aria-label", title);
    button.dataset.key = Object.entries(message).flat(2).join(":"); // "neurons:0:1"
    // Not disabled, which would drop the keyboard's focus when a layer fills up.
    button.setAttribute("aria-disabled", String(disabled));
    button.addEventListener("click", () => {
      if (!disabled) this.send(message);
    });
    return button;
  },

  setLayerButtons(visible) {
    this.layerButtons = visible;
    const buttons = this.header.querySelector(".ui-numHiddenLayers");
    if (buttons) buttons.style.visibility = visible ? "visible" : "hidden";
  },
};
