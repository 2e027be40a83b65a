#!/usr/bin/env python3
"""Checks editors/helix/languages.toml as Helix reads it: valid TOML; a
[language-server.packet-ls] entry whose command and args start the server; the markdown
language attaching packet-ls after Helix's default Markdown servers (marksman and
markdown-oxide in every release 24.03-25.07.1), in that order;
settings under the section "packet-ls" in camelCase with valid values. Also starts the
configured command line against the built server (if PACKET_LS_BIN is set) to check that
`args` really start the language server. Exits non-zero on failure."""
import json
import os
import pathlib
import queue
import subprocess
import sys
import threading
import time
import tomllib

HERE = pathlib.Path(__file__).resolve().parent
QUIET = False
SEVERITIES = {"off", "hint", "info", "warning", "error"}
# Keys Helix accepts in a [language-server.NAME] table (helix-core LanguageServerConfiguration).
SERVER_KEYS = {"command", "args", "config", "environment", "timeout", "required-root-patterns"}
# Helix's built-in Markdown servers (helix-editor/helix languages.toml, releases 24.03-25.07.1;
# master adds "rumdl"): a user's `language-servers` replaces this list, so it must keep them.
HELIX_DEFAULT_MARKDOWN = ["marksman", "markdown-oxide"]
# The server settings the spec defines (section "packet-ls", camelCase).
SETTING_KEYS = {"debounceMs", "maxFileBytes", "rubric", "rules"}


def fail(msg: str) -> None:
    if QUIET:
        sys.exit(1)
    print(f"helix languages.toml: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def check(cond: bool, msg: str) -> None:
    if not cond:
        fail(msg)


def check_document(doc: dict) -> None:
    servers = doc.get("language-server")
    check(isinstance(servers, dict) and "packet-ls" in servers, "no [language-server.packet-ls] table")
    server = servers["packet-ls"]
    unknown = set(server) - SERVER_KEYS
    check(not unknown, f"keys Helix does not know in [language-server.packet-ls]: {sorted(unknown)}")
    check(server.get("command") == "packet-ls", f"command should be \"packet-ls\", is {server.get('command')!r}")
    check(server.get("args") == ["server"], f"args should be [\"server\"], is {server.get('args')!r}")

    config = server.get("config")
    check(isinstance(config, dict) and set(config) == {"packet-ls"}, "config should hold exactly the section \"packet-ls\"")
    settings = config["packet-ls"]
    unknown = set(settings) - SETTING_KEYS
    check(not unknown, f"unknown packet-ls settings: {sorted(unknown)}")
    if "debounceMs" in settings:
        v = settings["debounceMs"]
        check(isinstance(v, int) and not isinstance(v, bool) and v >= 0, "debounceMs must be an integer >= 0")
    if "maxFileBytes" in settings:
        v = settings["maxFileBytes"]
        check(isinstance(v, int) and not isinstance(v, bool) and v > 0, "maxFileBytes must be a positive integer")
    for code, sev in settings.get("rules", {}).items():
        check(sev in SEVERITIES, f"rules.{code} = {sev!r} is not one of {sorted(SEVERITIES)}")

    languages = doc.get("language")
    check(isinstance(languages, list), "no [[language]] array")
    markdown = [lang for lang in languages if lang.get("name") == "markdown"]
    check(len(markdown) == 1, f"expected one [[language]] with name = \"markdown\", found {len(markdown)}")
    ls = markdown[0].get("language-servers")
    check(isinstance(ls, list), "markdown has no language-servers list")
    names = [x if isinstance(x, str) else x.get("name") for x in ls]
    check("packet-ls" in names, "markdown's language-servers does not name packet-ls")
    for default in HELIX_DEFAULT_MARKDOWN:
        check(default in names, f"markdown's language-servers drops Helix's default Markdown server {default}")
    check(
        names[: len(HELIX_DEFAULT_MARKDOWN)] == HELIX_DEFAULT_MARKDOWN,
        f"Helix's default Markdown servers should come first, in Helix's order, then packet-ls: {names}",
    )
    check(len(names) == len(set(names)), f"duplicate servers in {names}")


def check_command_starts_server(doc: dict) -> None:
    """Start `command args` (command replaced by PACKET_LS_BIN) as Helix would, initialize it
    with `config` as initializationOptions, then shut it down; every wait is bounded."""
    binary = os.environ.get("PACKET_LS_BIN")
    if not binary:
        print("helix languages.toml: PACKET_LS_BIN not set; not starting the server")
        return
    server = doc["language-server"]["packet-ls"]
    argv = [binary, *server["args"]]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    replies: "queue.Queue[dict]" = queue.Queue()

    def reader() -> None:
        out = proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    replies.put({"eof": True})
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            if length is None:
                return
            replies.put(json.loads(out.read(length)))

    threading.Thread(target=reader, daemon=True).start()

    def send(msg: dict) -> None:
        body = json.dumps(msg).encode()
        proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        proc.stdin.flush()

    def reply_to(id_: int) -> dict:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                msg = replies.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if msg.get("eof"):
                fail(f"`{' '.join(argv)}` closed its output before answering request {id_}")
            if msg.get("id") == id_ and "method" not in msg:
                return msg
        proc.kill()
        fail(f"no reply to request {id_} from `{' '.join(argv)}` within 20 s")

    try:
        send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": None, "capabilities": {},
            "initializationOptions": server["config"]}})
        init = reply_to(1)
        check("capabilities" in init.get("result", {}), f"`{' '.join(argv)}` did not answer initialize: {init}")
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        send({"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration", "params": {"settings": server["config"]}})
        send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        check("error" not in reply_to(2), "shutdown failed")
        send({"jsonrpc": "2.0", "method": "exit"})
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            fail("the server did not exit within 10 s after shutdown/exit")
        check(code == 0, f"server exited with {code} after shutdown/exit")
    finally:
        if proc.poll() is None:
            proc.kill()


def self_test(doc: dict) -> None:
    """The checks must reject broken variants of the file (a check that cannot fail is no check)."""
    import copy

    def mutants():
        d = copy.deepcopy(doc)
        md = next(x for x in d["language"] if x["name"] == "markdown")
        md["language-servers"] = ["packet-ls"]
        yield "marksman dropped", d
        d = copy.deepcopy(doc)
        md = next(x for x in d["language"] if x["name"] == "markdown")
        md["language-servers"] = ["marksman", "packet-ls"]
        yield "markdown-oxide dropped", d
        d = copy.deepcopy(doc)
        md = next(x for x in d["language"] if x["name"] == "markdown")
        md["language-servers"] = ["packet-ls", "marksman", "markdown-oxide"]
        yield "packet-ls before the defaults", d
        d = copy.deepcopy(doc)
        d["language-server"]["packet-ls"]["args"] = []
        yield "no server argument", d
        d = copy.deepcopy(doc)
        d["language-server"]["packet-ls"]["config"]["packet-ls"]["rules"] = {"placeholder": "fatal"}
        yield "bad severity", d
        d = copy.deepcopy(doc)
        d["language-server"]["packet-ls"]["config"] = {"debounceMs": 10}
        yield "settings outside the packet-ls section", d
        d = copy.deepcopy(doc)
        d["language-server"]["packet-ls"]["cmd"] = "packet-ls"
        yield "unknown key", d

    global QUIET
    QUIET = True
    for name, mutant in mutants():
        try:
            check_document(mutant)
        except SystemExit:
            continue
        QUIET = False
        fail(f"self-test: the variant '{name}' was accepted")
    QUIET = False


def main() -> None:
    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "languages.toml"
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        fail(f"not valid TOML: {e}")
    check_document(doc)
    self_test(doc)
    check_command_starts_server(doc)
    print(f"helix languages.toml: ok ({path})")


if __name__ == "__main__":
    main()
