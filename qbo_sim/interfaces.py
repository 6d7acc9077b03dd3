"""The types the layers above the domain share, so none of them imports a layer above it.

- :class:`ApiCall`: what the gateway knows about one ``/v3/`` request; authenticators and
  gateway hooks take it (re-exported by :mod:`qbo_sim.api.gateway`).
- :class:`Authenticator` and :class:`GatewayHook`: what ``sim.auth`` and each entry of
  ``sim.hooks`` must provide.
- :class:`SimulatorLike`: what the blueprints (:mod:`qbo_sim.api`), the gateway features
  (oauth, throttle, injection, idempotency, webhooks), :mod:`qbo_sim.user`,
  :mod:`qbo_sim.snapshot` and the transports need from a :class:`qbo_sim.simulator.Simulator`.
  They take a ``SimulatorLike`` instead of importing ``simulator.py``, which sits above them
  and imports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

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


class GatewayHook(Protocol):
    """An entry of ``sim.hooks`` (see :mod:`qbo_sim.api.gateway`)."""

    def before(self, call: ApiCall) -> Response | None: ...

    def after(self, call: ApiCall, response: Response) -> Response: ...


class SimulatorLike(Protocol):
    """The part of :class:`qbo_sim.simulator.Simulator` the layers below it use."""

    seed: int
    clock: Clock
    request_seconds: float
    store: Store
    journal: Journal
    auth: Any
    hooks: list[Any]
    oauth: Any
    throttle: Any
    injector: Any
    idempotency: Any
    webhooks: Any
    errors: list[BaseException]
    control_policy: ControlPolicy
    app: Flask

    starting: bool

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

    def import_state(self, doc: dict[str, Any], *, replace: bool = False) -> list[str]: ...

    def fidelity(self, realm: str) -> dict[str, Any]: ...

    def set_fidelity(self, realm: str, settings: dict[str, Any]) -> dict[str, Any]: ...

    def set_subscription(self, realm_id: str, status: str) -> str: ...
