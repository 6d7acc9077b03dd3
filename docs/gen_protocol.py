"""Render the JSON-lines protocol's message reference (qbo_sim/harness/protocol.schema.json)
into docs/harness.md, between the ``protocol:begin`` / ``protocol:end`` markers.

Run: ``python3 docs/gen_protocol.py`` (tests/harness/test_protocol.py checks it is up to date).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "qbo_sim" / "harness" / "protocol.schema.json"
DOC = ROOT / "docs" / "harness.md"
BEGIN, END = "<!-- protocol:begin -->", "<!-- protocol:end -->"


def _shape(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return f"`{schema['$ref'].split('/')[-1]}`"
    if "enum" in schema:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    kind = schema.get("type", "any")
    text = " \\| ".join(kind) if isinstance(kind, list) else str(kind)
    if schema.get("maxProperties") == 0:
        return "`{}`"
    fields = schema.get("properties")
    if fields:
        required = set(schema.get("required", ()))
        parts = [f"{name}{'' if name in required else '?'}" for name in fields]
        text += " {" + ", ".join(parts) + "}"
    return text


def render() -> str:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    out = [
        BEGIN,
        f"Generated from `qbo_sim/harness/protocol.schema.json` (protocol "
        f"{schema['x-protocol-version']}, revision {schema['x-protocol-revision']}) by "
        "`docs/gen_protocol.py`.",
        "",
        "| message | direction and meaning |",
        "| --- | --- |",
    ]
    for name in ("request", "response", "call", "reply", "error"):
        out.append(f"| `{name}` {_shape(defs[name])} | {defs[name].get('description', '')} |")
    out += ["", "| method | params | result |", "| --- | --- | --- |"]
    params_of = {  # from the request's if/then pairs: no method can be left out
        rule["if"]["properties"]["method"]["const"]: rule["then"]["properties"]["params"][
            "$ref"
        ].split("/")[-1]
        for rule in defs["request"]["allOf"]
    }
    for method, params in params_of.items():
        result = defs["results"][method]
        note = result.get("description", "")
        out.append(
            f"| `{method}` | {_shape(defs['params'][params])} | {_shape(result)}"
            + (f": {note}" if note else "")
            + " |"
        )
    out.append("| `now` (integration → harness) | none | string: the simulated clock, ISO 8601 |")
    out.append(f"| `sleep` (integration → harness) | {_shape(defs['params']['sleep'])} | null |")
    out += ["", "Field notes:", ""]
    for where, fields in (
        ("hello result", defs["results"]["hello"]["properties"]),
        ("webhook params", defs["params"]["webhook"]["properties"]),
        ("connection", defs["connection"]["properties"]),
    ):
        for field, spec in fields.items():
            if spec.get("description"):
                out.append(f"- {where} `{field}`: {spec['description']}")
    out.append(END)
    return "\n".join(out)


def updated(text: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + render() + text[end:]


if __name__ == "__main__":
    DOC.write_text(updated(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    sys.exit(0)
