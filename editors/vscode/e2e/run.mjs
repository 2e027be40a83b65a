// End-to-end test of the packet-ls VS Code extension in a real VS Code: code-server
// (VS Code 1.100 in a browser) driven in Debian's headless chromium with playwright-core.
//
//   CODE_SERVER=.../bin/code-server VSIX=editors/vscode/packet-ls.vsix \
//   PACKET_LS_BIN=target/release/packet-ls E2E_WORK=/tmp/x SCREENSHOT_DIR=docs node run.mjs
//
// It installs the .vsix into a fresh code-server profile, opens a copy of
// examples/draft.packet.md with no `packet-ls.server.path` setting and no packet-ls on PATH
// (the .vsix built by `npm run package` carries the server), and checks: the running server is
// the one inside the installed extension;
// the Problems panel lists exactly what `packet-ls check --format json` reports, each row once
// (hints are not listed there); the readiness code lens, status bar item and the command
// "packet-ls: Show readiness"; the quick fix 'Insert section "Cross-Functional Collaboration"'
// chosen from the light-bulb menu inserts that section (the saved text is checked) and the
// panel then matches the CLI on the edited text; `packet-ls.rules` edited in settings.json
// reaches the server; the server status item says "packet-ls: running"; clicking the code lens
// opens the open items and choosing one moves the cursor there; Go to Symbol lists each heading
// once (one outline tree); the readiness item is hidden on a README.md and back on the packet;
// `packet-ls.server.path` set in User settings to a folder gives one message and stops the
// server ("Show readiness" then says it is not running), set to a copy of the server starts that
// copy and the diagnostics come back; the status item's menu restarts it; the item went through
// starting, running and stopped; "packet-ls: Scaffold packet" writes the template. Screenshots of the
// diagnostics, the quick fix menu and the inserted section go to SCREENSHOT_DIR
// (`SCREENSHOT_DIR=docs bash scripts/editor-tests.sh vscode` refreshes the README's).
// Every wait is bounded.
import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const CODE_SERVER = env('CODE_SERVER');
const VSIX = path.resolve(env('VSIX', path.join(repo, 'editors/vscode/packet-ls.vsix')));
const BIN = path.resolve(env('PACKET_LS_BIN', path.join(repo, 'target/release/packet-ls')));
const WORK = path.resolve(env('E2E_WORK', '/tmp/packet-ls-vscode-e2e'));
const SHOTS = path.resolve(env('SCREENSHOT_DIR', path.join(WORK, 'screenshots')));
const CHROMIUM = env('CHROMIUM', '/usr/bin/chromium');
const TOTAL_MS = Number(env('E2E_TIMEOUT_MS', '300000'));
const WAIT = 30000;

let codeServer;
let browser;
const cleanup = async () => {
  try {
    await browser?.close();
  } catch {}
  if (codeServer?.pid !== undefined && codeServer.exitCode === null) {
    try {
      process.kill(-codeServer.pid, 'SIGTERM');
    } catch {}
  }
};
const watchdog = setTimeout(async () => {
  console.error(`vscode e2e: FAIL: whole test took longer than ${TOTAL_MS} ms`);
  await cleanup();
  process.exit(1);
}, TOTAL_MS);

function step(name, extra = '') {
  console.log(`vscode e2e: ${name}${extra ? ' ' + extra : ''}`);
}

function assert(cond, msg, detail) {
  if (!cond) {
    const err = new Error(msg);
    err.detail = detail;
    throw err;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForHttp(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

/** Lines of `after` must contain every line of `before`, in order (nothing deleted or moved). */
function keepsOriginal(before, after) {
  let j = 0;
  for (const l of after) if (j < before.length && l === before[j]) j++;
  return j === before.length;
}

/** The executables of the running `packet-ls` processes (Linux: /proc/PID/exe). */
function runningServers() {
  const out = [];
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const exe = fs.readlinkSync(`/proc/${pid}/exe`);
      if (path.basename(exe) === 'packet-ls') out.push(exe);
    } catch {
      // gone, or not ours
    }
  }
  return out;
}

const SEVERITY = { 1: 'Error', 2: 'Warning', 3: 'Info', 4: 'Hint' };

async function main() {
  // ---- fresh profile, workspace and settings -----------------------------------------
  fs.rmSync(WORK, { recursive: true, force: true });
  const dirs = {
    userData: path.join(WORK, 'user-data'),
    extensions: path.join(WORK, 'extensions'),
    ws: path.join(WORK, 'workspace'),
    xdgConfig: path.join(WORK, 'xdg/config'),
    xdgData: path.join(WORK, 'xdg/data'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  const packet = path.join(dirs.ws, 'draft.packet.md');
  fs.copyFileSync(path.join(repo, 'examples/draft.packet.md'), packet);
  const original = fs.readFileSync(packet, 'utf8');
  fs.writeFileSync(path.join(dirs.ws, 'README.md'), '---\ntitle: notes\n---\n# Notes\n\nNot a packet.\n');
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.userData, 'User/settings.json'),
    JSON.stringify(
      {
        'packet-ls.trace.server': 'messages',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'workbench.colorTheme': 'Default Light Modern',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'update.mode': 'none',
        'editor.minimap.enabled': false,
        'editor.fontSize': 14,
        'chat.commandCenter.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'window.commandCenter': false,
        'git.enabled': false,
        'editor.autoClosingBrackets': 'never',
        'editor.autoClosingQuotes': 'never',
        'editor.autoIndent': 'none',
        'editor.formatOnType': false,
        'git.openRepositoryInParentFolders': 'never',
        'workbench.layoutControl.enabled': false,
        'outline.collapseItems': 'alwaysExpand',
      },
      null,
      2,
    ),
  );
  // No server path setting (User or Machine) and no packet-ls on PATH: the extension must use
  // the server its .vsix carries, as a user who only installed the .vsix has it.
  const isServerIn = (dir) => {
    try {
      fs.accessSync(path.join(dir, 'packet-ls'), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  const childEnv = {
    ...process.env,
    PATH: pathDirs.filter((d) => !isServerIn(d)).join(path.delimiter),
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
  };
  assert(!childEnv.PATH.split(path.delimiter).some(isServerIn), 'packet-ls is still on PATH');
  delete childEnv.PACKET_LS_BIN;

  // The oracle: the CLI's diagnostics for the same text.
  const expected = cliDiagnostics(packet);
  assert(expected.length > 0, 'the CLI reports nothing for the example: nothing to compare with');

  // ---- install the .vsix ------------------------------------------------------------
  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  const inst = spawnSync(CODE_SERVER, [...common, '--install-extension', VSIX], {
    env: childEnv,
    encoding: 'utf8',
    timeout: 120000,
  });
  assert(inst.status === 0, `code-server --install-extension failed (${inst.status})`, inst.stdout + inst.stderr);
  assert(/successfully installed/i.test(inst.stdout), 'the .vsix was not installed', inst.stdout + inst.stderr);
  const listed = spawnSync(CODE_SERVER, [...common, '--list-extensions', '--show-versions'], {
    env: childEnv,
    encoding: 'utf8',
    timeout: 60000,
  });
  assert(/packet-ls\.packet-ls@0\.1\.0/.test(listed.stdout), 'packet-ls is not in --list-extensions', listed.stdout);
  step('installed', listed.stdout.trim());

  // ---- start code-server and the browser ----------------------------------------------
  const port = await freePort();
  codeServer = spawn(
    CODE_SERVER,
    [
      ...common,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      dirs.ws,
    ],
    { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const serverLog = fs.createWriteStream(path.join(WORK, 'code-server.log'));
  codeServer.stdout.pipe(serverLog);
  codeServer.stderr.pipe(serverLog);
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60000);
  step('code-server up', `port ${port}`);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: WAIT,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.ws)}`);
  await page.locator('.monaco-workbench').waitFor();
  await page.locator('.statusbar').waitFor();
  step('workbench loaded');
  // Every text the server status item shows, in order (its transient "starting" included).
  await page.evaluate(() => {
    const seen = (window.__packetLsStates = []);
    const record = () => {
      for (const el of document.querySelectorAll('.statusbar-item')) {
        const t = (el.textContent ?? '').trim();
        if (/^packet-ls: /.test(t) && seen[seen.length - 1] !== t) seen.push(t);
      }
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
    record();
  });

  // ---- open the packet ----------------------------------------------------------------
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
  await runCommand(page, 'workbench.action.quickOpen', async () => {
    await page.keyboard.press('Control+P');
  });
  await page.keyboard.type('draft.packet.md');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'draft.packet.md' }).first().waitFor();
  await page.keyboard.press('Enter');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines', { hasText: 'Sam Draft' }).waitFor();
  step('packet open');
  // The language server that runs is the binary inside the installed extension.
  const extDir = fs.realpathSync(dirs.extensions) + path.sep;
  let bundled;
  await waitUntil(
    () => (bundled = runningServers().find((exe) => exe.startsWith(extDir))) !== undefined,
    'no packet-ls server process runs from the extension folder',
  );
  assert(/[\\/]server[\\/]packet-ls$/.test(bundled), `the running server is ${bundled}`);
  step('bundled server', path.relative(extDir, bundled));
  await serverStatus(page, 'running');
  step('status item', 'packet-ls: running');
  await runCommand(page, 'View: Close Primary Side Bar');

  // ---- diagnostics: squiggles, then the Problems panel ----------------------------------
  await editor.locator('.squiggly-error').first().waitFor();
  // The readiness code lens on the first heading, from the server.
  const lens = editor.locator('.contentWidgets .codelens-decoration, .view-zones .codelens-decoration, .codelens-decoration');
  await lens.filter({ hasText: /\d+\/\d+ sections/ }).first().waitFor();
  const lensText = (await lens.filter({ hasText: /\d+\/\d+ sections/ }).first().innerText()).trim();
  assert(/5\/9 sections/.test(lensText), `readiness code lens says "${lensText}"`);
  step('code lens', lensText);

  await page.keyboard.press('Control+Shift+M');
  const panel = page.locator('.markers-panel');
  await panel.waitFor();
  await waitUntil(async () => (await readProblems(page, 0)).length > 0, 'no diagnostics in the Problems panel');
  await page.locator('.statusbar-item', { hasText: /\d+\/\d+ sections/ }).first().waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(SHOTS, 'vscode-diagnostics.png') });
  step('screenshot', path.join(SHOTS, 'vscode-diagnostics.png'));

  // Read every row: maximise the panel so that the list is not virtualised away.
  await runCommand(page, 'View: Toggle Maximized Panel');
  let shown = [];
  await waitUntil(async () => (shown = await readProblems(page, 0)).length >= expected.length, 'too few rows in the Problems panel').catch(() => {});
  const want = problemsOf(expected);
  assertNoDuplicates(shown);
  assert(
    JSON.stringify(shown) === JSON.stringify(want),
    'the Problems panel differs from packet-ls check --format json',
    { shown, want },
  );
  assert(
    shown.some((s) => s.includes('Missing required section "Cross-Functional Collaboration"') && s.includes('packet-ls(missing-section) [Ln 41, Col 1]')),
    'missing-section for Cross-Functional Collaboration expected in the Problems panel',
    shown,
  );
  step('problems panel', `${shown.length} diagnostics, as the CLI reports`);
  await runCommand(page, 'View: Toggle Maximized Panel');

  // ---- the extension's command "packet-ls: Show readiness" ------------------------------
  await editor.click({ position: { x: 300, y: 40 } });
  await runCommand(page, 'packet-ls: Show readiness');
  const toast = page.locator('.notification-toast', { hasText: 'draft.packet.md:' });
  await toast.first().waitFor();
  const toastText = (await toast.first().innerText()).replace(/\s+/g, ' ');
  assert(toastText.includes('5/9 sections'), `Show readiness said "${toastText}"`);
  step('show readiness', toastText);
  await page.keyboard.press('Escape');
  await runCommand(page, 'Notifications: Clear All Notifications');

  // ---- the code lens opens the open items; choosing one goes there -------------------------
  const allDiags = JSON.parse(spawnSync(BIN, ['check', '--format', 'json', packet], { encoding: 'utf8' }).stdout)[0].diagnostics;
  await lens.filter({ hasText: /\d+\/\d+ sections/ }).first().locator('a').first().click();
  const pick = page.locator('.quick-input-widget');
  await pick.locator('.quick-input-title', { hasText: 'open item' }).waitFor();
  const pickTitle = (await pick.locator('.quick-input-title').innerText()).trim();
  assert(pickTitle.startsWith(`draft.packet.md: ${allDiags.length} open items`), `the open items are titled "${pickTitle}"`, allDiags.length);
  await page.keyboard.type('Cross-Functional Collaboration');
  await pick.locator('.monaco-list-row', { hasText: 'Missing required section "Cross-Functional Collaboration"' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.statusbar-item', { hasText: 'Ln 41, Col 1' }).first().waitFor();
  assert((await page.locator('.notification-toast').count()) === 0, 'the code lens still shows a toast');
  step('code lens click', `${pickTitle} → "Missing required section" chosen, cursor at Ln 41, Col 1`);

  // ---- one outline tree (ours is not added to VS Code's built-in Markdown one) -------------
  // Go to Symbol in Editor lists every symbol of the Outline (and breadcrumbs): each heading
  // once, as the built-in Markdown provider names it ("## Background").
  await page.keyboard.press('Control+Shift+O');
  const symbolRows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  const headings = original.split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => l.trim());
  await symbolRows.first().waitFor();
  await page.waitForTimeout(500);
  const symbols = await symbolRows.evaluateAll((els) => els.map((el) => el.querySelector('.label-name')?.textContent?.trim() ?? ''));
  assert(
    JSON.stringify(symbols) === JSON.stringify(headings),
    `Go to Symbol lists ${symbols.length} symbols for ${headings.length} headings: not one outline tree`,
    { symbols, headings },
  );
  await page.keyboard.press('Escape');
  step('outline', `one tree: Go to Symbol lists ${symbols.length} symbols for ${headings.length} headings`);

  // ---- the readiness item follows the active editor ------------------------------------------
  const readinessItem = page.locator('.statusbar-item', { hasText: /\d+\/\d+ sections/ });
  await openFile(page, 'README.md', 'Not a packet.');
  await readinessItem.first().waitFor({ state: 'hidden' });
  await page.waitForTimeout(500);
  assert((await readinessItem.count()) === 0 || !(await readinessItem.first().isVisible()), 'the readiness item is shown on README.md');
  await page.locator('.tab', { hasText: 'draft.packet.md' }).first().click();
  await page.locator('.tab.active', { hasText: 'draft.packet.md' }).first().waitFor();
  await readinessItem.first().waitFor();
  step('readiness item', 'hidden on README.md, back on draft.packet.md');

  // ---- the quick fix --------------------------------------------------------------------
  // (A missing section points where its fix inserts it: the "# Summary" heading.)
  await runCommand(page, 'Go to Line/Column...');
  await page.keyboard.type('41');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget');
  const item = menu.locator('.monaco-list-row', { hasText: 'Insert section "Cross-Functional Collaboration"' });
  await item.first().waitFor();
  // Move the selection to the wanted fix with the arrow keys, as a keyboard user does.
  const wanted = 'Insert section "Cross-Functional Collaboration"';
  const focused = menu.locator('.monaco-list-row.action.focused');
  for (let i = 0; i < 20 && (await focused.getAttribute('aria-label').catch(() => null)) !== wanted; i++) {
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(100);
  }
  assert((await focused.getAttribute('aria-label')) === wanted, `could not select "${wanted}" in the quick fix menu`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, 'vscode-quickfix.png') });
  step('screenshot', path.join(SHOTS, 'vscode-quickfix.png'));
  const offered = (await menu.locator('.monaco-list-row').allInnerTexts()).map((t) => t.trim());
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden' });
  // Save (again, until the applied edit reaches the disk) and read the text back.
  await waitUntil(async () => {
    await page.keyboard.press('Control+S');
    await page.waitForTimeout(300);
    return fs.readFileSync(packet, 'utf8') !== original;
  }, 'the quick fix changed nothing that could be saved');
  const after = fs.readFileSync(packet, 'utf8').split('\n');
  const before = original.split('\n');
  const at = (l) => after.indexOf(l);
  assert(after.filter((l) => l === '# Cross-Functional Collaboration').length === 1, 'expected one "# Cross-Functional Collaboration" line', after);
  assert(
    at('# Scope of Responsibilities') < at('# Cross-Functional Collaboration') && at('# Cross-Functional Collaboration') < at('# Summary'),
    'the section was not inserted between Scope of Responsibilities and Summary',
    after,
  );
  assert(after[at('# Cross-Functional Collaboration') - 1] === '', 'no blank line before the inserted heading', after);
  assert(keepsOriginal(before, after), 'the quick fix changed or removed original text', { before, after });
  assert(after.length > before.length, 'nothing was inserted');
  step('quick fix applied', `${after.length - before.length} lines inserted (menu: ${offered.join(' | ')})`);

  // The server re-checks: the panel now lists exactly what the CLI reports for the saved
  // text (the fixed missing-section gone; each diagnostic once).
  const wantAfter = problemsOf(cliDiagnostics(packet));
  assert(!wantAfter.some((w) => w.includes('"Cross-Functional Collaboration" (H1)')), 'the CLI still reports the fixed section', wantAfter);
  await runCommand(page, 'View: Toggle Maximized Panel');
  let now = [];
  await waitUntil(
    async () => JSON.stringify((now = await readProblems(page, 0))) === JSON.stringify(wantAfter),
    'after the fix the Problems panel differs from packet-ls check of the saved text',
  ).catch((e) => {
    assertNoDuplicates(now);
    e.detail = { shown: now, want: wantAfter };
    throw e;
  });
  await runCommand(page, 'View: Toggle Maximized Panel');
  await runCommand(page, 'Go to Line/Column...');
  await page.keyboard.type(String(at('# Cross-Functional Collaboration') + 1));
  await page.keyboard.press('Enter');
  await editor.locator('.view-lines', { hasText: 'Cross-Functional Collaboration' }).first().waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(SHOTS, 'vscode-after-fix.png') });
  step('re-checked', `${now.length} diagnostics, as the CLI reports for the edited text`);

  // ---- a rule severity setting reaches the server (workspace/didChangeConfiguration) --------
  await editUserSettings(page, dirs, (s) => ({ ...s, 'packet-ls.rules': { placeholder: 'off', 'section-too-short': 'error' } }));
  const wantConfigured = problemsOf(
    cliDiagnostics(packet)
      .filter((d) => d.code !== 'placeholder')
      .map((d) => (d.code === 'section-too-short' ? { ...d, severity: 1 } : d)),
  );
  assert(wantConfigured.length < wantAfter.length, 'the example has no placeholder to switch off');
  await runCommand(page, 'View: Toggle Maximized Panel');
  await waitUntil(
    async () => JSON.stringify((now = await readProblems(page, 0))) === JSON.stringify(wantConfigured),
    'the Problems panel does not follow the packet-ls.rules setting',
  ).catch((e) => {
    e.detail = { shown: now, want: wantConfigured };
    throw e;
  });
  await runCommand(page, 'View: Toggle Maximized Panel');
  step('settings', 'packet-ls.rules {placeholder: off, section-too-short: error} applied by the server');

  // ---- packet-ls.server.path in User settings, changed while the server runs -----------------
  // A folder: one clear message (no raw spawn error), the server stopped, readiness says so.
  const folder = path.join(WORK, 'not-a-binary');
  fs.mkdirSync(folder, { recursive: true });
  await runCommand(page, 'Notifications: Clear All Notifications');
  await editUserSettings(page, dirs, (s) => ({ ...s, 'packet-ls.server.path': folder }));
  const toasts = page.locator('.notification-toast');
  await toasts.filter({ hasText: 'packet-ls.server.path points to a folder' }).first().waitFor();
  await serverStatus(page, 'stopped');
  await page.waitForTimeout(1500);
  const said = (await toasts.locator('.notification-list-item-message').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  assert(said.length === 1 && said[0].includes(folder), 'a folder as server path must give exactly one message', said);
  assert(!said.some((t) => /EACCES|spawn/.test(t)), 'a raw spawn error was shown', said);
  const ours = () => runningServers().filter((exe) => exe.startsWith(fs.realpathSync(WORK) + path.sep));
  await waitUntil(() => ours().length === 0, 'a packet-ls server of this test still runs');
  step('folder as server path', `one message: "${said[0]}"; status item "packet-ls: stopped"`);
  await runCommand(page, 'Notifications: Clear All Notifications');
  await runCommand(page, 'packet-ls: Show readiness');
  const notRunning = toasts.filter({ hasText: 'the server is not running' });
  await notRunning.first().waitFor();
  step('show readiness while stopped', (await notRunning.first().locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' '));
  await runCommand(page, 'Notifications: Clear All Notifications');

  // Another valid binary (a copy of the server elsewhere): it starts, diagnostics come back.
  const altDir = path.join(WORK, 'other-server');
  fs.mkdirSync(altDir, { recursive: true });
  const alt = path.join(altDir, 'packet-ls');
  fs.copyFileSync(BIN, alt);
  fs.chmodSync(alt, 0o755);
  await editUserSettings(page, dirs, (s) => ({ ...s, 'packet-ls.server.path': alt }));
  await serverStatus(page, 'running');
  await waitUntil(() => runningServers().includes(fs.realpathSync(alt)), `the server at ${alt} did not start`);
  await runCommand(page, 'View: Toggle Maximized Panel');
  await waitUntil(
    async () => JSON.stringify((now = await readProblems(page, 0))) === JSON.stringify(wantConfigured),
    'the diagnostics did not come back with the new server path',
  ).catch((e) => {
    e.detail = { shown: now, want: wantConfigured };
    throw e;
  });
  await runCommand(page, 'View: Toggle Maximized Panel');
  step('server path changed', `${alt} runs, ${now.length} diagnostics back`);

  // The status item's menu: Restart server (and Show log) brings it up again.
  await page.locator('.statusbar-item', { hasText: 'packet-ls: running' }).first().click();
  const menuRows = page.locator('.quick-input-widget .monaco-list-row');
  await menuRows.filter({ hasText: 'Restart server' }).first().waitFor();
  const choices = (await menuRows.allInnerTexts()).map((t) => t.trim());
  assert(choices.some((c) => c.includes('Show log')), 'the status item offers no "Show log"', choices);
  const mark = await page.evaluate(() => window.__packetLsStates.length);
  await menuRows.filter({ hasText: 'Restart server' }).first().click();
  await waitUntil(async () => {
    const later = await page.evaluate((m) => window.__packetLsStates.slice(m), mark);
    return later.includes('packet-ls: starting') && later[later.length - 1] === 'packet-ls: running';
  }, 'Restart server (from the status item) did not start the server again');
  await waitUntil(() => JSON.stringify(ours()) === JSON.stringify([fs.realpathSync(alt)]), 'not exactly one server runs after the restart');
  const states = await page.evaluate(() => window.__packetLsStates);
  for (const want of ['packet-ls: starting', 'packet-ls: running', 'packet-ls: stopped']) {
    assert(states.includes(want), `the status item never said "${want}"`, states);
  }
  step('status item states', states.join(' → '));

  // ---- "packet-ls: Scaffold packet": a new packet from the template via `packet-ls init` ----
  const scaffolded = path.join(dirs.ws, 'promotion.packet.md');
  await editor.click({ position: { x: 300, y: 40 } });
  await runCommand(page, 'packet-ls: Scaffold packet');
  // code-server's save dialog is a quick input holding the proposed path.
  const dialog = page.locator('.quick-input-widget input');
  await dialog.waitFor({ state: 'visible' });
  await waitUntil(async () => (await dialog.inputValue()).endsWith('promotion.packet.md'), 'the save dialog does not propose promotion.packet.md');
  await page.keyboard.press('Enter');
  await waitUntil(async () => fs.existsSync(scaffolded), 'Scaffold packet did not write promotion.packet.md');
  await page.locator('.tab', { hasText: 'promotion.packet.md' }).first().waitFor();
  // The same binary's `init` elsewhere gives the expected text.
  const reference = path.join(WORK, 'reference.packet.md');
  const init = spawnSync(BIN, ['init', reference], { encoding: 'utf8', timeout: WAIT });
  assert(init.status === 0, `packet-ls init failed: ${init.stderr}`);
  const written = fs.readFileSync(scaffolded, 'utf8');
  assert(written === fs.readFileSync(reference, 'utf8'), 'the scaffolded packet is not the template');
  assert(written.includes('# Selected Projects and Initiatives'), 'the template has no section headings', written);
  step('scaffold', 'promotion.packet.md written from the template and opened');

  // ---- no server at all: said once, and only when a packet is open -------------------------
  // Without the carried server, no path setting and nothing on PATH, a new window that opens
  // a README.md (activation happens for any Markdown file) says nothing; opening a packet then
  // says it once.
  fs.renameSync(bundled, `${bundled}.away`);
  try {
    await editUserSettings(page, dirs, (s) => {
      const { ['packet-ls.server.path']: _, ...rest } = s;
      return rest;
    });
    // (Clearing the path said at once that there is no server: the user just changed it.)
    await page.locator('.notification-toast', { hasText: 'carries no server' }).first().waitFor();
    await runCommand(page, 'Notifications: Clear All Notifications');
    await activateTab(page, 'README.md');
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.tab.active', { hasText: 'README.md' }).first().waitFor();
    await page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'Not a packet.' }).first().waitFor();
    const noServer = page.locator('.notification-toast', { hasText: 'carries no server' });
    await page.waitForTimeout(3000);
    assert((await noServer.count()) === 0, 'the missing-server message was shown for a README.md');
    assert(!(await page.locator('.statusbar-item', { hasText: 'packet-ls: stopped' }).first().isVisible().catch(() => false)), 'the stopped item is shown on a README.md');
    await activateTab(page, 'draft.packet.md');
    await noServer.first().waitFor();
    await serverStatus(page, 'stopped');
    await activateTab(page, 'README.md');
    await activateTab(page, 'draft.packet.md');
    await page.waitForTimeout(1000);
    assert((await noServer.count()) === 1, `the missing-server message was shown ${await noServer.count()} times`);
    step('no server', 'nothing on README.md after a reload; one message when the packet opens');
  } finally {
    fs.renameSync(`${bundled}.away`, bundled);
  }
}

/** Waits for the server status item to say `packet-ls: STATE`. */
async function serverStatus(page, state) {
  await page.locator('.statusbar-item', { hasText: `packet-ls: ${state}` }).first().waitFor();
}

/** Makes the open editor NAME the active one by clicking its tab. */
async function activateTab(page, name) {
  await page.locator('.tab', { hasText: name }).first().click();
  await page.locator('.tab.active', { hasText: name }).first().waitFor();
}

/** Opens a workspace file with Quick Open and waits for TEXT in the editor. */
async function openFile(page, name, text) {
  await runCommand(page, 'workbench.action.quickOpen', async () => {
    await page.keyboard.press('Control+P');
  });
  await page.keyboard.type(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).first().waitFor();
  if (text !== undefined) await page.locator('.editor-instance .monaco-editor .view-lines', { hasText: text }).first().waitFor();
}

/**
 * Changes User settings as a user would: edit settings.json in the editor and save it
 * (code-server does not notice changes made to the file behind its back).
 */
async function editUserSettings(page, dirs, change) {
  const settingsFile = path.join(dirs.userData, 'User/settings.json');
  const settings = change(JSON.parse(fs.readFileSync(settingsFile, 'utf8')));
  const want = JSON.stringify(settings);
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  await page.locator('.tab.active', { hasText: 'settings.json' }).first().waitFor();
  // The editor reopens where the last edit left the cursor: go to the top first.
  await page.locator('.editor-instance .monaco-editor.focused').first().waitFor();
  await page.keyboard.press('Control+Home');
  await page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'packet-ls.trace.server' }).first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(JSON.stringify(settings, null, 2));
  // Drop whatever the JSON editor auto-closed after the cursor.
  await page.keyboard.press('Control+Shift+End');
  await page.keyboard.press('Delete');
  await waitUntil(async () => {
    await page.keyboard.press('Control+S');
    await page.waitForTimeout(300);
    try {
      return JSON.stringify(JSON.parse(fs.readFileSync(settingsFile, 'utf8'))) === want;
    } catch {
      return false;
    }
  }, 'the edited settings.json was not saved');
  await page.keyboard.press('Control+W');
}

/** A row listed twice means two diagnostic collections hold the same diagnostic. */
function assertNoDuplicates(rows) {
  const twice = rows.filter((r, i) => rows.indexOf(r) !== i);
  assert(
    twice.length === 0,
    `${twice.length} Problems rows appear more than once: VS Code holds the server's pushed ` +
      '(publishDiagnostics) and pulled (textDocument/diagnostic) diagnostics in separate ' +
      'collections, so a server must not send both for the same document',
    twice,
  );
}

/** `packet-ls check --format json FILE`: its diagnostics that the Problems panel lists (not hints). */
function cliDiagnostics(file) {
  const checked = spawnSync(BIN, ['check', '--format', 'json', file], { encoding: 'utf8', timeout: WAIT });
  assert(checked.status === 0 || checked.status === 1, `packet-ls check exited with ${checked.status}`, checked.stderr);
  return JSON.parse(checked.stdout)[0].diagnostics.filter((d) => d.severity !== 4);
}

/** CLI diagnostics as Problems panel rows (see readProblems), sorted. */
function problemsOf(diags) {
  return diags
    .map((d) => `${SEVERITY[d.severity]} ${d.message} packet-ls(${d.code}) [Ln ${d.range.start.line + 1}, Col ${d.range.start.character + 1}]`)
    .sort();
}

/** Run a command from the command palette by its title (or press keys instead). */
async function runCommand(page, title, keys) {
  if (keys) {
    await keys();
    await page.locator('.quick-input-widget').waitFor({ state: 'visible' });
    return;
  }
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await page.keyboard.press('Enter');
  // The palette closes, or the command opens its own quick input (Go to Line, a dialog).
  await waitUntil(
    async () => !(await input.isVisible()) || !(await input.inputValue()).startsWith('>'),
    `the command palette stayed open after "${title}"`,
  );
}

async function waitUntil(fn, msg, ms = WAIT) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(msg);
}

/** The Problems panel's diagnostic rows as "Severity message source(code) [Ln l, Col c]", sorted. */
async function readProblems(page, atLeast) {
  const rows = page.locator('.markers-panel .monaco-list-row');
  let texts = [];
  await waitUntil(async () => {
    texts = await rows.evaluateAll((els) =>
      els
        .filter((el) => el.querySelector('.marker-icon') !== null) // not the file's row
        .map((el) => {
          const text = (sel) => (el.querySelector(sel)?.textContent ?? '').replace(/\s+/g, ' ').trim();
          const icon = el.querySelector('.marker-icon').className;
          const sev = /\berror\b/.test(icon) ? 'Error' : /\bwarning\b/.test(icon) ? 'Warning' : /\binfo\b/.test(icon) ? 'Info' : icon;
          return `${sev} ${text('.marker-message')} ${text('.marker-source')}(${text('.marker-code')}) ${text('.marker-line')}`;
        }),
    );
    return texts.length >= atLeast;
  }, `fewer than ${atLeast} rows in the Problems panel`);
  return texts.sort();
}

try {
  await main();
  clearTimeout(watchdog);
  await cleanup();
  console.log('vscode e2e: passed');
  process.exit(0);
} catch (err) {
  console.error(`vscode e2e: FAIL: ${err.message}`);
  if (err.detail !== undefined) console.error(JSON.stringify(err.detail, null, 2));
  try {
    const p = browser?.contexts()[0]?.pages()[0];
    if (p) await p.screenshot({ path: path.join(WORK, 'failure.png') });
    console.error(`screenshot of the failure: ${path.join(WORK, 'failure.png')}; code-server log: ${path.join(WORK, 'code-server.log')}`);
  } catch {}
  clearTimeout(watchdog);
  await cleanup();
  process.exit(1);
}
