// `npm run package`: a platform-specific .vsix that carries the server.
//   1. takes the server binary: --bin PATH, else PACKET_LS_BIN, else ../../target/release/packet-ls
//      (built with `cargo build --release --locked` when it is missing and none was named),
//   2. copies it to server/packet-ls (server/packet-ls.exe for a win32 target), executable,
//   3. runs `vsce package --target TARGET`: --target, else VSCE_TARGET, else this machine's
//      VS Code target (linux-x64, linux-arm64, alpine-x64, darwin-x64, darwin-arm64, win32-x64…).
// The release workflow (.github/workflows/release.yml) calls it once per target with the binary
// cargo cross-built for it:
//   node scripts/package.mjs --target darwin-arm64 --bin ../../target/aarch64-apple-darwin/release/packet-ls --out X.vsix
// Options: --out FILE (default packet-ls.vsix), --no-server (a .vsix without a server, for any
// platform: the extension then uses packet-ls.server.path or PATH), --dry-run (check the
// arguments and print the plan as JSON, package nothing; the binary need not exist yet).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const repo = path.resolve(here, '../..');

/** The platforms `vsce package --target` accepts. */
export const VSCODE_TARGETS = [
  'win32-x64', 'win32-arm64', 'linux-x64', 'linux-arm64', 'linux-armhf',
  'alpine-x64', 'alpine-arm64', 'darwin-x64', 'darwin-arm64', 'web',
];

/** VS Code's name for this platform (the `--target` of vsce). */
export function vscodeTarget(platform = process.platform, arch = process.arch, musl = isMusl()) {
  const os = { linux: musl ? 'alpine' : 'linux', darwin: 'darwin', win32: 'win32' }[platform];
  const cpu = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[arch];
  if (os === undefined || cpu === undefined) throw new Error(`no VS Code target for ${platform}-${arch}`);
  return `${os}-${cpu}`;
}

function isMusl() {
  if (process.platform !== 'linux') return false;
  const report = process.report?.getReport?.();
  return report ? !report.header?.glibcVersionRuntime : false;
}

function fail(msg) {
  console.error(`package.mjs: ${msg}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { out: 'packet-ls.vsix', withServer: true, dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--out') opts.out = value();
    else if (a === '--target') opts.target = value();
    else if (a === '--bin') opts.bin = value();
    else if (a === '--no-server') opts.withServer = false;
    else if (a === '--dry-run') opts.dryRun = true;
    else fail(`unknown argument ${a} (--target T, --bin PATH, --out FILE, --no-server, --dry-run)`);
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const target = opts.withServer ? (opts.target ?? process.env.VSCE_TARGET ?? vscodeTarget()) : opts.target;
if (target !== undefined && !VSCODE_TARGETS.includes(target)) {
  fail(`unknown VS Code target "${target}" (one of ${VSCODE_TARGETS.join(', ')})`);
}
if (target === 'web' && opts.withServer) fail('a web extension cannot carry a server: use --no-server');
const exe = target?.startsWith('win32-') ? 'packet-ls.exe' : 'packet-ls';
const named = opts.bin ?? process.env.PACKET_LS_BIN;
const bin = opts.withServer ? path.resolve(named ?? path.join(repo, 'target/release', exe)) : undefined;
if (bin !== undefined && path.extname(bin).toLowerCase() === '.exe' && exe !== 'packet-ls.exe') {
  fail(`${bin} is a Windows binary, but the target is ${target}`);
}
if (bin !== undefined && exe === 'packet-ls.exe' && path.extname(bin).toLowerCase() !== '.exe') {
  fail(`the target ${target} needs a Windows binary (packet-ls.exe), not ${bin}`);
}
const vsceArgs = ['package', '--no-dependencies', '--out', opts.out];
if (target !== undefined) vsceArgs.push('--target', target);
// strip only works on binaries for the platform it runs on.
const native = target !== undefined && target !== 'web' && target === safeHostTarget();
const plan = {
  target: target ?? null,
  bin: bin ?? null,
  binExists: bin !== undefined && fs.existsSync(bin),
  server: bin !== undefined ? `server/${exe}` : null,
  strip: bin !== undefined && native && !exe.endsWith('.exe'),
  out: path.resolve(here, opts.out),
  vsce: vsceArgs,
};
if (opts.dryRun) {
  console.log(JSON.stringify(plan, null, 2));
  process.exit(0);
}

function safeHostTarget() {
  try {
    return vscodeTarget();
  } catch {
    return undefined;
  }
}

const serverDir = path.join(here, 'server');
fs.rmSync(serverDir, { recursive: true, force: true });
if (bin !== undefined) {
  if (!fs.existsSync(bin)) {
    if (named !== undefined) fail(`${bin} does not exist`);
    console.log(`${bin} is missing: cargo build --release --locked`);
    execFileSync('cargo', ['build', '--release', '--locked'], { cwd: repo, stdio: 'inherit' });
  }
  if (!fs.statSync(bin).isFile()) fail(`${bin} is not a file`);
  fs.mkdirSync(serverDir);
  const dest = path.join(serverDir, exe);
  fs.copyFileSync(bin, dest);
  fs.chmodSync(dest, 0o755);
  // The release profile keeps line tables for backtraces; the packaged copy drops them (as the
  // wheel does), when a `strip` for this platform is at hand.
  if (plan.strip) {
    try {
      execFileSync('strip', [dest], { stdio: 'ignore' });
    } catch {
      console.log('strip not available: packaging the binary as built');
    }
  }
  console.log(`packaging ${opts.out} for ${target} with ${bin} as server/${exe}`);
}
// vsce's own script, run by this Node: the same on every platform (no .cmd shim on Windows).
const vsce = path.join(here, 'node_modules/@vscode/vsce/vsce');
try {
  execFileSync(process.execPath, [vsce, ...vsceArgs], { cwd: here, stdio: 'inherit' });
} finally {
  // The next `npm run package:no-server` must not pick up this target's binary.
  if (bin !== undefined) fs.rmSync(serverDir, { recursive: true, force: true });
}
