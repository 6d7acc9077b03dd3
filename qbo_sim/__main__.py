"""``python -m qbo_sim``: the ``qbo-sim`` command line (qbo_sim/cli.py)."""

from qbo_sim.cli import main

if __name__ == "__main__":  # pragma: no cover - run as a module
    main(prog_name="qbo-sim")
