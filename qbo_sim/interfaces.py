"""The types the layers above the domain share, so none of them imports a layer above it.

- :class:`ApiCall`: what the gateway knows about one ``/v3/`` request; authenticators and
  gateway hooks take it (re-exported by :mod:`qbo_sim.api.gateway`).
- :class:`Authenticator` and :class:`GatewayHook`: what ``sim.auth`` and each hook of
  ``sim.hooks`` must provide.
- :data:`STAGES` and :class:`Pipeline`: the gateway's hooks (``sim.hooks``), kept in the one
  order they run, stated here once.
- :class:`SimulatorLike`: what the blueprints (:mod:`qbo_sim.api`), the gateway features
  (oauth, throttle, injection, idempotency, webhooks), :mod:`qbo_sim.user`,
  :mod:`qbo_sim.snapshot` and the transports need from a :class:`qbo_sim.simulator.Simulator`.
  They take a ``SimulatorLike`` instead of importing ``simulator.py``, which sits above them
  and imports them. The features themselves (``sim.oauth``, ``sim.throttle``...) are typed by
  their classes where the layers above them use them (:class:`qbo_sim.api.context.ServedSimulator`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, get_args

from qbo_sim.clock import Clock
from qbo_sim.control_policy import ControlPolicy
from qbo_sim.journal import Journal
from qbo_sim.opcontext import OpContext
from qbo_sim.store import Company, Store

if TYPE_CHECKING:
    from flask import Flask, Response


@dataclass
class ApiCall:
    """What the gateway knows about one API request."""

    method: str
    path: str
    args: dict[str, str]
    body: bytes
    host: str
    intuit_tid: str
    realm_id: str | None = None
    company: Company | None = None
    requestid: str | None = None
    token: Any = None
    extras: dict[str, Any] = field(default_factory=dict)


class Authenticator(Protocol):
    """``sim.auth``: the token of a call (any object), or a raised ``QBOFault``."""

    def authenticate(self, call: ApiCall, header: str | None) -> Any: ...


#: A stage of the gateway pipeline (see :data:`STAGES`).
Stage = Literal["throttle", "injection", "idempotency", "webhooks", "custom"]

#: The order of the gateway hooks around every ``/v3/`` request, stated once. ``before`` runs
#: in this order once the request is authenticated, ``after`` in reverse once it is answered:
#:
#: - ``throttle`` (:mod:`qbo_sim.throttle`) first, so every request counts towards the limits,
#:   a replayed or failed one too, and a throttled one meets nothing else;
#: - ``injection`` (:mod:`qbo_sim.injection`) next, so injected faults hit replays as well; its
#:   ``after`` runs after idempotency's, so an ambiguous failure replaces the response only
#:   once the real success is stored under the ``requestid``;
#: - ``idempotency`` (:mod:`qbo_sim.idempotency`): a remembered ``requestid`` is answered
#:   before the view runs;
#: - ``webhooks`` (:mod:`qbo_sim.webhooks`): with ``auto_deliver`` on, its ``after``, the first
#:   to run, delivers what the request committed;
#: - ``custom``: hooks added by tests or embedders, innermost (closest to the view), in the order
#:   added.
STAGES: tuple[Stage, ...] = get_args(Stage)


class GatewayHook(Protocol):
    """A hook of ``sim.hooks`` (run by :mod:`qbo_sim.api.gateway`), at its :data:`STAGES` place.

    ``before`` may answer the request itself (the view and later hooks' ``before`` do not run);
    ``after`` gets every response, its own included, and returns the one to send.

    A hook may also define ``idle(call) -> bool``: True when, for this call, its ``before``
    would answer nothing and change nothing and its ``after`` would return the response
    unchanged (nothing configured). The pipeline then skips both for that call (see
    :meth:`Pipeline.before`), so a feature nobody uses costs nothing.
    """

    @property
    def stage(self) -> Stage: ...

    def before(self, call: ApiCall) -> Response | None: ...

    def after(self, call: ApiCall, response: Response) -> Response: ...


class Pipeline:
    """``sim.hooks``: the gateway hooks, always in :data:`STAGES` order whatever the order they
    are added in. Each built-in stage takes one hook; ``custom`` takes any number."""

    def __init__(self) -> None:
        self._hooks: tuple[GatewayHook, ...] = ()

    def add(self, hook: GatewayHook) -> None:
        """Put ``hook`` at the place its ``stage`` gives; ValueError for an unknown stage or a
        second hook at a built-in stage."""
        stage = getattr(hook, "stage", None)
        if stage not in STAGES:
            raise ValueError(
                f"gateway hook {hook!r} has stage {stage!r}; a hook declares one of {STAGES}"
            )
        taken = [h for h in self._hooks if h.stage == stage]
        if taken and stage != "custom":
            raise ValueError(f"the gateway already has a {stage} hook: {taken[0]!r}")
        place = STAGES.index(stage)
        hooks = list(self._hooks)
        index = sum(1 for h in hooks if STAGES.index(h.stage) <= place)
        hooks.insert(index, hook)
        self._hooks = tuple(hooks)  # a request iterating meanwhile keeps the old tuple

    def remove(self, hook: GatewayHook) -> None:
        """Take ``hook`` out (ValueError when it is not there)."""
        hooks = list(self._hooks)
        hooks.remove(hook)
        self._hooks = tuple(hooks)

    def stages(self) -> list[Stage]:
        """The stage of each hook, in the order ``before`` runs."""
        return [h.stage for h in self._hooks]

    def __iter__(self) -> Iterator[GatewayHook]:
        return iter(self._hooks)

    def __len__(self) -> int:
        return len(self._hooks)

    def before(self, call: ApiCall) -> Response | None:
        """Each hook's ``before`` in order; the first answer ends the run and is returned.

        Hooks that say they are idle for ``call`` are skipped, here and in :meth:`after` for
        the same call (the set is decided once, so a hook whose ``before`` ran always gets
        its ``after``)."""
        active = tuple(hook for hook in self._hooks if not _idle(hook, call))
        call.extras[_ACTIVE] = active
        for hook in active:
            answer = hook.before(call)
            if answer is not None:
                return answer
        return None

    def after(self, call: ApiCall, response: Response) -> Response:
        """Each hook's ``after`` in reverse order, each given the response of the one before:
        the hooks :meth:`before` chose for ``call`` (every hook when it did not run)."""
        active: tuple[GatewayHook, ...] | None = call.extras.pop(_ACTIVE, None)
        if active is None:
            active = self._hooks
        for hook in reversed(active):
            response = hook.after(call, response)
        return response


#: ``ApiCall.extras`` key of the hooks :meth:`Pipeline.before` chose for a call.
_ACTIVE = "pipeline_active_hooks"


def _idle(hook: GatewayHook, call: ApiCall) -> bool:
    idle = getattr(hook, "idle", None)
    return idle is not None and bool(idle(call))


class SimulatorLike(Protocol):
    """The part of :class:`qbo_sim.simulator.Simulator` the layers below it use."""

    seed: int
    clock: Clock
    request_seconds: float
    #: the largest ``POST /upload`` body accepted, in bytes (6030 above it)
    upload_limit: int
    store: Store
    journal: Journal
    auth: Authenticator
    hooks: Pipeline
    errors: list[BaseException]
    control_policy: ControlPolicy
    app: Flask

    starting: bool
    default_realm: str | None

    @property
    def realm(self) -> str: ...

    def health(self) -> dict[str, Any]: ...

    def company(self, realm_id: str) -> Company: ...

    def context(
        self, realm_id: str, *, actor: str | None = None, options: frozenset[str] = frozenset()
    ) -> OpContext: ...

    def as_user(self, realm_id: str, name: str | None = None) -> Any: ...

    def create_company(
        self,
        preset: str = "sample",
        *,
        seed: int | None = None,
        name: str | None = None,
        realm_id: str | None = None,
        environment: str = "sandbox",
        preferences: dict[str, Any] | None = None,
        fidelity_settings: dict[str, Any] | None = None,
    ) -> str: ...

    def delete_company(self, realm_id: str) -> None: ...

    def list_companies(self) -> list[dict[str, Any]]: ...

    def reset(self, realm: str | None = None) -> list[str]: ...

    def export_state(self, realm: str | None = None) -> dict[str, Any]: ...

    def import_state(
        self, doc: dict[str, Any], *, replace: bool = False, adopt: bool = False
    ) -> list[str]: ...

    def fidelity(self, realm: str) -> dict[str, Any]: ...

    def set_fidelity(self, realm: str, settings: dict[str, Any]) -> dict[str, Any]: ...

    def set_subscription(self, realm_id: str, status: str) -> str: ...
