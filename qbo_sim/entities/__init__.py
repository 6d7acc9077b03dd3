"""The registry of QBO entity types: what each one is and how the simulator treats it.

One :class:`EntitySpec` per entity (reference §5.1, §5.4, §6), defined by family:
:mod:`.lists` (name lists and parties), :mod:`.sales`, :mod:`.purchases`, :mod:`.banking`,
:mod:`.time_tracking`, :mod:`.settings`, :mod:`.attachments` and :mod:`.currency`. Every
per-entity fact is a field of the spec; the API layer looks up URL path segments here, the
store reads which fields to index, the rules and derivations read the spec's facts, and the
query engine reads the entity names.

:func:`register` adds entities at run time (tests, extensions): see CONTRIBUTING.md,
"Adding an entity".
"""

from __future__ import annotations

from types import TracebackType

from qbo_sim.entities import (
    attachments,
    banking,
    currency,
    inventory,
    lists,
    purchases,
    sales,
    settings,
    time_tracking,
)
from qbo_sim.entities.spec import (
    PARTY_NAMESPACE,
    DocNumbers,
    DocSeries,
    EntitySpec,
    Kind,
    Ledger,
    LineKind,
    TotalKind,
    list_spec,
    txn_spec,
)

__all__ = [
    "BY_PATH",
    "ENTITIES",
    "PARTY_NAMESPACE",
    "REF_TARGETS",
    "SALES_FORMS",
    "DocNumbers",
    "DocSeries",
    "EntitySpec",
    "Kind",
    "Ledger",
    "LineKind",
    "Registration",
    "TotalKind",
    "list_spec",
    "lookup",
    "ref_target",
    "register",
    "txn_spec",
]

ENTITIES: dict[str, EntitySpec] = {
    spec.name: spec
    for family in (
        lists,
        sales,
        purchases,
        inventory,
        banking,
        time_tracking,
        settings,
        attachments,
        currency,
    )
    for spec in family.SPECS
}

#: The sales forms (``lines="sales"``), as of import: rules read ``spec.lines`` instead.
SALES_FORMS = frozenset(name for name, spec in ENTITIES.items() if spec.lines == "sales")

#: URL segment → spec (``salesreceipt`` → SalesReceipt). URIs are case sensitive (§5.1).
BY_PATH: dict[str, EntitySpec] = {spec.path: spec for spec in ENTITIES.values()}
_BY_LOWER = {spec.name.lower(): spec for spec in ENTITIES.values()}

#: Reference field names and the entity each one names (§5.2, DOC-ENT), from the specs'
#: ``ref_fields``; ``ParentRef`` names the entity holding it.
REF_TARGETS: dict[str, str] = {
    ref: spec.name for spec in ENTITIES.values() for ref in spec.ref_fields
} | {"ParentRef": ""}


def lookup(name: str) -> EntitySpec | None:
    """Case-insensitive lookup by entity name (query language, control plane)."""
    return _BY_LOWER.get(name.lower())


def ref_target(field_name: str) -> str | None:
    """The entity a ``*Ref`` field points at (``ClassRef`` → Class), when it is fixed."""
    return REF_TARGETS.get(field_name)


class Registration:
    """Entities added by :func:`register`; removed again by :meth:`close` or on leaving a
    ``with`` block, restoring the registry as it was."""

    def __init__(self, specs: tuple[EntitySpec, ...]) -> None:
        self.specs = specs
        self._refs: dict[str, str | None] = {}
        for spec in specs:
            if spec.name.lower() in _BY_LOWER or spec.path in BY_PATH:
                raise ValueError(f"entity {spec.name} is already registered")
        for spec in specs:
            ENTITIES[spec.name] = BY_PATH[spec.path] = _BY_LOWER[spec.name.lower()] = spec
            for ref in spec.ref_fields:
                self._refs.setdefault(ref, REF_TARGETS.get(ref))
                REF_TARGETS[ref] = spec.name

    def close(self) -> None:
        for spec in self.specs:
            if ENTITIES.get(spec.name) is spec:
                del ENTITIES[spec.name], BY_PATH[spec.path], _BY_LOWER[spec.name.lower()]
        for ref, previous in self._refs.items():
            if previous is None:
                REF_TARGETS.pop(ref, None)
            else:
                REF_TARGETS[ref] = previous
        self._refs.clear()

    def __enter__(self) -> Registration:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def register(*specs: EntitySpec) -> Registration:
    """Add entity types to the registry now: the API serves them (create, read, query,
    update, delete) and the rules and derivations treat them by their specs' facts.

    ``with register(spec): ...`` removes them again afterwards (or call ``.close()``).
    A spec whose schema is not in ``qbo_sim/schemas/`` carries it in ``spec.schema``.
    """
    return Registration(specs)
