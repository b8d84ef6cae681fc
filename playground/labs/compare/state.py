"""One tab's comparison: the two scenes' settings, the controls' params, and the run
they make, played in lockstep. No Panel here.

The page's controls are params: the data and the speed once (``CompareState``), and the
settings a lecture compares once per side (``SideSettings``, ``COMPARED``). Every other
setting of a side comes from its link as it is (``a.networkShape=8,8``). Any change
starts both runs again from epoch 0, from the same first weights.
"""

import param

from playground import inputs
from playground.datasets import DATASETS
from playground.datasets.own import DRAWN_SETS, UPLOADED_SETS
from playground.labs.compare.link import CompareLink, read_link, write_link
from playground.labs.compare.model import Comparison
from playground.run_config import RunConfig
from playground.setting_params import param_for
from playground.settings import SETTINGS, SPEEDS, run_settings

COMPARED = ("optimizer", "learning_rate", "activation", "batch_size", "regularization",
            "regularization_rate")  # fmt: skip
SHARED = ("dataset", "noise", "speed")
# Compare shows classification on the plane: these settings of a link have no say.
NOT_HERE = ("problem", "reg_dataset", "points")
MAX_SPEED_S = 0.02  # at speed max, a frame's training for both runs together


def _param(name: str, **changes) -> param.Parameter:
    made = param_for(SETTINGS[name])
    made.label = SETTINGS[name].label
    for attribute, value in changes.items():
        setattr(made, attribute, value)
    return made


def plane_datasets() -> list[str]:
    """The classification planes that need no points of the user's own."""
    own = {*DRAWN_SETS.values(), *UPLOADED_SETS.values()}
    return [name for name, spec in DATASETS.items()
            if spec.problem == "classification" and inputs.is_plane(spec) and name not in own]  # fmt: skip


class SideSettings(param.Parameterized):
    """The compared settings of one side, each a param named as the setting."""


for _name in COMPARED:
    SideSettings.param.add_parameter(_name, _param(_name))


class CompareState(param.Parameterized):
    playing = param.Boolean(default=False)
    epoch = param.Integer(default=0, doc="epochs each run has trained")
    run_version = param.Integer(default=0, doc="bumped when the runs start again")

    def __init__(self, link: CompareLink | None = None) -> None:
        link = link or read_link({})
        super().__init__()
        self.notes = list(link.notes)
        self.hidden, self.buttons_hidden = link.hidden, link.buttons_hidden
        first = link.sides[0]
        self.seed = first["seed"]
        self.shared = SharedSettings(**self._shared_values(first))
        self.sides = tuple(
            SideSettings(**{name: side[name] for name in COMPARED if name in side})
            for side in link.sides
        )
        self.rest = tuple(
            {k: v for k, v in side.items() if k not in (*COMPARED, *SHARED, *NOT_HERE)}
            for side in link.sides
        )
        self.comparison = self._start()
        # A change of the runs starts them again; the speed only paces them.
        self.shared.param.watch(self._changed, ["dataset", "noise"])
        for side in self.sides:
            side.param.watch(self._changed, list(COMPARED))

    @classmethod
    def from_query(cls, query) -> "CompareState":
        return cls(read_link(query))

    def _shared_values(self, side: dict) -> dict:
        values = {name: side[name] for name in SHARED if name in side}
        dataset = values.get("dataset")
        if side.get("problem", "classification") != "classification" or (
            dataset is not None and dataset not in plane_datasets()
        ):
            self.notes.append(
                "Compare shows classification on the plane: the link's data are "
                f"not that; using {SETTINGS['dataset'].default}."
            )
            values.pop("dataset", None)
        return values

    # -- the settings ------------------------------------------------------------------

    def settings(self, side: int) -> dict:
        """Side 0's or 1's settings, by PlaygroundState's names (as a link holds them)."""
        shared = {name: getattr(self.shared, name) for name in SHARED}
        compared = {name: getattr(self.sides[side], name) for name in COMPARED}
        return {**self.rest[side], **shared, **compared, "seed": self.seed}

    def config(self, side: int) -> RunConfig:
        settings = self.settings(side)
        return RunConfig(**{k: v for k, v in settings.items() if k in run_settings()})

    def link(self) -> str:
        """The address's query for both scenes (``link.write_link``)."""
        sides = (self.settings(0), self.settings(1))
        return write_link(sides, self.hidden, self.buttons_hidden)

    def _changed(self, *_events) -> None:
        self.restart()

    # -- the runs ----------------------------------------------------------------------

    def _start(self) -> Comparison:
        try:
            return Comparison(self.config(0), self.config(1))
        except ValueError as problem:  # features a dataset does not offer, say
            self.notes.append(f"The link's scenes could not be run ({problem}); defaults used.")
            self.rest = ({"seed": self.seed}, {"seed": self.seed})
            return Comparison(self.config(0), self.config(1))

    def restart(self) -> None:
        """Both runs from epoch 0, paused."""
        self.playing = False
        self.comparison = self._start()
        self.epoch = 0
        self.run_version += 1

    def frame(self) -> int:
        """One frame's training: the speed's epochs for both runs (at max speed what
        MAX_SPEED_S allows); pauses once a run diverges. Returns the epochs done."""
        speed = self.shared.speed
        epochs = speed or 10_000
        done = self.comparison.train(epochs, None if speed else MAX_SPEED_S)
        self.epoch = self.comparison.epoch
        if self.comparison.diverged:
            self.playing = False
        return done

    def step(self) -> None:
        self.playing = False
        self.comparison.train(1)
        self.epoch = self.comparison.epoch

    def toggle_play(self) -> None:
        self.playing = not self.playing and not self.comparison.diverged


class SharedSettings(param.Parameterized):
    """What both sides share: the data and the speed."""

    dataset = _param("dataset", objects=plane_datasets())
    noise = _param("noise")
    speed = _param("speed", objects=SPEEDS)
