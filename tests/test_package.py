"""The package as pip installs it: every subpackage of ``playground/`` is listed in
pyproject.toml (setuptools installs only the listed ones, and an editable install hides
a missing one: the app then works here and fails for users)."""

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_installed():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        "playground." + ".".join(init.parent.relative_to(REPO / "playground").parts)
        for init in (REPO / "playground").rglob("__init__.py")
        if init.parent != REPO / "playground"
    }
    assert found, "no subpackages found"
    assert found <= listed, f"not installed by pip install .: {sorted(found - listed)}"
