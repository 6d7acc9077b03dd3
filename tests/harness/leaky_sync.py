"""A JSON-lines integration with the bug reuse must catch: one connector object for the whole
process (``serve_jsonl``'s factory hands back the same one), so a reset forgets nothing and
the next scenario would start with the last one's records. For tests/harness/test_reuse.py."""

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.harness.jsonlines import serve_jsonl

SHARED = FieldServiceSync()

if __name__ == "__main__":
    serve_jsonl(lambda: SHARED)
