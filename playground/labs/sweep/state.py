"""One tab's sweep: its params (each a URL key) and the runs they mean.

No Panel here. The base scene is a playground link's query (``scene``), so a link to a
sweep names its scene as a link to the playground does; each cell's own link opens that
run in the playground.
"""

from urllib.parse import urlencode

import param

from playground.labs.home.pictures import run_config
from playground.model import RunConfig
from playground.sweep import SHAPE_AXES, Axis, axis_keys, cell_values, hidden_shape, parse_axis
from playground.url import parse_query

METRICS = ["test_loss", "train_loss", "test_accuracy", "train_accuracy"]
NO_AXIS = "none"


class SweepState(param.Parameterized):
    x = param.Selector(default="learningRate", objects=axis_keys(), label="Across (x)")
    xValues = param.String(default="0.001,0.003,0.01,0.03,0.1", label="Its values")
    y = param.Selector(default="batchSize", objects=[NO_AXIS, *axis_keys()], label="Down (y)")
    yValues = param.String(default="1,10,30", label="Its values")
    epochs = param.Integer(default=200, bounds=(1, 2000), label="Epochs per run")
    random = param.Integer(default=0, bounds=(0, 100), label="Random draws (0: the grid)")
    randomSeed = param.Integer(default=0, bounds=(0, 2**31 - 1), label="Draws' seed")
    metric = param.Selector(default="test_loss", objects=METRICS, label="Colour by")
    scene = param.String(default="", label="Playground scene (a link's query)")

    def axes(self) -> tuple[Axis, Axis | None]:
        """The axes as given; ValueError says what is wrong with them."""
        x = parse_axis(f"{self.x}={self.xValues}")
        y = None if self.y == NO_AXIS else parse_axis(f"{self.y}={self.yValues}")
        if y is not None and y.key == x.key:
            raise ValueError("the two axes must be different settings")
        ranged = [a.key for a in (x, y) if a is not None and a.low is not None]
        if self.random and len(ranged) != len([a for a in (x, y) if a is not None]):
            raise ValueError("random draws need each axis as a range, low:high")
        if not self.random and ranged:
            raise ValueError(f"{', '.join(ranged)}: a range is for random draws")
        return x, y

    def cells(self) -> list[dict[str, float]]:
        x, y = self.axes()
        return cell_values(x, y, self.random or None, self.randomSeed)

    def base(self) -> RunConfig:
        """The scene every run starts from (the playground's defaults if none)."""
        return run_config(self.scene)[0]

    def cell_link(self, values: dict[str, float]) -> str:
        """The playground with the scene and one cell's values (relative to this page)."""
        query = parse_query(self.scene)
        query.pop("seed", None)
        base = self.base()
        query["seed"] = base.seed
        for key, value in values.items():
            if key not in SHAPE_AXES:
                query[key] = f"{value:g}" if isinstance(value, float) else str(value)
        if SHAPE_AXES.keys() & values.keys():
            query["networkShape"] = ",".join(map(str, hidden_shape(base.network_shape, values)))
        return "app?" + urlencode(query)
