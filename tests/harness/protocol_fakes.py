"""Small JSON-lines integrations that break protocol 1 in one way each (argv[1] names it),
for tests/harness/test_protocol.py. Otherwise they answer like an integration that syncs
nothing: every record stays pending."""

from __future__ import annotations

import json
import sys

MODE = sys.argv[1] if len(sys.argv) > 1 else "good"


def write(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> None:
    for line in sys.stdin:
        message = json.loads(line)
        ident, method = message["id"], message["method"]
        if method == "hello":
            version = 2 if MODE == "version-2" else 1
            write({"id": ident, "result": {"protocol": version, "name": f"fake-{MODE}"}})
            continue
        if method == "status":
            if MODE == "bad-status":
                write({"id": ident, "result": {"state": "done", "attempts": 1}})
                continue
            write({"id": ident, "result": {"state": "pending", "attempts": 0}})
            continue
        if method == "sync":
            print("debug: a sync pass (not JSON: ignored)", flush=True)
            if MODE == "not-json":
                sys.stdout.write('{"id": ' + str(ident) + ", result: null}\n")
                sys.stdout.flush()
                continue
            if MODE == "wrong-id":
                write({"id": ident + 7, "result": None})
                continue
            if MODE == "bad-call":
                write({"id": "c1", "method": "sleep", "params": {"seconds": "soon"}})
        write({"id": ident, "result": None})
        if method == "close":
            return


if __name__ == "__main__":
    main()
