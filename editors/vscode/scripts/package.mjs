// `npm run package`: a platform-specific .vsix that carries the server.
//   1. takes the release binary (PACKET_LS_BIN, default ../../target/release/packet-ls; builds
//      it with `cargo build --release --locked` when it is missing),
//   2. copies it to server/packet-ls (server/packet-ls.exe on Windows), executable,
//   3. runs `vsce package --target TARGET` for this machine's VS Code target (linux-x64,
//      linux-arm64, alpine-x64, darwin-x64, darwin-arm64, win32-x64, ...; VSCE_TARGET overrides).
// Options: --out FILE (default packet-ls.vsix), --no-server (a .vsix without a server, for any
// platform: the extension then uses packet-ls.server.path or PATH).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const repo = path.resolve(here, '../..');
const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const out = outIdx >= 0 ? args[outIdx + 1] : 'packet-ls.vsix';
const withServer = !args.includes('--no-server');

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

const exe = process.platform === 'win32' ? 'packet-ls.exe' : 'packet-ls';
const serverDir = path.join(here, 'server');
fs.rmSync(serverDir, { recursive: true, force: true });
const vsceArgs = ['package', '--no-dependencies', '--out', out];
if (withServer) {
  const bin = path.resolve(process.env.PACKET_LS_BIN ?? path.join(repo, 'target/release', exe));
  if (!fs.existsSync(bin)) {
    console.log(`${bin} is missing: cargo build --release --locked`);
    execFileSync('cargo', ['build', '--release', '--locked'], { cwd: repo, stdio: 'inherit' });
  }
  fs.mkdirSync(serverDir);
  const dest = path.join(serverDir, exe);
  fs.copyFileSync(bin, dest);
  fs.chmodSync(dest, 0o755);
  // The release profile keeps line tables for backtraces; the packaged copy drops them (as the
  // wheel does), when a `strip` for this platform is at hand.
  if (process.platform !== 'win32') {
    try {
      execFileSync('strip', [dest], { stdio: 'ignore' });
    } catch {
      console.log('strip not available: packaging the binary as built');
    }
  }
  const target = process.env.VSCE_TARGET ?? vscodeTarget();
  vsceArgs.push('--target', target);
  console.log(`packaging ${out} for ${target} with ${bin} as server/${exe}`);
}
const vsce = path.join(here, 'node_modules/.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
execFileSync(vsce, vsceArgs, { cwd: here, stdio: 'inherit' });
