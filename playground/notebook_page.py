"""A notebook as a static page: run headless (nbclient), each live view replaced by a
line that says how to see it live, written out by nbconvert as one HTML file that
loads nothing from elsewhere (no MathJax or RequireJS from the internet).

    python -m playground.notebook_page docs/lecture-spiral.ipynb docs/lecture-spiral.html

Needs the notebook extra (``pip install "nn-playground[notebook]"``).
"""

import argparse
import copy
import html
import re
from pathlib import Path

# What Panel puts in a cell's output: its scripts, and a view that needs the kernel.
EXEC_TYPE = "application/vnd.holoviews_exec.v0+json"
PANEL_TYPES = ("application/vnd.holoviews_load.v0+json", EXEC_TYPE)
PANEL_MARK = "data-root-id"  # in everything Panel renders into an output, styles included
LIVE_NOTE = (
    "A live view stood here: run the notebook in JupyterLab or Notebook 7 to see it "
    "train (how: at the top of the page)."
)
EXECUTE_TIMEOUT_S = 300
EMPTY_SCRIPT = re.compile(r'<script src="">\s*</script>')  # what an empty URL leaves
HEADING = re.compile(r"^#\s+(.+)$", re.MULTILINE)


def executed(path: Path):
    """The notebook at ``path``, every cell run in a fresh kernel in its folder."""
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=EXECUTE_TIMEOUT_S,
        kernel_name=notebook.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return notebook


def without_live_views(notebook):
    """Each live view (a displayed object that Panel renders) replaced by ``LIVE_NOTE``,
    Panel's scripts and set-up dropped; the cells' other outputs (printed text, errors,
    other results) kept. ``notebook`` itself is left as it is."""
    import nbformat

    notebook = copy.deepcopy(notebook)
    note = nbformat.v4.new_output(
        "display_data", data={"text/html": f"<p><em>{html.escape(LIVE_NOTE)}</em></p>"}
    )
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            data = output.get("data", {})
            if output.output_type in ("stream", "error"):
                kept.append(output)
            elif EXEC_TYPE in data:
                if "text/plain" in data:  # an object's view; else Panel's own (its comms)
                    kept.append(note)
            elif data and not _panels(data):
                kept.append(output)
        cell.outputs = kept
    return notebook


def _panels(data: dict) -> bool:
    """Whether an output is Panel's: its scripts, or its styles (``PANEL_MARK``)."""
    return any(kind in data for kind in PANEL_TYPES) or PANEL_MARK in data.get("text/html", "")


def static_page(path: Path) -> str:
    """The notebook at ``path``, run, as one self-contained HTML page."""
    return html_page(executed(path), path.stem)


def html_page(notebook, fallback_title: str) -> str:
    """A run notebook as one self-contained HTML page, titled by its first heading."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    # The template's defaults fetch these from the internet; the page needs neither.
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    resources = {"metadata": {"name": title(notebook) or fallback_title}}
    body, _resources = exporter.from_notebook_node(without_live_views(notebook), resources)
    return EMPTY_SCRIPT.sub("", body)


def title(notebook) -> str | None:
    """The first heading of the notebook's first text cell."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = HEADING.search(cell.source)
            return match[1].strip() if match else None
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("page", type=Path)
    args = parser.parse_args(argv)
    args.page.write_text(static_page(args.notebook), encoding="utf-8")


if __name__ == "__main__":
    main()
