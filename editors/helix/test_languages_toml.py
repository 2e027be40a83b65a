#!/usr/bin/env python3
"""Checks editors/helix/languages.toml as Helix reads it: valid TOML; a
[language-server.packet-ls] entry whose command and args start the server; the markdown
language attaching packet-ls while keeping Helix's default Markdown server (marksman);
settings under the section "packet-ls" in camelCase with valid values. Also starts the
configured command line against the built server (if PACKET_LS_BIN is set) to check that
`args` really start the language server. Exits non-zero on failure."""
import json
import os
import pathlib
import subprocess
import sys
import tomllib

HERE = pathlib.Path(__file__).resolve().parent
QUIET = False
SEVERITIES = {"off", "hint", "info", "warning", "error"}
# Keys Helix accepts in a [language-server.NAME] table (helix-core LanguageServerConfiguration).
SERVER_KEYS = {"command", "args", "config", "environment", "timeout", "required-root-patterns"}
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
    check("marksman" in names, "markdown's language-servers drops Helix's default Markdown server marksman")
    check(len(names) == len(set(names)), f"duplicate servers in {names}")


def check_command_starts_server(doc: dict) -> None:
    """Start `command args` (command replaced by PACKET_LS_BIN) and initialize it."""
    binary = os.environ.get("PACKET_LS_BIN")
    if not binary:
        print("helix languages.toml: PACKET_LS_BIN not set; not starting the server")
        return
    server = doc["language-server"]["packet-ls"]
    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "processId": None,
            "rootUri": None,
            "capabilities": {},
            "initializationOptions": server["config"],
        },
    }
    msgs = [init, {"jsonrpc": "2.0", "method": "initialized", "params": {}},
            {"jsonrpc": "2.0", "id": 2, "method": "shutdown"}, {"jsonrpc": "2.0", "method": "exit"}]
    data = b"".join(
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        for body in (json.dumps(m).encode() for m in msgs)
    )
    try:
        proc = subprocess.run([binary, *server["args"]], input=data, capture_output=True, timeout=20)
    except subprocess.TimeoutExpired:
        fail(f"`{binary} {' '.join(server['args'])}` did not exit after shutdown/exit within 20 s")
    out = proc.stdout
    check(b'"capabilities"' in out, f"no initialize result from `{binary} {' '.join(server['args'])}`: {out[:300]!r} {proc.stderr[-300:]!r}")
    check(proc.returncode == 0, f"server exited with {proc.returncode} after shutdown/exit")


def self_test(doc: dict) -> None:
    """The checks must reject broken variants of the file (a check that cannot fail is no check)."""
    import copy

    def mutants():
        d = copy.deepcopy(doc)
        md = next(x for x in d["language"] if x["name"] == "markdown")
        md["language-servers"] = ["packet-ls"]
        yield "marksman dropped", d
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
