"""Correct variants of the reference connector (``qbo_sim.connectors.fieldservice_sync``).

Each module is a small subclass or configuration of the reference connector that behaves
differently from it but *correctly*, and has a ``make_integration`` factory. A scenario that
fails one of them is a false positive of the library (issue 11, "verdicts you can trust");
``tests/connectors/test_correct_variants.py`` runs each against the scenarios it once failed.
They are the seed of a mutation suite: incorrect variants (mutants) belong next to them.
"""
