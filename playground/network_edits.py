"""The network's edits from the diagram, as the state's methods: a feature toggled, a
layer or a neuron added or removed (settings, which then reset the network as a link
would), a weight or a bias typed in (live, training goes on). Mixed into
``PlaygroundState``; imports no UI library.
"""

import numpy as np

from playground import inputs
from playground.settings import MAX_LAYERS, MAX_NEURONS

NEW_LAYER_NEURONS = 2


class NetworkEdits:
    def toggle_feature(self, name: str) -> None:
        enabled = set(self.features) ^ {name}
        self.features = inputs.in_input_order(enabled, self.current_spec)

    def add_layer(self) -> None:
        if len(self.network_shape) < MAX_LAYERS:
            self.network_shape = [*self.network_shape, NEW_LAYER_NEURONS]

    def remove_layer(self) -> None:
        if self.network_shape:
            self.network_shape = self.network_shape[:-1]

    def change_neurons(self, layer: int, delta: int) -> None:
        shape = list(self.network_shape)
        shape[layer] = int(np.clip(shape[layer] + delta, 1, MAX_NEURONS))
        if shape != self.network_shape:
            self.network_shape = shape

    def set_weight(self, k: int, i: int, j: int, value: float) -> None:
        """Edits a link live (no reset); losses update at the next epoch, as the original."""
        self.net.set_weight(k, i, j, value)
        self.changed_while_training = True
        self.params_version += 1

    def set_bias(self, k: int, i: int, value: float) -> None:
        self.net.set_bias(k, i, value)
        self.changed_while_training = True
        self.params_version += 1
