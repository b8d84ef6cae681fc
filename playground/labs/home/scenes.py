"""The home page's lecture scenes, as data: one record per card.

A card has a title, a one-line question for students, and one or more links, each a
full scene of a page (its query holds the whole scene) with a thumbnail recipe: a
playground scene is trained headless for ``Trained.epochs`` (``home.pictures``), a lab
is drawn by a small function (``home.sketches``). Adding a card is adding a record to
``CARDS``; ``python benchmarks/home.py --write`` then ships its thumbnail (until then
the page computes it, once per server process).

Links are relative to the home page ("app?…", not "/app?…"), so that they work under
``playground serve --prefix``.
"""

from functools import partial
from typing import NamedTuple

from playground.labs.home import sketches
from playground.labs.home.pictures import Sketch, Trained
from playground.settings import SETTINGS

SEED = "0.31415"  # every playground link names its seed: data and weights reproduce


class Link(NamedTuple):
    caption: str  # what this link shows, under its thumbnail
    href: str  # relative to the home page: "page?query"
    picture: Trained | Sketch

    @property
    def page(self) -> str:
        """The page's path, as ``playground.labs.LAB_PAGES`` names it: "/app", "/hopfield"."""
        return "/" + self.href.partition("?")[0]

    @property
    def query(self) -> str:
        return self.href.partition("?")[2]


class Card(NamedTuple):
    title: str
    question: str  # one line for students, in our own words
    links: tuple[Link, ...]


def playground(**keys: str) -> str:
    """A playground link (``app?…``) with these URL keys and the shared seed."""
    keys.setdefault("seed", SEED)
    return "app?" + "&".join(f"{key}={value}" for key, value in keys.items())


def compare(caption: str, key: str, a: str, b: str) -> Link:
    """A link to the compare lab on XOR, its two runs differing in ``key`` only."""
    name = next(setting.name for setting in SETTINGS.values() if setting.key == key)
    value = int if key == "batchSize" else str
    sketch = partial(sketches.compare, a={name: value(a)}, b={name: value(b)})
    href = f"compare?dataset=xor&seed={SEED}&a.{key}={a}&b.{key}={b}"
    return Link(caption, href, Sketch(sketch))


# The data and network of the overfitting scenes: few noisy points, a big network.
OVERFIT = {
    "dataset": "spiral", "noise": "35", "percTrainData": "20", "networkShape": "8,8,8",
    "x": "true", "y": "true", "xSquared": "true", "ySquared": "true", "xTimesY": "true",
    "sinX": "true", "sinY": "true", "showTestData": "true",
}  # fmt: skip
DEEP = {"dataset": "circle", "networkShape": "8,8,8,8,8,8"}
# Batches of 30: with batch norm over batches of 10 this run is so sensitive to rounding
# that its thumbnail would differ from one machine's arithmetic to another's.
DEEP_SIGMOID = {**DEEP, "activation": "sigmoid", "batchSize": "30"}
XOR = {"dataset": "xor", "x": "true", "y": "true"}
SPIRAL = {"dataset": "spiral", "networkShape": "8,8", "x": "true", "y": "true"}
RACERS = "sgd,momentum,nesterov,adagrad,rmsprop,adam"

CARDS: tuple[Card, ...] = (
    Card(
        "A perceptron draws one line",
        "With no hidden layer, which datasets can the network still separate?",
        (Link("No hidden layer", playground(dataset="gauss", networkShape=""), Trained()),),
    ),
    Card(
        "XOR: a hidden layer or a product",
        "One line cannot split XOR: is a hidden layer the only way out?",
        (
            Link("X1, X2 only", playground(**XOR, networkShape="", xTimesY="false"), Trained()),
            Link("Add X1X2", playground(**XOR, networkShape="", xTimesY="true"), Trained()),
            Link("Add a layer", playground(**XOR, networkShape="4", xTimesY="false"), Trained()),
        ),
    ),
    Card(
        "The spiral wants sin features",
        "Why does the same network wind around the spiral once it sees sin(X1) and sin(X2)?",
        (
            Link("X1, X2", playground(**SPIRAL, sinX="false", sinY="false"), Trained(1000)),
            Link("With sin", playground(**SPIRAL, sinX="true", sinY="true"), Trained(1000)),
        ),
    ),
    Card(
        "Batch size 1 against 30",
        "Why does the loss jitter with one example per step and glide with thirty?",
        (
            Link("Batch 1", playground(dataset="circle", noise="20", batchSize="1"), Trained(60)),
            Link("Batch 30", playground(dataset="circle", noise="20", batchSize="30"), Trained()),
        ),
    ),
    Card(
        "Overfitting: noise 35, 20 % training data",
        "The training loss keeps falling: why does the test loss turn back up?",
        (
            Link("Big network", playground(**OVERFIT), Trained(1000)),
            Link(
                "With L2",
                playground(**OVERFIT, regularization="L2", regularizationRate="0.03"),
                Trained(1000),
            ),
        ),
    ),
    Card(
        "Sigmoid against ReLU, six layers deep",
        "Why do the first layers barely learn under sigmoid (see each layer's gradient size)?",
        (
            Link("Sigmoid", playground(**DEEP, activation="sigmoid"), Trained()),
            Link("ReLU", playground(**DEEP, activation="relu"), Trained()),
        ),
    ),
    Card(
        "Batch norm lets a deep sigmoid net learn",
        "Six sigmoid layers stall at the start: why do they learn once each layer's values "
        "are rescaled over every batch?",
        (
            Link("Sigmoid", playground(**DEEP_SIGMOID), Trained(100)),
            Link("With batch norm", playground(**DEEP_SIGMOID, batchNorm="true"), Trained(100)),
        ),
    ),
    Card(
        "Optimizer race on Rosenbrock",
        "Down the curved valley to (1, 1): who arrives first, and who overshoots?",
        (
            Link(
                "Six racers",
                # Rosenbrock's own rates (labs/optimizers/surfaces.py) keep all six in
                # the race; the lecture tool's 0.01 throws SGD and momentum out.
                f"optimizers?surface=rosenbrock&racers={RACERS}&steps=1000",
                Sketch(sketches.rosenbrock),
            ),
        ),
    ),
    Card(
        "Hopfield memory at T = 0 and T = 1.2",
        "A noisy letter falls back into memory when cold: does it still when warm?",
        (
            Link("T = 0", "hopfield?temperature=0", Sketch(partial(sketches.hopfield, 0.0))),
            Link("T = 1.2", "hopfield?temperature=1.2", Sketch(partial(sketches.hopfield, 1.2))),
        ),
    ),
    Card(
        "The perceptron rule",
        "One point at a time: why does the line settle on one set and never on XOR?",
        (
            Link("Separable", "perceptron", Sketch(sketches.perceptron)),
            Link(
                "XOR",
                "perceptron?dataset=xor&speed=40",
                Sketch(partial(sketches.perceptron, "xor")),
            ),
        ),
    ),
    Card(
        "Two runs side by side",
        "Same data, same first weights, one setting changed: whose loss falls sooner?",
        (
            compare("SGD against Adam", "optimizer", "sgd", "adam"),
            compare("tanh against ReLU", "activation", "tanh", "relu"),
            compare("Batch 1 against 30", "batchSize", "1", "30"),
        ),
    ),
    Card(
        "Which learning rate, which batch size?",
        "Train the same network for every pair: where on the grid does the test loss end lowest?",
        (Link("Sweep lab", "sweep", Sketch(sketches.sweep)),),
    ),
    Card(
        "Polynomials that overfit",
        "Degree 1, 3 or 10: which curve predicts points it has not seen?",
        (Link("Overfitting lab", "overfitting", Sketch(sketches.polynomials)),),
    ),
    Card(
        "Adam against plain SGD",
        "Same network, same start: how much sooner does Adam find the spiral?",
        (
            Link("SGD", playground(**SPIRAL, sinX="true", sinY="true"), Trained(30)),
            Link(
                "Adam",
                playground(
                    **SPIRAL, sinX="true", sinY="true", optimizer="adam", learningRate="0.01"
                ),
                Trained(30),
            ),
        ),
    ),
    Card(
        "Three spirals, cross-entropy",
        "With three classes and a softmax output, what colour does each region take?",
        (
            Link(
                "Three classes",
                playground(
                    dataset="spirals",
                    numClasses="3",
                    loss="crossEntropy",
                    optimizer="adam",
                    learningRate="0.01",
                    networkShape="8,8",
                    sinX="true",
                    sinY="true",
                ),
                Trained(),
            ),
        ),
    ),
    Card(
        "Dropout against overfitting",
        "Does switching off a third of the neurons at random keep the boundary calm?",
        (Link("Dropout 0.3", playground(**OVERFIT, dropout="0.3"), Trained(1000)),),
    ),
    Card(
        "Early stopping",
        "Training pauses after 50 epochs without a better test loss: would you stop there?",
        (Link("Patience 50", playground(**OVERFIT, patience="50"), Trained(1000)),),
    ),
)


def links() -> list[Link]:
    return [link for card in CARDS for link in card.links]
