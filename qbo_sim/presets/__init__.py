"""Company presets: ``empty`` (settings only), ``sample`` (a ready field-service company) and
``sample_multicurrency`` (the sample with multicurrency on and EUR/CAD business).

Both are built from a seed, so the same seed gives byte-identical data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from qbo_sim.presets.base import install_base

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext
    from qbo_sim.store import Company

#: ``company.extras`` key recording the preset, seed and options a company was created with.
PRESET_RECORD = "preset"

PresetBuilder = Callable[["OpContext", int], None]


def _empty(ctx: OpContext, seed: int) -> None:
    return None


def _sample(ctx: OpContext, seed: int) -> None:
    from qbo_sim.presets.sample import build

    build(ctx, seed)


def _sample_multicurrency(ctx: OpContext, seed: int) -> None:
    from qbo_sim.presets.multicurrency import build

    build(ctx, seed)


PRESETS: dict[str, PresetBuilder] = {
    "empty": _empty,
    "sample": _sample,
    "sample_multicurrency": _sample_multicurrency,
}
#: Presets built on the sample company (its Preferences: class and location tracking...).
SAMPLE_LIKE = frozenset({"sample", "sample_multicurrency"})


def apply_preset(
    ctx: OpContext,
    preset: str,
    seed: int,
    *,
    company_name: str,
    preferences: dict[str, Any] | None = None,
) -> None:
    """Install CompanyInfo, Preferences and tax codes, then the preset's data."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose one of {sorted(PRESETS)}")
    if preset == "sample_multicurrency":
        from qbo_sim.presets.multicurrency import PREFERENCES

        preferences = {**PREFERENCES, **(preferences or {})}
    install_base(ctx, company_name, sample=preset in SAMPLE_LIKE, overrides=preferences)
    PRESETS[preset](ctx, seed)


def company_summary(company: Company) -> dict[str, Any]:
    """What the control plane lists about a company (its preset record included)."""
    recipe = company.extras.get(PRESET_RECORD) or {}
    return {
        "realm_id": company.realm_id,
        "name": company.name,
        "environment": company.environment,
        "preset": recipe.get("preset"),
        "seed": recipe.get("seed"),
        "entities": {t: len(rows) for t, rows in sorted(company.entities.items()) if rows},
    }
