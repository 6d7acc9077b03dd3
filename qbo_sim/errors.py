"""The simulator's exceptions: one base class, :class:`SimError`.

The simulator's exception hierarchy (each class with its module in ``qbo_sim``, and the built-in
base it also keeps where callers catch that)::

    * SimError
      + QBOFault          faults              a QBO error, rendered as a Fault body
      + OAuthError        oauth.records       an RFC 6749 error from the OAuth server
      + ControlError      api.control_common  a control-plane (``/_sim``) error
      + SnapshotError     snapshot            not a snapshot this version reads
                                              (also a ValueError)
      + PersistenceError  persistence         the state file cannot be opened or read
                                              (also a RuntimeError)
      + RuleError         fault_rules         a fault-injection rule the parser refuses
                                              (also a ValueError)
      + MultipartError    multipart           a body that is not multipart/form-data
                                              (also a ValueError)
      + UnreadableRequest loopback_server     bytes that are not an HTTP/1.x request
                                              (also a ValueError)
      + RecordingError    recording.format    not a recording this version reads, or one
                                              that cannot be made (also a ValueError)
        - NotARecord      recording.records   a recorded write no field-service record
                                              describes (caught: a FILL IN line)

The harness has its own tree (:mod:`qbo_sim.harness.errors`), and so does the example
connector (:mod:`qbo_sim.connectors.fieldservice_sync.client`). This module is in the lowest
layer so that every part of the simulator can derive from it; it imports nothing.
"""

from __future__ import annotations


class SimError(Exception):
    """Base class of every exception the simulator defines."""
