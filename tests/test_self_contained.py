"""Everything the code, the tests and the docs point to is in the repository: a fresh
clone with nothing beside it passes (``.ci/quick-from-clone`` runs the quick suite that
way)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("assets", "benchmarks", "datasets", "docs", "engine", "playground", "tests", ".ci")
# Spelled in pieces so that this file does not name them itself.
OUTSIDE = ("../" + "shared", "shared/" + "reference", "parents[1]" + ".parent", "/work" + "/")


def repository_text_files() -> list[Path]:
    files = [REPO / "README.md", REPO / "pyproject.toml"]
    for folder in FOLDERS:
        files += (
            p for p in (REPO / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        )
    return [p for p in files if p.suffix not in {".png", ".pyc", ".npz"}]


def test_nothing_points_outside_the_repository():
    files = repository_text_files()
    assert len(files) > 100
    pointing = {
        f"{path.relative_to(REPO)}: {needle}"
        for path in files
        for needle in OUTSIDE
        if needle in path.read_text(encoding="utf-8")
    }
    assert not pointing, sorted(pointing)


def test_the_reference_runs_are_in_the_repository():
    reference = REPO / "tests" / "reference"
    assert len(list(reference.glob("*.json"))) == 4
    assert len(list((reference / "extended").glob("*.json"))) == 3
    for readme in (reference / "README.md", reference / "extended" / "README.md"):
        assert "tfp-reference/v1" in readme.read_text()
