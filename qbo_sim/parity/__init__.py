"""Parity: how closely the simulator answers as QBO did, measured by structure (keys, value
types, formats, XML element order), never by value.

:mod:`.shape` reduces a body to its structure, :mod:`.compare` lists the differences of two
structures, :mod:`.replay` replays a recording (:mod:`qbo_sim.recording`) against a fresh
simulator and compares every answer (``qbo-sim parity FILE``). The corpus of captured QBO
bodies in ``tests/parity/`` uses the same comparison.
"""
