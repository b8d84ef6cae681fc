"""The live view's JavaScript modules joined into the one module Panel takes."""

import re
from pathlib import Path

import pytest

from playground.views.esm import ModuleError, join_modules
from playground.views.live import ASSETS, LiveView


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text)


def test_the_live_view_is_every_asset_module_joined():
    joined = LiveView._esm
    assert isinstance(joined, str)
    imported = set(re.findall(r'from "\./([\w.-]+)"', (ASSETS / "live_view.js").read_text()))
    assert imported  # the entry imports its parts
    for name in imported | {"live_view.js"}:
        assert f"// ---- {name}\n" in joined
    assert not re.search(r"^\s*import\b", joined, re.MULTILINE)
    assert re.search(r"^export function render\(", joined, re.MULTILINE)
    assert len(re.findall(r"^export\b", joined, re.MULTILINE)) == 1  # only the entry's


def test_dependencies_come_first_and_private_names_stay_private(tmp_path):
    write(
        tmp_path,
        {
            "main.js": 'import { b } from "./b.js";\nimport { a } from "./a.js";\n'
            "export function render() { return a + b; }\n",
            "a.js": "const secret = 1;\nexport const a = secret;\n",
            "b.js": 'import { a } from "./a.js";\nconst secret = 2;\nexport const b = a + secret;\n',
        },
    )
    joined = join_modules(tmp_path / "main.js")
    order = re.findall(r"^// ---- (\S+)", joined, re.MULTILINE)
    assert order == ["a.js", "b.js", "main.js"]  # a.js once, before b.js needs it
    # Both files' `secret` live in function scopes of their own: no clash.
    assert joined.count("const secret") == 2
    assert re.search(r"return \{ a \};", joined)
    assert re.search(r"const \{ a \} = module_0_a;", joined)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"main.js": 'import { gone } from "./a.js";\n', "a.js": "export const a = 1;\n"},
            "exports no",
        ),
        (
            {
                "main.js": 'import { a } from "./a.js";\n',
                "a.js": 'import { main } from "./main.js";\nexport const a = 1;\n',
            },
            "cycle",
        ),
        ({"main.js": 'import { a as b } from "./a.js";\n', "a.js": ""}, "plain named"),
        ({"main.js": 'import * as a from "./a.js";\n', "a.js": ""}, "import that is not"),
        ({"main.js": "const a = 1;\nexport { a };\n"}, "export that is not"),
    ],
    ids=["missing export", "cycle", "renamed import", "namespace import", "export list"],
)
def test_what_cannot_be_joined_faithfully_is_refused(tmp_path, files, message):
    write(tmp_path, files)
    with pytest.raises(ModuleError, match=message):
        join_modules(tmp_path / "main.js")
