"""Company settings, one object per company (reference §5.1, §5.10): CompanyInfo (read at
``/companyinfo/<realmId>``) and Preferences (read at ``/preferences``, webhooks on update
only)."""

from __future__ import annotations

from qbo_sim.entities.spec import EntitySpec

SPECS: tuple[EntitySpec, ...] = (
    EntitySpec("CompanyInfo", "settings", creatable=False, webhooks=None, singleton_read="realm"),
    EntitySpec(
        "Preferences",
        "settings",
        creatable=False,
        webhooks="update",
        singleton_read="path",
        currency_prefs=True,  # CurrencyPrefs read-only through the API (DOC-MC)
    ),
)
