"""Shared by the recording tests: a company with OAuth credentials, and a check that no
secret reaches any written byte."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from qbo_sim import Clock, Simulator
from tests.conftest import START


@dataclass
class Credentials:
    realm: str
    access_token: str
    refresh_token: str
    client_id: str
    client_secret: str

    def secrets(self) -> list[str]:
        basic = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        return [self.access_token, self.refresh_token, self.client_secret, basic]


def company(preset: str = "empty") -> tuple[Simulator, Credentials]:
    sim = Simulator(clock=Clock(frozen_at=START))
    realm = sim.create_company(preset, seed=1)
    tokens = sim.oauth.issue_tokens(realm)
    client = sim.oauth.default_client
    return sim, Credentials(
        realm,
        tokens["access_token"],
        tokens["refresh_token"],
        client.client_id,
        client.client_secret,
    )


def written_bytes(folder: Path) -> bytes:
    """Every byte under ``folder``, plus every base64 body of every recording decoded (a
    secret inside a binary body would otherwise hide from a grep)."""
    data = b""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        data += raw + b"\n"
        if path.suffix == ".jsonl":
            for line in raw.decode("utf-8").splitlines():
                doc = json.loads(line)
                for side in ("request", "response"):
                    body = (doc.get(side) or {}).get("body") or {}
                    if "base64" in body:
                        data += base64.b64decode(body["base64"]) + b"\n"
    return data


def assert_no_secret(folder: Path, secrets: list[str]) -> None:
    data = written_bytes(folder)
    assert data, f"nothing was written under {folder}"
    for secret in secrets:
        for spelling in {secret, quote(secret, safe=""), json.dumps(secret)[1:-1]}:
            assert spelling.encode() not in data, f"a secret reached a file: {secret[:12]}..."
