"""An independent field-service → QBO connector, written only from ``docs/harness.md`` (the
integration protocol) and the QBO reference (``/work/shared/qbo-reference.md``), sharing no
code with ``qbo_sim.connectors``. It exists to find scenarios that pass only for the reference
connector's policies (false positives); ``tests/connectors/test_independent.py`` runs it over
the whole library.

Its policies differ from the reference connector's on purpose, while staying correct:

- **transport**: no waiting inside a pass. A 429, a 5xx or a lost connection leaves the record
  pending (code ``429`` / ``5xx`` / ``NO_ANSWER``) and, for 429, ends the pass (the realm is
  throttled: the rest waits for the next pass). The write's ``requestid`` is kept until QBO
  answers definitively, so a retry in a later pass cannot duplicate.
- **tokens**: refreshed ahead of expiry (5 minutes before ``access_token_expires_at``), and
  once on a 401; the rotated refresh token is kept.
- **updates**: every update reads the entity first (fresh SyncToken) and sends a sparse
  update of our own fields only; a 5010 gets one re-read and retry.
- **look-up before create** by the record's QBO identity (DisplayName, Name, DocNumber; a
  payment among its invoice's linked payments); a look-up that fails is never followed by a
  create.
- **webhooks** (``receive_webhook``): the signature is verified, notifications are de-duplicated
  by (entity, id, operation, lastUpdated), and each one is reconciled by reading QBO, so order
  does not matter. A ``Merge`` relinks the records that pointed at ``deletedId`` to the
  survivor. What is learned (an invoice's balance or deletion, a name) is the harness's
  ``inbound`` view. Reads happen inside the handler (no queue); lost notifications are caught
  up hourly by CDC or, past 29 days (CDC looks back 30), by reading every linked record.
- **no local limit checks**: names and numbers go to QBO as they are (trimmed) and QBO's own
  2050 is surfaced.
- a record deleted and created again under the same key forgets its old QBO id.
- **paperwork**: an attachment is uploaded with its metadata (``file_metadata_0``); QBO is
  searched for it only after an upload that got no answer. An invoice the operator asked to
  send is e-mailed after its write; after a send without an answer, a ``DeliveryTime`` it
  had not seen on the invoice means QBO sent it.
"""

from __future__ import annotations

from tests.connectors.independent.connector import IndependentSync, make_integration

__all__ = ["IndependentSync", "make_integration"]
