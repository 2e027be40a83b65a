#!/usr/bin/env python3
"""Checks .github/workflows/release.yml as data (it cannot run here).

- it is YAML, triggered by version tags;
- its build matrix covers every release target (linux x64/arm64, macOS x64/arm64, windows x64),
  each with the VS Code target that matches its Rust target, a runner of the same OS, and the
  binary name of that OS;
- cargo builds `--target` the matrix's Rust target, and the package step hands
  editors/vscode/scripts/package.mjs the matrix's VS Code target and the very file that build
  writes: the step's command, with the matrix values put in, is run with --dry-run and the
  script's plan is checked (vsce gets `--target`, the server lands as server/packet-ls[.exe]);
- every artifact is uploaded and the release job attaches them.

    python3 scripts/check-release-workflow.py [WORKFLOW]
"""
import json
import os
import re
import shlex
import subprocess
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKFLOW = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, ".github/workflows/release.yml")

# Rust target -> (VS Code target, runner OS prefix, binary name)
WANTED = {
    "x86_64-unknown-linux-gnu": ("linux-x64", "ubuntu", "packet-ls"),
    "aarch64-unknown-linux-gnu": ("linux-arm64", "ubuntu", "packet-ls"),
    "x86_64-apple-darwin": ("darwin-x64", "macos", "packet-ls"),
    "aarch64-apple-darwin": ("darwin-arm64", "macos", "packet-ls"),
    "x86_64-pc-windows-msvc": ("win32-x64", "windows", "packet-ls.exe"),
}

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
    return cond


def expand(text, entry):
    """Puts the matrix values of one entry into `${{ matrix.NAME }}` expressions."""

    def value(m):
        key = m.group(1)
        if key not in entry:
            failures.append(f"${{{{ matrix.{key} }}}} is not in the matrix entry {entry}")
            return m.group(0)
        return str(entry[key])

    return re.sub(r"\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}", value, text)


with open(WORKFLOW, encoding="utf-8") as f:
    wf = yaml.safe_load(f)

check(isinstance(wf, dict), "the workflow is not a YAML mapping")
# YAML 1.1 (PyYAML) reads the key `on` as True.
on = wf.get("on", wf.get(True))
check(isinstance(on, dict) and "push" in on, "the workflow is not triggered by push")
tags = (on or {}).get("push", {}).get("tags", [])
check(any(t.startswith("v") for t in tags), f"no version tag trigger (push.tags: {tags})")

jobs = wf.get("jobs", {})
build = jobs.get("build")
check(isinstance(build, dict), "no `build` job")
build = build or {}
check(build.get("runs-on") == "${{ matrix.os }}", "the build job does not run on ${{ matrix.os }}")
matrix = build.get("strategy", {}).get("matrix", {}).get("include", [])
targets = {e.get("target"): e for e in matrix}
check(len(targets) == len(matrix), "a Rust target appears twice in the matrix")
check(set(targets) == set(WANTED), f"matrix targets {sorted(targets)} are not {sorted(WANTED)}")
for rust, (vscode, os_prefix, exe) in WANTED.items():
    e = targets.get(rust)
    if e is None:
        continue
    check(e.get("vscode-target") == vscode, f"{rust}: vscode-target {e.get('vscode-target')!r}, expected {vscode!r}")
    check(str(e.get("os", "")).startswith(os_prefix), f"{rust}: runner {e.get('os')!r} is not a {os_prefix} runner")
    check(e.get("exe") == exe, f"{rust}: exe {e.get('exe')!r}, expected {exe!r}")
    if rust.startswith("aarch64-unknown-linux"):
        check(str(e.get("os", "")).endswith("-arm"), f"{rust}: built on {e.get('os')!r}, not an arm64 runner (no cross linker is set up)")

steps = build.get("steps", [])


def step_running(pattern):
    found = [s for s in steps if re.search(pattern, s.get("run", ""))]
    check(len(found) == 1, f"expected one build step running /{pattern}/, found {len(found)}")
    return found[0] if found else {}


cargo = step_running(r"cargo build")
check(
    re.search(r"cargo build --release --locked --target \$\{\{ matrix\.target \}\}", cargo.get("run", "")),
    "cargo does not build --release --locked --target ${{ matrix.target }}",
)
check(
    "rustup" in " ".join(s.get("run", "") for s in steps) and "--target ${{ matrix.target }}" in " ".join(s.get("run", "") for s in steps if "rustup" in s.get("run", "")),
    "the Rust target is not installed with rustup",
)
check(any(str(s.get("uses", "")).startswith("actions/setup-node@") for s in steps), "no Node set up for vsce")
package = step_running(r"scripts/package\.mjs")
check(package.get("working-directory") == "editors/vscode", "the package step does not run in editors/vscode")
lines = [l for l in package.get("run", "").splitlines() if "scripts/package.mjs" in l]
check(len(lines) == 1, "the package step must call scripts/package.mjs on one line")
check("npm ci" in package.get("run", ""), "the package step does not install the extension's dependencies (npm ci)")
upload = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
check(len(upload) == 1 and upload[0].get("with", {}).get("path") == "dist/*", "the build job does not upload dist/*")

vscode_dir = os.path.join(REPO, "editors/vscode")
for rust, e in sorted(targets.items()):
    if not lines:
        break
    argv = shlex.split(expand(lines[0], e))
    check(argv[:2] == ["node", "scripts/package.mjs"], f"{rust}: the package line is not `node scripts/package.mjs …`: {argv}")
    res = subprocess.run(argv + ["--dry-run"], cwd=vscode_dir, capture_output=True, text=True, timeout=60)
    if not check(res.returncode == 0, f"{rust}: package.mjs refuses its arguments: {res.stderr.strip()}"):
        continue
    plan = json.loads(res.stdout)
    vscode, _, exe = WANTED[rust]
    built = os.path.join(REPO, "target", rust, "release", exe)
    check(plan["target"] == vscode, f"{rust}: package.mjs packages for {plan['target']}, not {vscode}")
    check(plan["bin"] == built, f"{rust}: package.mjs is given {plan['bin']}, but cargo writes {built}")
    check(plan["server"] == f"server/{exe}", f"{rust}: the server would be {plan['server']}")
    vsce = plan["vsce"]
    check("--target" in vsce and vsce[vsce.index("--target") + 1] == vscode, f"{rust}: vsce is not run with --target {vscode}: {vsce}")
    out = vsce[vsce.index("--out") + 1]
    check(
        os.path.normpath(os.path.join(vscode_dir, out)) == os.path.join(REPO, "dist", f"packet-ls-{vscode}.vsix"),
        f"{rust}: the .vsix is written to {out}, not dist/packet-ls-{vscode}.vsix (the uploaded folder)",
    )

# The script itself refuses a binary that does not fit the target.
bad = subprocess.run(
    ["node", "scripts/package.mjs", "--dry-run", "--target", "win32-x64", "--bin", "x/packet-ls"],
    cwd=vscode_dir, capture_output=True, text=True, timeout=60,
)
check(bad.returncode != 0, "package.mjs accepts a non-.exe binary for win32-x64")
bad = subprocess.run(
    ["node", "scripts/package.mjs", "--dry-run", "--target", "linux-x65", "--bin", "x/packet-ls"],
    cwd=vscode_dir, capture_output=True, text=True, timeout=60,
)
check(bad.returncode != 0, "package.mjs accepts an unknown VS Code target")

release = jobs.get("release", {})
check(release.get("needs") == "build", "the release job does not wait for the build job")
check(release.get("permissions", {}).get("contents") == "write", "the release job cannot write the release")
check(wf.get("permissions", {}).get("contents") == "read", "the workflow's default token is not read-only")
rsteps = release.get("steps", [])
check(
    any(str(s.get("uses", "")).startswith("actions/download-artifact@") and s.get("with", {}).get("merge-multiple") for s in rsteps),
    "the release job does not download all artifacts into one folder",
)
check(any("gh release create" in s.get("run", "") and "dist/*" in s.get("run", "") for s in rsteps), "the release job does not attach dist/*")

if failures:
    for f in failures:
        print(f"release.yml: FAIL: {f}")
    sys.exit(1)
print(f"release.yml: ok: {len(targets)} targets ({', '.join(e['vscode-target'] for e in matrix)}), "
      "each built by cargo --target and packaged by package.mjs with vsce --target")
