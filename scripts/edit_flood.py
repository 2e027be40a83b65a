#!/usr/bin/env python3
"""Memory of the server under a flood of edits (stdlib only; issue 12).

Starts the server with `debounceMs: 0`, opens examples/draft.packet.md and
sends N single-character incremental `didChange` edits as fast as the pipe
takes them (type an "x", delete it, ...: the document keeps its size), then
waits. It prints the server's resident memory (VmRSS) every N/10 edits and
at the end, how many publishDiagnostics arrived and the last version
published (which must be the last one sent).

With --stall S the client reads nothing the server writes for the first S
seconds, as a client that hangs would: the server must not pile up work for
every change meanwhile.

  cargo build --release
  python3 scripts/edit_flood.py --edits 200000
  python3 scripts/edit_flood.py --edits 200000 --stall 8
  python3 scripts/edit_flood.py --server path/to/other/packet-ls --edits 200000
"""

import argparse
import json
import re
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", default=str(ROOT / "target" / "release" / "packet-ls"))
    ap.add_argument("--edits", type=int, default=200_000)
    ap.add_argument("--stall", type=float, default=0.0, help="seconds the client reads nothing")
    ap.add_argument("--wait", type=float, default=10.0, help="seconds to wait after the last edit")
    args = ap.parse_args()

    p = subprocess.Popen([args.server], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    seen = {"publishes": 0, "last": None}

    def send(msg):
        body = json.dumps(msg).encode()
        p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def reader():
        if args.stall:
            time.sleep(args.stall)
        f = p.stdout
        while True:
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                c = f.read(1)
                if not c:
                    return
                head += c
            length = int(re.search(rb"Content-Length: *(\d+)", head, re.I).group(1))
            body = f.read(length)
            if b'"textDocument/publishDiagnostics"' in body:
                seen["publishes"] += 1
                m = re.search(rb'"version":(\d+)', body)
                seen["last"] = int(m.group(1)) if m else None

    def rss_mb():
        with open(f"/proc/{p.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024
        return 0.0

    threading.Thread(target=reader, daemon=True).start()
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"capabilities": {}, "initializationOptions": {"debounceMs": 0}}})
    p.stdin.flush()
    time.sleep(0.5)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = "file:///tmp/edit-flood.packet.md"
    text = (ROOT / "examples" / "draft.packet.md").read_text()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    p.stdin.flush()
    time.sleep(0.5)
    print(f"after open: {rss_mb():.1f} MB")
    version = 1
    start = time.time()
    step = max(1, args.edits // 10)
    at = {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}
    del_range = {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 1}}
    for i in range(args.edits):
        version += 1
        change = {"range": at, "text": "x"} if i % 2 == 0 else {"range": del_range, "text": ""}
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
        if (i + 1) % step == 0:
            p.stdin.flush()
            print(f"{i + 1:>9} edits  {rss_mb():6.1f} MB  {seen['publishes']} published  {time.time() - start:.1f} s")
    p.stdin.flush()
    deadline = time.time() + args.wait + args.stall
    while time.time() < deadline and seen["last"] != version:
        time.sleep(0.2)
    print(f"end: {rss_mb():.1f} MB, {seen['publishes']} publishes, last version published {seen['last']} of {version}")
    p.kill()
    raise SystemExit(0 if seen["last"] == version else 1)


if __name__ == "__main__":
    main()
