"""The README's examples work as written."""

from __future__ import annotations

import re
from pathlib import Path

# Imported here, not first inside pytester's in-process run, which unloads what it imported:
# later tests would then mix two copies of requests ("You can only merge into CookieJar").
import requests  # noqa: F401

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

pytest_plugins = ["pytester"]


def test_readme_pytest_example_passes(pytester):
    code = re.search(r"## In your tests.*?```python\n(.*?)```", README, re.S).group(1)
    pytester.makepyfile(test_readme_example=code)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one():
    block = re.search(r"## Quick start.*?## ", README, re.S).group(0)
    commands = re.findall(r"```sh\n(.*?)\n```", block)
    assert commands == [
        "python3 -m pip install -c requirements.lock -e . && qbo-sim serve",
        "python3 -m pip install -c requirements.lock -e '.[dev]' && python3 -m pytest",
    ]
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci
