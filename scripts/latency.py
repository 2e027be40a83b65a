#!/usr/bin/env python3
"""Keystroke latency and memory of language servers over stdio (stdlib only).

For each server and each packet size it opens a generated packet, then sends
single-character incremental `didChange` edits one at a time (typing at the
end of a prose line in the middle of the document) and measures the time from
writing each `didChange` to reading the `publishDiagnostics` of that version
(its last byte, before the JSON is decoded; for servers that publish without
a version, the next publish for the file after the change). It prints p50, p95, p99 and max, and the server's resident memory
before and after the edits (VmRSS) and its peak (VmHWM), from /proc; with
several sizes, also the ratio p50(largest) / p50(smallest), which stays near 1
when a keystroke costs the same at any size.

With --memory N it also opens N different 3,000-line packets in one fresh
server and reports its peak resident memory once all are analysed.

  python3 scripts/latency.py                      # packet-ls (target/release)
  python3 scripts/latency.py --rumdl              # and `rumdl server` beside it
  python3 scripts/latency.py --server "name=CMD ARGS" --sizes 3000 --edits 200
  python3 scripts/latency.py --sizes 3000,30000 --edits 600 --rounds 6 --memory 0   # the issue 13 ratio

Packets come from `cargo run --release --example gen_packet` (deterministic).
packet-ls is given `debounceMs: 0` in initializationOptions, in
workspace/didChangeConfiguration under `packet-ls`, and in answers to
workspace/configuration, so that every change is analysed at once.
"""

import argparse
import json
import os
import queue
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {"debounceMs": 0}


def gen_binary():
    exe = ROOT / "target" / "release" / "examples" / "gen_packet"
    subprocess.run(
        ["cargo", "build", "--quiet", "--release", "--example", "gen_packet"],
        cwd=ROOT, check=True)
    return exe


def make_packet(folder, lines, seed):
    path = Path(folder) / f"gen-{lines}-{seed}.packet.md"
    if not path.exists():
        with open(path, "wb") as f:
            subprocess.run([str(gen_binary()), str(lines), str(seed)], stdout=f, check=True)
    return path


def cpu_seconds(pid):
    """User + system CPU time the process has used so far, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def proc_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmRSS", "VmHWM"):
                    out[k] = int(v.split()[0]) / 1024.0  # MiB
    except OSError:
        pass
    return out


class Client:
    """A minimal LSP client: framed JSON-RPC over the server's stdio."""

    def __init__(self, cmd, root):
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, cwd=root)
        self.next_id = 1
        self.responses = {}
        self.diags = queue.Queue()  # (time, uri, version)
        self.lock = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = out.read(length)
            # The time the message arrived, before it is decoded: decoding
            # 15 KB of JSON in Python takes longer than some keystrokes do
            # in the server, and grows with the number of diagnostics.
            now = time.perf_counter()
            msg = json.loads(body)
            method = msg.get("method")
            if method == "textDocument/publishDiagnostics":
                p = msg["params"]
                self.diags.put((now, p["uri"], p.get("version")))
            elif method is not None and "id" in msg:
                self._answer(msg)
            elif "id" in msg:
                with self.lock:
                    self.responses[msg["id"]] = msg
                    self.lock.notify_all()

    def _answer(self, msg):
        result = None
        if msg["method"] == "workspace/configuration":
            result = [dict(SETTINGS) for _ in msg["params"].get("items", [])]
        self._send({"jsonrpc": "2.0", "id": msg["id"], "result": result})

    def request(self, method, params, timeout=30):
        rid = self.next_id
        self.next_id += 1
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self.lock:
            while rid not in self.responses:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no answer to {method}")
                self.lock.wait(left)
            return self.responses.pop(rid)

    def send_request(self, method, params):
        """Sends a request without waiting for its answer."""
        rid = self.next_id
        self.next_id += 1
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def initialize(self, root):
        uri = Path(root).as_uri()
        self.request("initialize", {
            "processId": os.getpid(),
            "rootUri": uri,
            "workspaceFolders": [{"uri": uri, "name": "bench"}],
            "initializationOptions": dict(SETTINGS),
            "capabilities": {
                "workspace": {"configuration": True, "workspaceFolders": True},
                "textDocument": {
                    "synchronization": {"didSave": True},
                    "publishDiagnostics": {"versionSupport": True},
                },
                "general": {"positionEncodings": ["utf-16"]},
            },
        })
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"packet-ls": dict(SETTINGS)}})

    def wait_diagnostics(self, uri, version, timeout=20.0):
        """The time of the first publish for `uri` with `version` (or without one)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                t, u, v = self.diags.get(timeout=left)
            except queue.Empty:
                return None
            if u == uri and (v is None or v == version):
                return t

    def drain(self):
        while not self.diags.empty():
            self.diags.get_nowait()

    def close(self):
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def typing_position(text):
    """End of a long prose line near the middle: (line, utf-16 column)."""
    lines = text.split("\n")
    mid = len(lines) // 2
    for i in list(range(mid, len(lines))) + list(range(0, mid)):
        line = lines[i]
        if len(line) > 40 and line[0].isalpha():
            return i, utf16_len(line)
    return mid, utf16_len(lines[mid])


def percentile(sorted_ms, p):
    if not sorted_ms:
        return float("nan")
    k = max(0, min(len(sorted_ms) - 1, int(round(p / 100.0 * len(sorted_ms) + 0.5)) - 1))
    return sorted_ms[k]


def run_edits(cmd, path, edits, folder, code_actions=False):
    c = Client(cmd, folder)
    try:
        c.initialize(folder)
        text = path.read_text(encoding="utf-8")
        uri = path.resolve().as_uri()
        c.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": text}})
        if c.wait_diagnostics(uri, 1, timeout=60) is None:
            return {"error": "no diagnostics after didOpen"}
        time.sleep(0.2)
        c.drain()
        before = proc_status(c.proc.pid)
        cpu0 = cpu_seconds(c.proc.pid)
        line, col = typing_position(text)
        typed = "the quick brown fox jumps over a lazy dog "
        times, missing = [], 0
        warm = {}
        for k in range(edits):
            if k == edits // 10:
                warm = proc_status(c.proc.pid)
            version = k + 2
            ch = typed[k % len(typed)]
            t0 = time.perf_counter()
            c.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": col},
                                              "end": {"line": line, "character": col}},
                                    "text": ch}]})
            if code_actions:
                # What VS Code does after each change: ask for the code
                # actions at the cursor (answered whenever; not timed).
                c.send_request("textDocument/codeAction", {
                    "textDocument": {"uri": uri},
                    "range": {"start": {"line": line, "character": col + 1},
                              "end": {"line": line, "character": col + 1}},
                    "context": {"diagnostics": [], "triggerKind": 2}})
            t1 = c.wait_diagnostics(uri, version, timeout=10)
            col += 1
            if t1 is None:
                missing += 1
            else:
                times.append((t1 - t0) * 1000.0)
        cpu = cpu_seconds(c.proc.pid) - cpu0
        after = proc_status(c.proc.pid)
        times.sort()
        return {
            "times": times, "cpu": cpu, "edits": edits,
            "n": len(times), "missing": missing,
            "p50": percentile(times, 50), "p95": percentile(times, 95),
            "p99": percentile(times, 99), "max": times[-1] if times else float("nan"),
            "rss_before": before.get("VmRSS"), "rss_warm": warm.get("VmRSS"), "rss_after": after.get("VmRSS"),
            "hwm": after.get("VmHWM"),
            "cpu_per_edit": cpu * 1000.0 / max(1, edits),
        }
    finally:
        c.close()


def run_memory(cmd, paths, folder):
    c = Client(cmd, folder)
    try:
        c.initialize(folder)
        base = proc_status(c.proc.pid)
        uris = []
        for p in paths:
            uri = p.resolve().as_uri()
            uris.append(uri)
            c.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "markdown", "version": 1,
                "text": p.read_text(encoding="utf-8")}})
        pending = set(uris)
        deadline = time.monotonic() + 120
        while pending and time.monotonic() < deadline:
            try:
                _, u, _ = c.diags.get(timeout=1)
                pending.discard(u)
            except queue.Empty:
                pass
        time.sleep(0.3)
        st = proc_status(c.proc.pid)
        return {"files": len(paths), "answered": len(paths) - len(pending),
                "rss_start": base.get("VmRSS"), "rss": st.get("VmRSS"), "hwm": st.get("VmHWM")}
    finally:
        c.close()


def merged(runs):
    """One result from several runs of the same server and size (--rounds)."""
    if any("error" in r for r in runs):
        return next(r for r in runs if "error" in r)
    times = sorted(t for r in runs for t in r["times"])
    edits = sum(r["edits"] for r in runs)
    last = runs[-1]
    return {
        "times": times, "cpu": sum(r["cpu"] for r in runs), "edits": edits,
        "n": len(times), "missing": sum(r["missing"] for r in runs),
        "p50": percentile(times, 50), "p95": percentile(times, 95),
        "p99": percentile(times, 99), "max": times[-1] if times else float("nan"),
        "rss_before": runs[0]["rss_before"], "rss_warm": runs[0]["rss_warm"], "rss_after": last["rss_after"],
        "hwm": max((r["hwm"] or 0) for r in runs),
        "cpu_per_edit": sum(r["cpu"] for r in runs) * 1000.0 / max(1, edits),
    }


def fmt(x, unit=" ms"):
    return "   n/a" if x is None or x != x else f"{x:8.2f}{unit}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--server", action="append", default=[],
                    help='NAME=COMMAND (repeatable); default: "packet-ls=target/release/packet-ls server"')
    ap.add_argument("--rumdl", action="store_true", help='also run "rumdl server" (pip install rumdl)')
    ap.add_argument("--sizes", default="3000,30000", help="packet sizes in lines (default 3000,30000)")
    ap.add_argument("--edits", type=int, default=500, help="didChange edits per size (default 500)")
    ap.add_argument("--memory", type=int, default=50, metavar="N",
                    help="open N 3,000-line packets for the memory figure (0 = skip; default 50)")
    ap.add_argument("--rounds", type=int, default=1, metavar="R",
                    help="split the edits into R rounds that take the sizes in turn, so that every size "
                         "is measured under the same changes of the machine's speed (a fairer ratio on a "
                         "shared machine; default 1)")
    ap.add_argument("--json", help="also write the results to this file")
    ap.add_argument("--code-actions", action="store_true",
                    help="after each edit also request textDocument/codeAction at the cursor, as VS Code does")
    args = ap.parse_args()

    servers = []
    for s in args.server or [f"packet-ls={ROOT}/target/release/packet-ls server"]:
        name, _, cmd = s.partition("=")
        servers.append((name, shlex.split(cmd)))
    if args.rumdl:
        servers.append(("rumdl", ["rumdl", "server"]))
    sizes = [int(x) for x in args.sizes.split(",") if x]

    folder = tempfile.mkdtemp(prefix="packet-latency-")
    results = {"sizes": {}, "memory": {}}
    print(f"# {args.edits} single-character didChange edits per packet, one at a time; "
          f"time from didChange to its publishDiagnostics"
          f"{' (each edit followed by a codeAction request)' if args.code_actions else ''}", flush=True)
    print(f"{'server':<12} {'lines':>6} {'KB':>7} {'p50':>11} {'p95':>11} {'p99':>11} {'max':>11} "
          f"{'CPU/edit':>11} {'RSS before':>12} {'RSS at 10%':>11} {'RSS after':>11} {'peak RSS':>10} missing", flush=True)
    rounds = max(1, args.rounds)
    runs = {}
    for k in range(rounds):
        n = args.edits // rounds + (1 if k < args.edits % rounds else 0)
        for lines in sizes:
            path = make_packet(folder, lines, 7)
            for name, cmd in servers:
                runs.setdefault((lines, name), []).append(run_edits(cmd, path, n, folder, args.code_actions))
    for lines in sizes:
        path = make_packet(folder, lines, 7)
        kb = path.stat().st_size / 1024.0
        for name, cmd in servers:
            r = merged(runs[(lines, name)])
            results["sizes"].setdefault(str(lines), {})[name] = r
            if "error" in r:
                print(f"{name:<12} {lines:>6} {kb:>7.0f}  {r['error']}", flush=True)
                continue
            print(f"{name:<12} {lines:>6} {kb:>7.0f} {fmt(r['p50'])} {fmt(r['p95'])} {fmt(r['p99'])} "
                  f"{fmt(r['max'])} {fmt(r['cpu_per_edit'])} {fmt(r['rss_before'], ' MB'):>12} {fmt(r['rss_warm'], ' MB'):>11} {fmt(r['rss_after'], ' MB'):>11} "
                  f"{fmt(r['hwm'], ' MB'):>10} {r['missing']}", flush=True)
        if len(servers) > 1 and all("p50" in results["sizes"][str(lines)].get(n, {}) for n, _ in servers):
            base = results["sizes"][str(lines)][servers[0][0]]
            for name, _ in servers[1:]:
                o = results["sizes"][str(lines)][name]
                print(f"{'':<12} {lines:>6} {servers[0][0]} is {o['p50'] / base['p50']:.1f}x faster than "
                      f"{name} at p50, {o['p99'] / base['p99']:.1f}x at p99", flush=True)
    # A keystroke should cost the same at any size: the ratio of the p50s of
    # the largest and the smallest size (issue 13: at most 2x from 3,000 to
    # 30,000 lines).
    if len(sizes) > 1:
        small, large = str(min(sizes)), str(max(sizes))
        print(f"\n# p50 at {large} lines / p50 at {small} lines (the cost of size)", flush=True)
        for name, _ in servers:
            a = results["sizes"].get(small, {}).get(name, {})
            b = results["sizes"].get(large, {}).get(name, {})
            if "p50" in a and "p50" in b:
                ratio = b["p50"] / a["p50"]
                results.setdefault("ratio", {})[name] = ratio
                print(f"{name:<12} {fmt(b['p50'])} / {fmt(a['p50'])} = {ratio:.2f}x  "
                      f"(CPU per edit {b['cpu_per_edit'] / a['cpu_per_edit']:.2f}x)", flush=True)
    if args.memory:
        paths = [make_packet(folder, 3000, 100 + i) for i in range(args.memory)]
        print(f"\n# peak resident memory with {args.memory} open 3,000-line packets", flush=True)
        for name, cmd in servers:
            r = run_memory(cmd, paths, folder)
            results["memory"][name] = r
            print(f"{name:<12} answered {r['answered']}/{r['files']}  RSS at start {fmt(r['rss_start'], ' MB')}"
                  f"  RSS {fmt(r['rss'], ' MB')}  peak (VmHWM) {fmt(r['hwm'], ' MB')}", flush=True)
    if args.json:
        for by in results["sizes"].values():
            for r in by.values():
                r.pop("times", None)
        Path(args.json).write_text(json.dumps(results, indent=2))
    # A run where a server failed, missed a version or left a file unanswered
    # exits 1, so that CI's short run of the harness is a test.
    failed = [f"{name} at {lines} lines: {r.get('error') or str(r['missing']) + ' versions never published'}"
              for lines, by in results["sizes"].items() for name, r in by.items()
              if "error" in r or r["missing"]]
    failed += [f"{name}: answered {r['answered']} of {r['files']} files"
               for name, r in results["memory"].items() if r["answered"] != r["files"]]
    for f in failed:
        print(f"FAILED: {f}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
