"""``playground serve`` with one page more, ``/two`` (``two_scenes_app.py``), for the
browser tests; ``playground.testing.start_server`` runs it as the ``playground``
command (``executable=TWO_SCENES_SERVER``)."""

import argparse
import sys
from pathlib import Path

from playground import serve

TWO_SCENES_APP = Path(__file__).resolve().with_name("two_scenes_app.py")
TWO_SCENES_SERVER = [sys.executable, str(Path(__file__).resolve())]


def main() -> int:
    parser = argparse.ArgumentParser(prog="two_scenes_server")
    commands = parser.add_subparsers(required=True)
    serve.add_arguments(commands.add_parser("serve"))
    return serve.run(parser.parse_args(), {**serve.PAGES, "/two": TWO_SCENES_APP})


if __name__ == "__main__":
    sys.exit(main())
