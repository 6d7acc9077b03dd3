"""Mutants: single-bug variants of the reference connector (issue 11, the mutation suite).

Each module copies one bug integrators really ship (its docstring names the class and where
it was reported) into a small subclass of ``qbo_sim.connectors.fieldservice_sync`` and has a
``make_integration`` factory. ``tests/connectors/test_mutants.py`` holds the table mutant →
library scenario that kills it, and proves each one is killed by an integration verdict.
"""
