"""``Simulator``: one object owning the Flask app, the store, the clock and the journal."""

from __future__ import annotations

import random
from typing import Any

from flask import Flask

from qbo_sim import fidelity
from qbo_sim.auth import DevTokenAuth
from qbo_sim.clock import Clock
from qbo_sim.journal import Journal
from qbo_sim.operations import API_USER, OpContext
from qbo_sim.presets import apply_preset
from qbo_sim.store import Company, Store
from qbo_sim.user import QboUser

#: The QBO user named by 5010 when the control plane (a person in QBO) edited last.
DEFAULT_QBO_USER = "Craig Carlson"


class Simulator:
    """A QBO Accounting API simulator with any number of companies.

    >>> sim = Simulator(seed=7)
    >>> realm = sim.create_company()            # the ``sample`` preset
    >>> sim.clock.advance(hours=1)
    """

    def __init__(self, *, seed: int = 0, clock: Clock | None = None) -> None:
        from qbo_sim.app import create_app

        self.seed = seed
        self.clock = clock or Clock()
        self.store = Store()
        self.journal = Journal()
        self.auth: Any = DevTokenAuth()
        #: gateway hooks (throttling, fault injection, idempotency), see api/gateway.py.
        self.hooks: list[Any] = []
        #: unexpected exceptions raised inside the app (surfaced by the pytest plugin).
        self.errors: list[BaseException] = []
        self._companies_created = 0
        self.app: Flask = create_app(self)
        for install in _feature_installers():
            install(self)

    # --- companies ---------------------------------------------------------------------
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
    ) -> str:
        """Create a company from a preset and return its realm id."""
        with self.store.lock:
            self._companies_created += 1
            company_seed = self.seed * 1000 + self._companies_created if seed is None else seed
            realm = realm_id or self._new_realm_id(company_seed)
            if self.store.get(realm) is not None:
                raise ValueError(f"a company with realm id {realm} already exists")
            if environment not in ("sandbox", "production"):
                raise ValueError("environment must be 'sandbox' or 'production'")
            for key in fidelity_settings or {}:
                fidelity.get({}, key)  # unknown setting → KeyError
            company = Company(
                realm_id=realm,
                name=name or f"Sandbox Company_US_{self._companies_created}",
                environment=environment,
                fidelity=dict(fidelity_settings or {}),
            )
            ctx = OpContext(company, self.clock, actor=DEFAULT_QBO_USER, user_edit=True)
            with company.unit_of_work():
                apply_preset(
                    ctx, preset, company_seed, company_name=company.name, preferences=preferences
                )
            self.store.add(company)
            return realm

    def company(self, realm_id: str) -> Company:
        found = self.store.get(realm_id)
        if found is None:
            raise KeyError(f"no company with realm id {realm_id}")
        return found

    def delete_company(self, realm_id: str) -> None:
        self.company(realm_id)
        self.store.remove(realm_id)

    def context(
        self, realm_id: str, *, actor: str | None = None, options: frozenset[str] = frozenset()
    ) -> OpContext:
        """An operation context for direct Python calls; ``actor`` defaults to the QBO user."""
        user_edit = actor != API_USER
        return OpContext(
            self.company(realm_id),
            self.clock,
            actor=actor or DEFAULT_QBO_USER,
            user_edit=user_edit,
            options=options,
        )

    def as_user(self, realm_id: str, name: str | None = None) -> QboUser:
        """Act as the QBO user of a company (edits made in QuickBooks itself)."""
        return QboUser(self, realm_id, name)

    def _new_realm_id(self, seed: int) -> str:
        rng = random.Random(f"realm:{seed}")
        while True:
            realm = str(rng.randrange(4_620_816_000_000_000_000, 9_341_455_999_999_999_999))
            if self.store.get(realm) is None:
                return realm


def _feature_installers() -> list[Any]:
    """Each optional feature module attaches itself to a new simulator (``install(sim)``)."""
    from qbo_sim import idempotency, injection, oauth, throttle

    return [oauth.install, throttle.install, injection.install, idempotency.install]
