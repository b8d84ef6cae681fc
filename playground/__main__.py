"""``python -m playground …``; importing this module runs nothing."""

if __name__ == "__main__":
    from playground.cli import main

    raise SystemExit(main())
