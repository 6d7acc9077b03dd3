"""Small JSON-lines integrations that break protocol 1 in one way each (argv[1] names it),
for tests/harness/test_protocol.py and test_reuse.py. Otherwise they answer like an
integration that syncs nothing: every record stays pending.

Modes whose name starts with ``reuse`` declare the ``reuse`` capability (revision 2): ``reuse``
resets properly; ``reuse-exit`` exits on its first sync; ``reuse-reset-error`` answers reset
with an error; ``reuse-statuses-short`` declares ``statuses`` and answers one item fewer than
asked, ``reuse-statuses-rotated`` every item but in another order. ``hang`` never answers sync,
``hang-on-close`` never answers close. Every mode writes ``connect #N`` on stderr at each
connect."""

from __future__ import annotations

import json
import sys
import time

MODE = sys.argv[1] if len(sys.argv) > 1 else "good"


def write(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> None:
    connects = 0
    for line in sys.stdin:
        message = json.loads(line)
        ident, method = message["id"], message["method"]
        if method == "hello":
            version = 2 if MODE == "version-2" else 1
            result: dict[str, object] = {"protocol": version, "name": f"fake-{MODE}"}
            if MODE.startswith("reuse"):
                result["capabilities"] = ["reuse"]
                if MODE.startswith("reuse-statuses"):
                    result["capabilities"] = ["reuse", "statuses"]
            write({"id": ident, "result": result})
            continue
        if method == "connect":
            connects += 1
            print(f"connect #{connects}", file=sys.stderr, flush=True)
        if method == "reset" and MODE == "reuse-reset-error":
            write({"id": ident, "error": {"type": "RuntimeError", "message": "cannot reset"}})
            continue
        if method == "sync" and MODE == "hang":
            time.sleep(60)
        if method == "close" and MODE == "hang-on-close":
            time.sleep(60)
        if method == "sync" and MODE == "reuse-exit":
            sys.exit(3)
        if method == "sync" and MODE == "bad-stderr":  # not UTF-8, then gone
            sys.stderr.flush()
            sys.stderr.buffer.write(b"latin-1 caf\xe9\n")
            sys.stderr.buffer.flush()
            sys.exit(4)
        if method == "statuses":
            records = message["params"]["records"]
            records = records[1:] if MODE == "reuse-statuses-short" else records[1:] + records[:1]
            status = {"state": "pending", "attempts": 0}
            write({"id": ident, "result": [{**record, "status": status} for record in records]})
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
            if MODE == "bad-utf8":  # not UTF-8: the harness reads a replacement character
                sys.stdout.flush()
                sys.stdout.buffer.write(b'{"id": ' + str(ident).encode() + b', "result": "\xff"}\n')
                sys.stdout.buffer.flush()
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
