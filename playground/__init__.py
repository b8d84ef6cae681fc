"""The neural-network playground. ``from playground import Playground`` (and the labs:
``OptimizerLab``, ``OverfittingLab``, ``HopfieldLab``) gives the objects a notebook or
a script shows (``playground.notebook``); they are imported on first use, so importing
the engine (``playground.engine``) still imports no Panel."""

_NOTEBOOK = {
    "Playground": "playground.notebook",
    "SettingNote": "playground.notebook",
    "OptimizerLab": "playground.notebook_labs",
    "OverfittingLab": "playground.notebook_labs",
    "HopfieldLab": "playground.notebook_labs",
}

__all__ = ["HopfieldLab", "OptimizerLab", "OverfittingLab", "Playground", "SettingNote"]


def __getattr__(name: str):
    if name in _NOTEBOOK:
        import importlib

        return getattr(importlib.import_module(_NOTEBOOK[name]), name)
    raise AttributeError(f"module 'playground' has no attribute {name!r}")
