"""The harness's exceptions: one base class, each subclass a one-line reason."""

from __future__ import annotations


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
