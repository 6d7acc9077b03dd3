"""``python3 -m qbo_sim.connectors.fieldservice_sync``: the connector as a JSON-lines subprocess."""

from qbo_sim.connectors.fieldservice_sync import make_integration
from qbo_sim.harness.jsonlines import serve_jsonl

if __name__ == "__main__":
    serve_jsonl(make_integration)
