"""Several plain ES module files as the one module a Panel ``JSComponent`` takes.

Panel compiles a component's ``_esm`` text in the browser and imports it from a blob
URL, where ``import ... from "./x.js"`` has nothing to resolve against; an import map
or a static route would need the server's prefix and the right process. So the files
are joined here, once, at import time: no build step, no extra request, the same text
under ``--prefix`` and ``--num-procs``. Each file stays a readable module of its own:

- ``import { a, b } from "./other.js";`` (relative, named imports only) and
- ``export function|class|const|let name`` declarations.

Every imported file becomes a function scope that returns its exports, so its other
top-level names stay private, as in a real module. The entry file keeps its exports
(Panel calls its ``render``). Cycles, renamed imports and re-exports are refused.
"""

import re
from pathlib import Path

IMPORT = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"(\./[\w.-]+\.js)";?[ \t]*\n', re.MULTILINE)
ANY_IMPORT = re.compile(r"^\s*import\b", re.MULTILINE)
EXPORT = re.compile(r"^export\s+(?:async\s+)?(?:function\*?|class|const|let)\s+(\w+)", re.MULTILINE)
ANY_EXPORT = re.compile(r"^\s*export\b", re.MULTILINE)
EXPORT_KEYWORD = re.compile(r"^export\s+", re.MULTILINE)


class ModuleError(ValueError):
    """A module file that this joiner cannot turn into plain JavaScript faithfully."""


def _identifier(stem: str) -> str:
    return re.sub(r"\W", "_", stem)


def _parse(path: Path) -> tuple[str, list[tuple[list[str], Path]], list[str]]:
    """(body without its imports, [(names, file)], exported names)."""
    text = path.read_text(encoding="utf-8")
    imports = []
    for match in IMPORT.finditer(text):
        names = [name.strip() for name in match[1].split(",") if name.strip()]
        if any(not name.isidentifier() for name in names):
            raise ModuleError(f"{path.name}: only plain named imports are joined: {match[0]!r}")
        imports.append((names, (path.parent / match[2]).resolve()))
    body = IMPORT.sub("", text)
    if ANY_IMPORT.search(body):
        raise ModuleError(f"{path.name}: an import that is not `import {{ ... }} from './x.js'`")
    exports = EXPORT.findall(body)
    if len(ANY_EXPORT.findall(body)) != len(exports):
        raise ModuleError(f"{path.name}: an export that is not `export function|class|const`")
    return body, imports, exports


def join_modules(entry: Path) -> str:
    """``entry`` and every file it imports, depth first, as one ES module's text."""
    parsed: dict[Path, tuple[str, list, list[str]]] = {}
    order: list[Path] = []

    def visit(path: Path, chain: tuple[Path, ...]) -> None:
        if path in chain:
            raise ModuleError("import cycle: " + " -> ".join(p.name for p in (*chain, path)))
        if path in parsed:
            return
        parsed[path] = _parse(path)
        for _, dependency in parsed[path][1]:
            visit(dependency, (*chain, path))
        order.append(path)

    entry = entry.resolve()
    visit(entry, ())
    scopes = {path: f"module_{i}_{_identifier(path.stem)}" for i, path in enumerate(order)}
    parts = []
    for path in order:
        body, imports, exports = parsed[path]
        bindings = []
        for names, dependency in imports:
            missing = set(names) - set(parsed[dependency][2])
            if missing:
                raise ModuleError(f"{path.name}: {dependency.name} exports no {sorted(missing)}")
            bindings.append(f"const {{ {', '.join(names)} }} = {scopes[dependency]};\n")
        if path == entry:
            parts.append(f"// ---- {path.name}\n{''.join(bindings)}{body}")
        else:
            body = EXPORT_KEYWORD.sub("", body)
            parts.append(
                f"// ---- {path.name}\nconst {scopes[path]} = (() => {{\n{''.join(bindings)}"
                f"{body}\nreturn {{ {', '.join(exports)} }};\n}})();\n"
            )
    return "\n".join(parts)
