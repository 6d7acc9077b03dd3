"""How the harness drives a user's sync integration.

An integration is any object with the five methods of :class:`Integration`. In-process it is
made by a factory named ``package.module:factory`` (or ``path/to/file.py:factory``); any other
language runs as a subprocess speaking JSON lines (``cmd:<command line>``, see
:mod:`qbo_sim.harness.jsonlines` and ``docs/harness.md``).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shlex
import shutil
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from qbo_sim.harness.connection import Connection
from qbo_sim.harness.errors import IntegrationError, IntegrationLoadError

State = Literal["pending", "synced", "failed", "bypassed"]
STATES: tuple[str, ...] = ("pending", "synced", "failed", "bypassed")
OPERATOR_ACTIONS = ("bypass", "reset_ref", "retry", "post_payment", "edit")


@dataclass
class RecordStatus:
    """What the integration reports about one record."""

    state: str
    qbo_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    attempts: int = 0

    @classmethod
    def coerce(cls, value: Any) -> RecordStatus:
        """Accept a RecordStatus or a mapping ``{state, qbo_id, error: {code, message},
        attempts}`` (the subprocess form)."""
        if isinstance(value, RecordStatus):
            return value
        if not isinstance(value, dict) or value.get("state") not in STATES:
            raise IntegrationError("status", f"returned an invalid status {value!r}")
        error = value.get("error") or {}
        return cls(
            state=value["state"],
            qbo_id=None if value.get("qbo_id") is None else str(value["qbo_id"]),
            error_code=None if error.get("code") is None else str(error["code"]),
            error_message=error.get("message"),
            attempts=int(value.get("attempts") or 0),
        )

    def describe(self) -> str:
        parts = [self.state]
        parts.append(f"qbo id {self.qbo_id}" if self.qbo_id else "no qbo id")
        if self.error_code or self.error_message:
            parts.append(f"error {self.error_code}: {self.error_message}")
        parts.append(f"{self.attempts} attempt(s)")
        return ", ".join(parts)


@runtime_checkable
class Integration(Protocol):
    """The protocol a sync integration implements (``docs/harness.md``)."""

    def connect(self, connection: Connection) -> None: ...

    def apply(self, change: dict[str, Any]) -> None: ...

    def sync(self) -> None: ...

    def status(self, kind: str, key: str) -> RecordStatus | dict[str, Any]: ...

    def operate(self, action: str, kind: str, key: str, **params: Any) -> None: ...


class Driver:
    """Calls an integration; anything it raises becomes :class:`IntegrationError`."""

    def __init__(self, integration: Any, name: str) -> None:
        self.integration = integration
        self._fallback_name = name

    @property
    def name(self) -> str:
        """The integration's ``name`` attribute (a subprocess reports it on connect)."""
        return str(getattr(self.integration, "name", None) or self._fallback_name)

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(self.integration, method)(*args, **kwargs)
        except IntegrationError:
            raise
        except Exception as exc:
            text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            raise IntegrationError(method, f"{type(exc).__name__}: {exc}", text) from exc

    def status(self, kind: str, key: str) -> RecordStatus:
        return RecordStatus.coerce(self.call("status", kind, key))

    def statuses(self, records: list[tuple[str, str]]) -> list[RecordStatus]:
        """The statuses of several records, in order: one request to a subprocess that
        declared ``statuses`` (its ``status_batch``), else one ``status`` call each. An
        unknown record raises as ``status`` would, for the first such record."""
        batch = getattr(self.integration, "status_batch", None)
        if not callable(batch) or len(records) < 2:
            return [self.status(kind, key) for kind, key in records]
        found = []
        for (kind, key), item in zip(records, self.call("status_batch", records), strict=True):
            if "error" in item:
                error = dict(item["error"])
                asked = f"(asked the status of {kind} {key!r})"
                error["message"] = f"{error.get('message', '')} {asked}"
                raise IntegrationError.from_answer("status", error)
            found.append(RecordStatus.coerce(item["status"]))
        return found

    def close(self) -> None:
        closer = getattr(self.integration, "close", None)
        if callable(closer):
            self.call("close")


def _import_target(module_part: str) -> Any:
    if module_part.endswith(".py") or "/" in module_part or os.sep in module_part:
        file = Path(module_part).resolve()
        if not file.exists():
            raise IntegrationLoadError(f"no such file: {module_part}")
        name = f"_qbo_integration_{abs(hash(str(file)))}"
        if name in sys.modules:
            return sys.modules[name]
        spec = importlib.util.spec_from_file_location(name, file)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    if os.getcwd() not in sys.path:  # like ``python -m``: the working directory is importable
        sys.path.insert(0, os.getcwd())
    try:
        return importlib.import_module(module_part)
    except ImportError as exc:
        raise IntegrationLoadError(f"cannot import {module_part!r}: {exc}") from exc


def resolve_factory(spec: str, *, fresh_process: bool = False) -> tuple[Callable[[], Any], str]:
    """``"pkg.mod:factory"`` / ``"file.py:factory"`` / ``"cmd:<command>"`` → (factory, name).
    ``fresh_process``: a ``cmd:`` integration gets a new process even if it declares reuse."""
    if spec.startswith("cmd:"):
        from qbo_sim.harness.jsonlines import spawn

        command = spec[4:].strip()
        try:
            argv = shlex.split(command)
        except ValueError as exc:
            raise IntegrationLoadError(f"cmd: {command!r} is not a command line: {exc}") from None
        if not argv:
            raise IntegrationLoadError("cmd: needs a command line, e.g. 'cmd:node my-sync.js'")
        if shutil.which(argv[0]) is None:
            raise IntegrationLoadError(
                f"cmd: cannot find the program {argv[0]!r} (not on PATH, or not executable)"
            )
        return (lambda: spawn(command, reuse=not fresh_process)), "subprocess"
    module_part, sep, attr = spec.rpartition(":")
    if not sep or not module_part or not attr:
        raise IntegrationLoadError(
            f"integration spec {spec!r} must be 'package.module:factory', "
            "'path/to/file.py:factory' or 'cmd:<command line>'"
        )
    module = _import_target(module_part)
    factory = getattr(module, attr, None)
    if not callable(factory):
        raise IntegrationLoadError(f"{module_part} has no callable {attr!r}")
    return factory, attr


def spec_of(factory: Callable[[], Any]) -> str:
    """A best-effort ``module:name`` for a factory given as a Python object."""
    return f"{getattr(factory, '__module__', '?')}:{getattr(factory, '__qualname__', '?')}"
