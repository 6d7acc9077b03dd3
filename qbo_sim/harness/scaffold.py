"""``qbo-sim scenarios new``: a scenario file to fill in, from a template.

The text is written by hand (not ``yaml.dump``) so that it keeps its ``FILL IN`` comments; it
always validates against the scenario schema (tested for every section, with and without a
snapshot).
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

from qbo_sim.harness.scaffold_sections import GENERIC, SECTIONS, Section


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(value, ensure_ascii=False)


def relative_to_scenario(target: str | Path, scenario_path: str | Path) -> str:
    """``target`` as ``given.snapshot`` writes it: relative to the scenario's folder."""
    folder = Path(scenario_path).resolve().parent
    return Path(os.path.relpath(Path(target).resolve(), folder)).as_posix()


def _given(section: Section, snapshot: str | None) -> str:
    if snapshot is None:
        lines = ["given:", "  preset: empty", "  seed: 1"]
        if section.preferences:
            lines.append(section.preferences.rstrip("\n"))
        if section.setup:
            lines.append("  # what the bookkeeper already has in QuickBooks (FILL IN: adapt):")
            lines.append("  qbo:")
            for s in section.setup:
                lines.append(
                    f"    - {{action: create, entity: {s.entity}, alias: {s.alias}, "
                    f"body: {s.body}}}"
                )
        return "\n".join(lines)
    lines = [
        "given:",
        "  # the customer's company (qbo-sim export / scenarios capture), relative to this file:",
        f"  snapshot: {yaml_string(snapshot)}",
    ]
    if section.snapshot_note:
        lines.append(f"  # FILL IN: {section.snapshot_note}.")
    if section.setup:
        lines.append("  # FILL IN: each query must find exactly one entity of the snapshot.")
        lines.append("  aliases:")
        for s in section.setup:
            lines.append(f"    {s.alias}: {{entity: {s.entity}, query: {yaml_string(s.query)}}}")
    else:
        lines.append("  # aliases find the snapshot's entities by query, e.g.:")
        lines.append(
            '  # aliases: {inv: {entity: Invoice, query: "SELECT * FROM Invoice WHERE '
            "DocNumber = '1042'\"}}"
        )
    return "\n".join(lines)


def render_new(name: str, section_number: int | None = None, snapshot: str | None = None) -> str:
    """The text of a new scenario file.

    ``section_number`` (1-10) picks the skeleton typical of that section of the article;
    ``snapshot`` is the ``given.snapshot`` path as it must be written (relative to the file).
    """
    if section_number is None:
        section = GENERIC
        source = "FILL IN: the ticket (number, link) and the article section it matches"
    else:
        if section_number not in SECTIONS:
            raise ValueError(f"the article has sections 1 to {max(SECTIONS)}, not {section_number}")
        section = SECTIONS[section_number]
        source = section.source
    tags = ", ".join(yaml_string(t) if t.isdigit() else t for t in ("support", *section.tags))
    return "\n".join(
        [
            "# A qbo-sim scenario (docs/harness.md §2, docs/support.md). Made by",
            "# `qbo-sim scenarios new`: replace every FILL IN with the customer's values, then",
            "#   qbo-sim scenarios validate <this file>",
            "#   qbo-sim scenarios run <this file> --integration <package.module:factory>",
            f"name: {yaml_string(name)}",
            "description: >",
            textwrap.fill(section.description, 96, initial_indent="  ", subsequent_indent="  "),
            f"tags: [{tags}]",
            f"source: {yaml_string(source)}",
            _given(section, snapshot),
            "steps:",
            section.steps.rstrip("\n"),
            "",
        ]
    )
