"""``python3 -m examples.fieldservice_sync``: the connector as a JSON-lines subprocess."""

from examples.fieldservice_sync import make_integration
from harness.jsonlines import serve_jsonl

if __name__ == "__main__":
    serve_jsonl(make_integration)
