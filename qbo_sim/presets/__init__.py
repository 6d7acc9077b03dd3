"""Company presets: ``empty`` (settings only), ``sample`` (a ready field-service company) and
the sales-tax companies ``us_tax``, ``us_ast``, ``uk``, ``ca``, ``au`` (empty but for their tax
setup; which tax model each preset is: :mod:`qbo_sim.presets.tax`) and ``sample_multicurrency``
(the sample with multicurrency on and EUR/CAD business).

All are built from a seed, so the same seed gives byte-identical data.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from qbo_sim.presets import tax
from qbo_sim.presets.base import install_base, merge_preferences

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


def _us_tax(ctx: OpContext, seed: int) -> None:
    tax.install_us_manual(ctx)


def _us_ast(ctx: OpContext, seed: int) -> None:
    tax.install_us_ast(ctx)


def _global(preset: str) -> PresetBuilder:
    def build(ctx: OpContext, seed: int) -> None:
        tax.install_global(ctx, preset)

    return build


def _sample_multicurrency(ctx: OpContext, seed: int) -> None:
    from qbo_sim.presets.multicurrency import build

    build(ctx, seed)


PRESETS: dict[str, PresetBuilder] = {
    "empty": _empty,
    "sample": _sample,
    "us_tax": _us_tax,
    "us_ast": _us_ast,
    **{name: _global(name) for name in tax.GLOBAL},
    "sample_multicurrency": _sample_multicurrency,
}
#: Preferences a preset starts from (under the caller's ``preferences``).
PRESET_PREFERENCES: dict[str, dict[str, Any]] = {
    "us_ast": {"TaxPrefs": {"UsingSalesTax": True, "PartnerTaxEnabled": True}},
    **{name: tax.global_preferences(name) for name in tax.GLOBAL},
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
    base = PRESET_PREFERENCES.get(preset, {})
    if preset == "sample_multicurrency":
        from qbo_sim.presets.multicurrency import PREFERENCES

        base = PREFERENCES
    overrides = merge_preferences(copy.deepcopy(base), preferences)
    is_global = preset in tax.GLOBAL
    install_base(
        ctx,
        company_name,
        sample=preset in SAMPLE_LIKE,
        overrides=overrides,
        info=tax.global_company_info(preset) if is_global else None,
        pseudo_codes=not is_global,
    )
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
        # the company's local time (its answers' ``time``, the journal's times) is UTC plus this
        "utc_offset_minutes": company.utc_offset_minutes,
    }
