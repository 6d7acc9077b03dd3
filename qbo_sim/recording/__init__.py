"""Recordings of an integration's real traffic with QBO: made by a redacting proxy
(``qbo-sim record``) or in process (:func:`record`), turned into a scenario
(``qbo-sim scenarios from-recording``) and replayed for parity (``qbo-sim parity``).

Modules: :mod:`.format` (the JSON-lines file and its schema), :mod:`.redact` (secrets out
before anything is written), :mod:`.writer`, :mod:`.recorder` (in process, on ``requests``),
:mod:`.proxy` (the forwarding proxy), :mod:`.content` (the entities and faults a recording
shows), :mod:`.scenario` (snapshot and scenario skeleton), :mod:`.cli` (the commands).
"""

from __future__ import annotations

from qbo_sim.recording.format import (
    RECORDING_VERSION,
    Exchange,
    Message,
    Recording,
    RecordingError,
    read_recording,
)
from qbo_sim.recording.recorder import record
from qbo_sim.recording.redact import Redactor
from qbo_sim.recording.writer import RecordingWriter

__all__ = [
    "RECORDING_VERSION",
    "Exchange",
    "Message",
    "Recording",
    "RecordingError",
    "RecordingWriter",
    "Redactor",
    "read_recording",
    "record",
]
