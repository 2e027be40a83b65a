// Clicks the column headings of `packet-ls report --format html` in headless Chromium
// (playwright-core from editors/vscode) and checks the rows sort, both ways, with the
// page's own script running under its Content-Security-Policy (no network).
//
//   PACKET_LS_BIN=target/release/packet-ls node scripts/report-sort-test.mjs
// (scripts/editor-tests.sh runs it in the vscode suite, after `npm ci` there.)
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repo, 'editors/vscode/package.json'));
const { chromium } = require('playwright-core');
const bin = process.env.PACKET_LS_BIN || path.join(repo, 'target/release/packet-ls');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function fail(msg) {
  console.error(`report sort: FAILED: ${msg}`);
  process.exit(1);
}

// Three packets with different error counts: dana (clean), a draft (many errors), and
// dana with its Summary removed (one missing section).
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'report-sort-'));
const ex = path.join(repo, 'examples');
const dana = fs.readFileSync(path.join(ex, 'dana.packet.md'), 'utf8');
fs.cpSync(path.join(ex, 'letters'), path.join(work, 'letters'), { recursive: true });
fs.writeFileSync(path.join(work, 'b-dana.packet.md'), dana);
fs.writeFileSync(path.join(work, 'a-draft.packet.md'), fs.readFileSync(path.join(ex, 'draft.packet.md'), 'utf8'));
const cut = dana.indexOf('\n# Summary');
if (cut < 0) fail('examples/dana.packet.md has no "# Summary" heading');
fs.writeFileSync(path.join(work, 'c-nosummary.packet.md'), dana.slice(0, cut) + '\n');
const html = path.join(work, 'report.html');
try {
  execFileSync(bin, ['report', work, '--format', 'html', '-o', html], { stdio: 'pipe' });
} catch (e) {
  // `report` exits 0 when it ran; anything else is a failure here.
  fail(`packet-ls report failed: ${e.stderr || e}`);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  const blocked = [];
  page.on('console', (m) => { if (m.type() === 'error') blocked.push(m.text()); });
  page.on('request', (r) => { if (!r.url().startsWith('file:')) blocked.push(`request ${r.url()}`); });
  await page.goto(pathToFileURL(html).href);
  const heads = await page.$$eval('#report thead th', (ths) => ths.map((t) => t.textContent));
  const col = (name) => {
    const i = heads.indexOf(name);
    if (i < 0) fail(`no column "${name}" in ${JSON.stringify(heads)}`);
    return i;
  };
  const column = (i) => page.$$eval('#report tbody tr', (rows, i) => rows.map((r) => r.cells[i].getAttribute('data-sort')), i);
  const packets = () => column(col('Packet'));
  const errors = col('Errors');
  const before = await packets();
  if (before.length !== 3) fail(`expected 3 rows, got ${JSON.stringify(before)}`);

  await page.click(`#report th[data-col="${errors}"]`);
  const up = (await column(errors)).map(Number);
  const sortedUp = [...up].sort((a, b) => a - b);
  if (JSON.stringify(up) !== JSON.stringify(sortedUp)) fail(`Errors ascending: ${JSON.stringify(up)}`);
  if ((await page.getAttribute(`#report th[data-col="${errors}"]`, 'aria-sort')) !== 'ascending') fail('aria-sort is not ascending');
  const firstUp = (await packets())[0];

  await page.click(`#report th[data-col="${errors}"]`);
  const down = (await column(errors)).map(Number);
  if (JSON.stringify(down) !== JSON.stringify([...sortedUp].reverse())) fail(`Errors descending: ${JSON.stringify(down)}`);
  if ((await page.getAttribute(`#report th[data-col="${errors}"]`, 'aria-sort')) !== 'descending') fail('aria-sort is not descending');
  const firstDown = (await packets())[0];
  if (!firstDown.includes('a-draft') || !firstUp.includes('b-dana')) fail(`most errors first: ${firstDown}; fewest: ${firstUp}`);

  // A text column sorts alphabetically.
  const pcol = col('Packet');
  await page.click(`#report th[data-col="${pcol}"]`);
  const names = await packets();
  if (JSON.stringify(names) !== JSON.stringify([...names].sort((a, b) => a.localeCompare(b)))) fail(`Packet ascending: ${JSON.stringify(names)}`);
  if (blocked.length) fail(`the page reported errors or fetched something: ${JSON.stringify(blocked)}`);
  console.log(`report sort: ok: Errors ${JSON.stringify(up)} → ${JSON.stringify(down)}; Packet ${JSON.stringify(names)}`);
} finally {
  await browser.close();
  fs.rmSync(work, { recursive: true, force: true });
}
