"""``Simulator``: one object owning the Flask app, the store, the clock and the journal."""

from __future__ import annotations

import copy
import random
from typing import TYPE_CHECKING, Any, TextIO

from flask import Flask

from qbo_sim import (
    attachments,
    fidelity,
    idempotency,
    injection,
    oauth,
    outbox,
    snapshot,
    throttle,
    webhooks,
)
from qbo_sim.api import create_flask_app
from qbo_sim.api.context import ServedSimulator
from qbo_sim.auth import DevTokenAuth
from qbo_sim.clock import Clock
from qbo_sim.control_policy import ControlPolicy
from qbo_sim.idempotency import RequestIdMemory
from qbo_sim.injection import FaultInjector
from qbo_sim.interfaces import Authenticator, Pipeline, SimulatorLike
from qbo_sim.journal import Journal
from qbo_sim.oauth import OAuthServer
from qbo_sim.opcontext import API_USER, OpContext
from qbo_sim.presets import PRESET_RECORD, apply_preset, company_summary
from qbo_sim.rules import subscription
from qbo_sim.store import Company, Store
from qbo_sim.throttle import Throttle
from qbo_sim.user import QboUser
from qbo_sim.webhooks import Webhooks

if TYPE_CHECKING:
    from qbo_sim.intercept import SimMock
    from qbo_sim.persistence import Persistence
    from qbo_sim.server import SimServer

__all__ = ["DEFAULT_QBO_USER", "PRESET_RECORD", "Simulator", "company_summary", "mock"]

#: The QBO user named by 5010 when the control plane (a person in QBO) edited last.
DEFAULT_QBO_USER = "Craig Carlson"


class Simulator:
    """A QBO Accounting API simulator with any number of companies.

    >>> sim = Simulator(seed=7)
    >>> realm = sim.create_company()            # the ``sample`` preset
    >>> sim.clock.advance(hours=1)
    """

    def __init__(
        self, *, seed: int = 0, clock: Clock | None = None, request_seconds: float = 0.0
    ) -> None:
        self.seed = seed
        self.clock = clock or Clock()
        #: simulated duration of one API request: each ``/v3/`` call moves a frozen clock
        #: forward by this much once answered, so a sequential client makes requests at a
        #: realistic pace (and is not throttled at 10/s just because the clock stands still).
        #: A running clock is moved on only as far as needed for the request to have taken
        #: this long since it began (see api/gateway.py ``_pace``; ``qbo-sim serve`` uses
        #: 0.25). 0 = requests take no simulated time.
        self.request_seconds = request_seconds
        #: the largest ``/upload`` request body taken, in bytes (QBO's: 100 MB, DOC-ATT);
        #: lower it to bound what uploads keep in memory and snapshots.
        self.upload_limit = attachments.UPLOAD_LIMIT
        self.store = Store()
        self.journal = Journal()
        self.auth: Authenticator = DevTokenAuth()  # until oauth.install replaces it
        #: the gateway hooks, in the order of qbo_sim.interfaces.STAGES (see api/gateway.py);
        #: each feature's ``install`` below adds its own.
        self.hooks = Pipeline()
        #: who may drive the /_sim/ control plane (qbo_sim.control_policy).
        self.control_policy = ControlPolicy()
        #: unexpected exceptions raised inside the app (surfaced by the pytest plugin).
        self.errors: list[BaseException] = []
        self._companies_created = 0
        #: True while ``qbo-sim serve`` loads its start-up company: not ready (``health()``).
        self.starting = False
        #: the company ``qbo-sim serve`` printed: selected first on the OAuth consent page.
        self.default_realm: str | None = None
        self.app: Flask = create_flask_app(self)
        #: the features, typed by their classes; each ``install`` adds its gateway hook at the
        #: hook's stage, so the order of these lines does not decide the order of the hooks.
        self.oauth: OAuthServer = oauth.install(self)
        self.throttle: Throttle = throttle.install(self)
        self.injector: FaultInjector = injection.install(self)
        self.idempotency: RequestIdMemory = idempotency.install(self)
        self.webhooks: Webhooks = webhooks.install(self)

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
            #: how the company was made, so ``reset`` can make it again (snapshots keep it).
            company.extras[PRESET_RECORD] = {
                "preset": preset,
                "seed": company_seed,
                "name": company.name,
                "environment": environment,
                "preferences": copy.deepcopy(preferences),
                "fidelity": dict(fidelity_settings or {}),
            }
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

    def outbox(self, realm_id: str) -> list[dict[str, Any]]:
        """The e-mail sent from a company by ``/<txn>/<id>/send``, oldest first
        (``GET /_sim/outbox?realm=``)."""
        return outbox.messages(self.company(realm_id))

    def as_user(self, realm_id: str, name: str | None = None) -> QboUser:
        """Act as the QBO user of a company (edits made in QuickBooks itself)."""
        return QboUser(self, realm_id, name)

    # --- the control plane's Python twins (see docs/control-plane.md) --------------------
    @property
    def realm(self) -> str:
        """The realm id of the only company (``with qbo_sim.mock() as sim: sim.realm``)."""
        realms = self.store.realm_ids()
        if len(realms) != 1:
            raise ValueError(f"the simulator has {len(realms)} companies; name a realm id")
        return realms[0]

    def list_companies(self) -> list[dict[str, Any]]:
        """A summary of each company: realm id, name, environment, preset, seed, counts."""
        with self.store.lock:
            return [company_summary(self.company(r)) for r in self.store.realm_ids()]

    def reset(self, realm: str | None = None) -> list[str]:
        """Put one company (or every company) back to the state its preset and seed give."""
        with self.store.lock:
            realms = [realm] if realm is not None else self.store.realm_ids()
            recipes: dict[str, Any] = {r: self.company(r).extras.get(PRESET_RECORD) for r in realms}
            for r, recipe in recipes.items():
                if not isinstance(recipe, dict):
                    raise ValueError(f"company {r} has no preset record, so it cannot be reset")
            created = self._companies_created  # a reset does not shift later realm ids
            for r, recipe in recipes.items():
                old = self.store.remove(r)
                try:
                    self.create_company(
                        recipe["preset"],
                        seed=recipe["seed"],
                        name=recipe["name"],
                        realm_id=r,
                        environment=recipe["environment"],
                        preferences=copy.deepcopy(recipe.get("preferences")),
                        fidelity_settings=recipe.get("fidelity"),
                    )
                except BaseException:
                    self.store.add(old)
                    raise
            self._companies_created = created
            return realms

    def health(self) -> dict[str, Any]:
        """``GET /_sim/health``: always answered while the process serves. ``ready`` once
        start-up is over and a company exists (``GET /_sim/ready`` answers 503 until then)."""
        from importlib.metadata import PackageNotFoundError, version

        companies = len(self.store.realm_ids())
        ready = not self.starting and companies > 0
        try:
            release = version("qbo-sim")
        except PackageNotFoundError:  # pragma: no cover - run from a source tree
            release = None
        return {
            "status": "ok" if ready else "starting" if self.starting else "no company",
            "ready": ready,
            "companies": companies,
            "version": release,
            "clock": {"now": self.clock.now().isoformat(), "frozen": self.clock.frozen},
            "request_seconds": self.request_seconds,
            "throttle": bool(self.throttle.enabled),
            "dev_token": bool(self.oauth.allow_dev_token),
            "upload_limit": self.upload_limit,
        }

    def export_state(self, realm: str | None = None) -> dict[str, Any]:
        """A snapshot document of every company (or one) and the clock (qbo_sim.snapshot)."""
        return snapshot.export_state(self, realm)

    def import_state(
        self, doc: dict[str, Any], *, replace: bool = False, adopt: bool = False
    ) -> list[str]:
        """Load a snapshot document; returns its realm ids (qbo_sim.snapshot). ``adopt``: the
        document's rows become the entities without a copy, for a document nobody else
        holds or changes (one just parsed)."""
        return snapshot.import_state(self, doc, replace=replace, adopt=adopt)

    def persist(self, path: str, **options: Any) -> Persistence:
        """Keep every company in the SQLite file ``path`` from now on, restoring from it first
        if it holds state (qbo_sim.persistence); ``close()`` the result to compact and stop."""
        from qbo_sim.persistence import Persistence

        return Persistence.open(self, path, **options)

    def fidelity(self, realm: str) -> dict[str, Any]:
        """Every fidelity setting of a company, overrides applied (qbo_sim.fidelity)."""
        profile = self.company(realm).fidelity
        return {name: fidelity.get(profile, name) for name in fidelity.SETTINGS}

    def set_fidelity(self, realm: str, settings: dict[str, Any]) -> dict[str, Any]:
        """Change fidelity settings of a company; unknown names and wrong types raise
        (KeyError / TypeError) before anything changes. Returns every setting."""
        company = self.company(realm)
        for name, value in settings.items():
            default = fidelity.get({}, name)
            if type(value) is not type(default):
                raise TypeError(
                    f"fidelity setting {name!r} takes a {type(default).__name__}, "
                    f"not {type(value).__name__} {value!r}"
                )
        with company.unit_of_work():  # a unit, so that persistence keeps it
            for name, value in settings.items():
                company.set_fidelity(name, value)
        return self.fidelity(realm)

    def mock(self) -> SimMock[Simulator]:
        """Route ``requests`` calls to Intuit's hosts into this simulator (qbo_sim.intercept);
        a context manager (yielding the simulator) and a decorator."""
        from qbo_sim.intercept import SimMock  # late: only in-process tests need ``responses``

        return SimMock(self)

    def serve(
        self,
        port: int = 0,
        host: str = "127.0.0.1",
        threads: int = 16,
        *,
        access_log: TextIO | None = None,
        log_format: str = "text",
    ) -> SimServer:
        """Serve this simulator over HTTP in a background thread (qbo_sim.server); a context
        manager yielding the base URL: ``with sim.serve() as url: ...``. ``access_log`` (e.g.
        ``sys.stderr``) gets one line per request, ``log_format`` "text" or "json"."""
        from qbo_sim.server import SimServer  # late: only server mode needs waitress

        return SimServer(
            self.app,
            host=host,
            port=port,
            threads=threads,
            access_log=access_log,
            log_format=log_format,
        )

    def set_subscription(self, realm_id: str, status: str) -> str:
        """``"ended"``: the company's QBO subscription ended, every API write answers 6190;
        ``"active"`` again to lift it (qbo_sim.rules.subscription)."""
        if status not in subscription.STATES:
            raise ValueError(f"subscription status must be one of {subscription.STATES}")
        company = self.company(realm_id)
        with company.unit_of_work():
            company.set_extra(subscription.EXTRAS_KEY, status)
        return status

    def _new_realm_id(self, seed: int) -> str:
        rng = random.Random(f"realm:{seed}")
        while True:
            realm = str(rng.randrange(4_620_816_000_000_000_000, 9_341_455_999_999_999_999))
            if self.store.get(realm) is None:
                return realm


def mock(
    *,
    preset: str = "sample",
    seed: int = 0,
    clock: Clock | None = None,
    environment: str = "sandbox",
) -> SimMock[Simulator]:
    """A new simulator with one company, routed in-process: ``with qbo_sim.mock() as sim:``.

    The company's realm id is ``sim.realm``. Used as a decorator, the simulator is created
    once, when the function is decorated.
    """
    sim = Simulator(seed=seed, clock=clock)
    sim.create_company(preset, environment=environment)
    return sim.mock()


if TYPE_CHECKING:  # mypy checks that a Simulator is what the layers below it take
    _CONFORMS: type[SimulatorLike] = Simulator
    _SERVED: type[ServedSimulator] = Simulator
