"""The harness's exceptions: one base class, :class:`HarnessError`.

The harness's exception hierarchy (each class with its module in ``qbo_sim.harness``, and the
built-in base it also keeps where callers catch that)::

    * HarnessError
      + ScenarioSchemaError    errors         a scenario file is not valid
      + IntegrationError       errors         the integration raised or answered an error
        - ProtocolError        protocol       a subprocess's stdout line breaks protocol 1
        - ReuseLeakError       errors         a process that declares ``reuse`` still knows a
                                              record of the last scenario after ``reset``
      + IntegrationLoadError   errors         an ``--integration`` spec cannot be loaded
      + StepError              errors         a step cannot be carried out
        - UnsyncedRecordError  errors         a ``$record`` reference the integration left empty
      + StepFailed             context        a step's failures (a verdict, or fatal)
      + SnapshotFileError      given_checks   a ``given.snapshot`` file cannot be loaded
                                              (also a ValueError)
      + CaptureError           capture        ``scenarios capture`` cannot be made
      + ScenarioFailed         pytest_plugin  a scenario item failed (carries its result)
      + SchemaUndecided        schema         the fast schema check leaves a file to jsonschema
                                              (caught in ``schema.surely_valid``)

The classes defined here are those the engine's callers name; the others live with the code
that raises them. The simulator's tree is in :mod:`qbo_sim.errors`.
"""

from __future__ import annotations

from typing import Any


class HarnessError(Exception):
    """Base class of every harness error."""


class ScenarioSchemaError(HarnessError):
    """A scenario file is not valid YAML or does not match the scenario schema."""

    def __init__(self, path: str, problems: list[tuple[int, str]]) -> None:
        self.path = path
        #: (line, message) pairs, line 1-based (0 when unknown).
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(f"{self.path}:{line}: {message}" for line, message in self.problems)


class IntegrationError(HarnessError):
    """The integration raised (in-process) or answered with an error (subprocess)."""

    def __init__(self, method: str, message: str, traceback: str = "") -> None:
        self.method = method
        self.message = message
        self.traceback = traceback
        super().__init__(f"integration.{method}() raised {message}")

    @classmethod
    def from_answer(cls, method: str, error: dict[str, Any]) -> IntegrationError:
        """An error a subprocess answered (protocol ``error``: type, message, traceback)."""
        text = f"{error.get('type', 'Error')}: {error.get('message', '')}"
        return cls(method, text, str(error.get("traceback", "")))


class ReuseLeakError(IntegrationError):
    """After ``reset``, a process that declares ``reuse`` still reports a record of the
    scenario that just ran (:mod:`qbo_sim.harness.jsonlines`)."""

    def __init__(self, kind: str, key: str, left: object) -> None:
        self.kind, self.key, self.left = kind, key, left
        super().__init__(
            "reset",
            f"after reset the process still reports {kind} {key!r} as {left}: it declares "
            "'reuse', so reset must forget every record, token and connection of the "
            "scenario (or the integration drops the capability, and each scenario gets a "
            "fresh process)",
        )


class IntegrationLoadError(HarnessError):
    """An ``--integration`` spec could not be imported or started."""


class StepError(HarnessError):
    """A step could not be carried out (a bad reference, a missing simulator feature)."""


class UnsyncedRecordError(StepError):
    """A ``$record.<kind>.<key>.<field>`` reference is empty because the integration never
    synced that record: the integration's failure, not the scenario's."""

    def __init__(self, message: str, status: str) -> None:
        super().__init__(message)
        self.status = status
