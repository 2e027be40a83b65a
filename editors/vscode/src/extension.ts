// The packet-ls VS Code extension: starts the packet-ls language server for Markdown documents,
// forwards the `packet-ls.*` settings to it, shows whether it runs (a status item that offers
// restart and the log) and the active packet's readiness, and adds the commands "Scaffold
// packet", "Show readiness", "Show open items", "Restart server" and "Show log".
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SECTION = 'packet-ls';
const OPEN_ITEMS = 'packet-ls.openItems';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;

/** The settings the server reads, in the shape of the spec (camelCase). */
export interface ServerSettings {
  debounceMs: number;
  maxFileBytes: number;
  rubric?: string;
  rules: Record<string, string>;
}

export function serverSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const settings: ServerSettings = {
    debounceMs: cfg.get<number>('debounceMs', 100),
    maxFileBytes: cfg.get<number>('maxFileBytes', 5 * 1024 * 1024),
    rules: { ...cfg.get<Record<string, string>>('rules', {}) },
  };
  const rubric = cfg.get<string>('rubric', '').trim();
  if (rubric !== '') {
    settings.rubric = rubric;
  }
  return settings;
}

/** `{"settings": {"packet-ls": {...}}}`: the payload of workspace/didChangeConfiguration. */
function configurationPayload(): { settings: { [SECTION]: ServerSettings } } {
  return { settings: { [SECTION]: serverSettings() } };
}

function expandPath(p: string): string {
  let out = p.trim();
  if (out.startsWith('~/') || out === '~') {
    out = path.join(os.homedir(), out.slice(1));
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder !== undefined) {
    out = out.replace(/\$\{workspaceFolder\}/g, folder);
    if (!path.isAbsolute(out) && out.includes(path.sep)) out = path.join(folder, out);
  }
  return out;
}

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The extension's folder (set on activation): the bundled server is under `server/`. */
let extensionDir: string | undefined;

/**
 * The server binary a platform-specific .vsix carries (`npm run package` puts the release
 * build at `server/packet-ls`, `server/packet-ls.exe` on Windows), if this one does.
 */
export function bundledServer(): string | undefined {
  if (extensionDir === undefined) return undefined;
  const p = path.join(extensionDir, 'server', process.platform === 'win32' ? 'packet-ls.exe' : 'packet-ls');
  try {
    if (!fs.statSync(p).isFile()) return undefined;
  } catch {
    return undefined;
  }
  if (process.platform !== 'win32') {
    try {
      fs.accessSync(p, fs.constants.X_OK);
    } catch {
      // An unpacker that dropped the mode bits: the file is ours, make it executable again.
      try {
        fs.chmodSync(p, 0o755);
      } catch {
        return undefined;
      }
    }
  }
  return p;
}

/** The `packet-ls.server.path` value in force (User, Remote, Workspace: VS Code merges them). */
function configuredServerPath(): string {
  return vscode.workspace.getConfiguration(SECTION).get<string>('server.path', '').trim();
}

/** Why no server could be started: none at all, or a bad packet-ls.server.path. */
type Problem = { message: string; kind: 'missing' | 'path' | 'start' };

/**
 * The server executable: the `packet-ls.server.path` setting when set, else the binary this
 * extension carries, else `packet-ls` on PATH (a .vsix built without a server). A configured
 * path is checked before anything is spawned, so that a folder or a file without the execute
 * bit gives one clear message instead of a raw `spawn EACCES`.
 */
export function resolveServerPath(): { path?: string; problem?: Problem } {
  const configured = configuredServerPath();
  if (configured !== '') {
    const p = expandPath(configured);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      return { problem: { kind: 'path', message: `packet-ls.server.path does not exist: ${p}` } };
    }
    if (stat.isDirectory()) {
      return {
        problem: { kind: 'path', message: `packet-ls.server.path points to a folder: ${p} (it must name the packet-ls executable)` },
      };
    }
    if (!isExecutableFile(p)) {
      return { problem: { kind: 'path', message: `packet-ls.server.path is not executable: ${p}` } };
    }
    return { path: p };
  }
  const bundled = bundledServer();
  if (bundled !== undefined) return { path: bundled };
  const found = onPath('packet-ls');
  if (found === undefined) {
    return {
      problem: {
        kind: 'missing',
        message:
          'This packet-ls extension carries no server for this platform, and packet-ls was not found on PATH. Install it (pip install packet-ls, or cargo install packet-ls) or set packet-ls.server.path.',
      },
    };
  }
  return { path: found };
}

// ---- what counts as a packet (spec §1), for the extension's own decisions --------------
// The server decides for its diagnostics; the extension needs the same answer before (or
// without) a server: to show the missing-server message only for packets, never for every
// README.

/** Whether the front matter (YAML between `---` lines at the very top) has a `packet:` key. */
export function frontMatterHasPacketKey(text: string): boolean {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/, 400);
  if (lines[0]?.trimEnd() !== '---') return false;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.trimEnd() === '---' || l.trimEnd() === '...') return false;
    if (/^packet\s*:/.test(l) || /^["']packet["']\s*:/.test(l)) return true;
  }
  return false;
}

/** A `packet.toml` glob (globset syntax: `*` and `**` cross `/`) as a regular expression. */
function globRegex(glob: string): RegExp {
  let re = '';
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      re += '.*';
      while (glob[i + 1] === '*') i++;
    } else if (c === '?') re += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else if (c === '{') {
      inBraces = true;
      re += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      re += ')';
    } else if (c === ',' && inBraces) re += '|';
    else re += c.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function tomlStrings(text: string, key: string): string[] {
  const m = new RegExp(`^\\s*${key}\\s*=\\s*\\[([\\s\\S]*?)\\]`, 'm').exec(text);
  if (m === null) return [];
  const out: string[] = [];
  for (const s of m[1].matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)) out.push(s[1] ?? s[2]);
  return out;
}

/** Whether the nearest `packet.toml` in the file's folder or a parent lists it in `include`. */
function includedByConfig(file: string): boolean {
  let dir = path.dirname(file);
  for (;;) {
    const cfg = path.join(dir, 'packet.toml');
    let text: string | undefined;
    try {
      text = fs.readFileSync(cfg, 'utf8');
    } catch {
      // none here
    }
    if (text !== undefined) {
      const rel = path.relative(dir, file).split(path.sep).join('/');
      const matches = (key: string) => tomlStrings(text, key).some((g) => globRegex(g).test(rel));
      return matches('include') && !matches('exclude');
    }
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

export function isPacketDocument(doc: vscode.TextDocument): boolean {
  if (doc.languageId !== 'markdown') return false;
  if (doc.fileName.toLowerCase().endsWith('.packet.md')) return true;
  if (frontMatterHasPacketKey(doc.getText(new vscode.Range(0, 0, 400, 0)))) return true;
  return doc.uri.scheme === 'file' && includedByConfig(doc.uri.fsPath);
}

function packetOpen(): boolean {
  return vscode.window.visibleTextEditors.some((e) => isPacketDocument(e.document));
}

// ---- the server's lifecycle --------------------------------------------------------------

type ServerState = { kind: 'starting' } | { kind: 'running'; path: string } | { kind: 'stopped'; reason: string };
let serverState: ServerState = { kind: 'starting' };
let serverItem: vscode.StatusBarItem;
/** The setting value the running (or last started) client was made from. */
let startedWith: string | undefined;
/** A problem found on activation, not shown yet because no packet was open. */
let pendingMissing: string | undefined;
let missingShown = false;
/** A stop we asked for (a restart): not reported as the server stopping by itself. */
let stopping = false;

function setState(s: ServerState): void {
  serverState = s;
  updateServerItem();
  updateReadiness();
}

function updateServerItem(): void {
  const s = serverState;
  if (s.kind === 'starting') {
    serverItem.text = '$(sync~spin) packet-ls: starting';
    serverItem.tooltip = 'The packet-ls server is starting';
    serverItem.backgroundColor = undefined;
  } else if (s.kind === 'running') {
    serverItem.text = '$(check) packet-ls: running';
    serverItem.tooltip = `The packet-ls server is running: ${s.path}\nClick to restart it or show its log.`;
    serverItem.backgroundColor = undefined;
  } else {
    serverItem.text = '$(error) packet-ls: stopped';
    serverItem.tooltip = `The packet-ls server is not running: ${s.reason}\nClick to restart it or show its log.`;
    serverItem.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  }
  // Shown with Markdown files; a stopped server only bothers packets.
  const doc = vscode.window.activeTextEditor?.document;
  const markdown = doc !== undefined && doc.languageId === 'markdown';
  if (markdown && (s.kind !== 'stopped' || isPacketDocument(doc))) serverItem.show();
  else serverItem.hide();
}

/** Shows a start problem without waiting for it: nothing in activation waits on a toast. */
function showProblem(message: string): void {
  void vscode.window.showErrorMessage(message, 'Open Settings', 'Show Log').then((choice) => {
    if (choice === 'Open Settings') {
      void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server.path`);
    } else if (choice === 'Show Log') {
      output.show(true);
    }
  });
}

/** The problem found on activation: once per session, and only once a packet is open. */
function maybeShowMissing(): void {
  if (pendingMissing === undefined || missingShown || !packetOpen()) return;
  missingShown = true;
  const m = pendingMissing;
  pendingMissing = undefined;
  showProblem(m);
}

function createClient(serverPath: string): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { command: serverPath, args: ['server'], transport: TransportKind.stdio },
    debug: { command: serverPath, args: ['server'], transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    initializationOptions: configurationPayload(),
    // No static file watcher: the server registers its packet.toml watcher dynamically.
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      // One outline: VS Code's built-in Markdown extension already gives the Outline,
      // breadcrumbs and Go to Symbol the same heading tree, so ours is not added a second time
      // (other editors still get the server's symbols).
      provideDocumentSymbols: () => [],
      // The readiness lens opens the packet's open items instead of running the server's
      // packet-ls.showReadiness (which only repeats the lens text).
      provideCodeLenses: async (doc, token, next) => {
        const lenses = await next(doc, token);
        for (const lens of lenses ?? []) {
          if (lens.command !== undefined && lens.command.command === 'packet-ls.showReadiness') {
            lens.command = {
              title: lens.command.title,
              command: OPEN_ITEMS,
              arguments: [doc.uri],
              tooltip: 'Show the open items of this packet',
            };
          }
        }
        return lenses;
      },
      workspace: {
        // Answer workspace/configuration for our section with the same clean
        // object that didChangeConfiguration carries (without server.path).
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return params.items.map((item, i) =>
            item.section === SECTION
              ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
              : answers[i],
          );
        },
      },
    },
  };
  return new LanguageClient(SECTION, 'packet-ls', serverOptions, clientOptions);
}

async function startClient(trigger: 'activation' | 'settings' | 'command'): Promise<void> {
  startedWith = configuredServerPath();
  const resolved = resolveServerPath();
  if (resolved.path === undefined) {
    const problem = resolved.problem ?? { kind: 'missing', message: 'packet-ls: no server' };
    output.appendLine(problem.message);
    setState({ kind: 'stopped', reason: problem.message });
    if (trigger === 'activation') {
      // Activation happens for any Markdown file: say it once, when a packet is open.
      pendingMissing = problem.message;
      maybeShowMissing();
    } else {
      // The user just changed the setting or asked for a restart: tell them now, once.
      showProblem(problem.message);
    }
    return;
  }
  output.appendLine(`Starting ${resolved.path} server`);
  setState({ kind: 'starting' });
  const c = createClient(resolved.path);
  client = c;
  c.onDidChangeState((e) => {
    if (client !== c) return;
    if (e.newState === State.Running) setState({ kind: 'running', path: resolved.path! });
    else if (e.newState === State.Starting) setState({ kind: 'starting' });
    else if (e.newState === State.Stopped && !stopping) {
      setState({ kind: 'stopped', reason: 'the server exited (see the log)' });
    }
  });
  try {
    await c.start();
  } catch (err) {
    // vscode-languageclient has already said so (and logged it): no second toast.
    output.appendLine(`packet-ls failed to start: ${String(err)}`);
    if (client === c) {
      client = undefined;
      setState({ kind: 'stopped', reason: `it failed to start: ${String(err)}` });
    }
    try {
      await c.dispose(2000);
    } catch {
      // it never ran
    }
  }
}

async function stopClient(): Promise<void> {
  const old = client;
  client = undefined;
  if (old !== undefined) {
    stopping = true;
    try {
      await old.dispose(2000);
    } catch (err) {
      output.appendLine(`packet-ls did not stop cleanly: ${String(err)}`);
    } finally {
      stopping = false;
    }
  }
}

/** Restarts run one after another; each makes a fresh client (a failed one cannot restart). */
let lifecycle: Promise<void> = Promise.resolve();
function restart(trigger: 'activation' | 'settings' | 'command' = 'command'): Promise<void> {
  lifecycle = lifecycle.then(async () => {
    await stopClient();
    await startClient(trigger);
  });
  return lifecycle;
}

/** Clicking the server status item: restart or the log (quick pick). */
async function serverActions(): Promise<void> {
  const s = serverState;
  const title =
    s.kind === 'running' ? `packet-ls is running (${s.path})` : s.kind === 'starting' ? 'packet-ls is starting' : `packet-ls is stopped: ${s.reason}`;
  const items: (vscode.QuickPickItem & { run: () => unknown })[] = [
    { label: '$(debug-restart) Restart server', run: () => restart('command') },
    { label: '$(output) Show log', run: () => output.show(true) },
  ];
  if (s.kind === 'stopped') {
    items.push({
      label: '$(settings-gear) Open settings (packet-ls.server.path)',
      run: () => vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server.path`),
    });
  }
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: title });
  await pick?.run();
}

// ---- Show readiness ------------------------------------------------------
// The command id is `packet-ls.readiness`: `packet-ls.showReadiness` is the server's own
// workspace command, which vscode-languageclient registers itself.

const READINESS = /\d+\/\d+ sections/;

function running(): boolean {
  return client !== undefined && client.state === State.Running;
}

/** The readiness summary the server puts in the code lens on the first heading. */
async function readinessOf(doc: vscode.TextDocument): Promise<string | undefined> {
  if (!running()) return undefined;
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
    'vscode.executeCodeLensProvider',
    doc.uri,
  );
  for (const lens of lenses ?? []) {
    const title = lens.command?.title;
    if (title !== undefined && READINESS.test(title)) return title;
  }
  return undefined;
}

function activeMarkdown(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor !== undefined && editor.document.languageId === 'markdown' ? editor : undefined;
}

function notRunningMessage(): string {
  const s = serverState;
  const why = s.kind === 'stopped' ? `: ${s.reason}` : s.kind === 'starting' ? ' yet (it is starting)' : '';
  return `packet-ls: the server is not running${why}. Restart it from the status bar or with "packet-ls: Restart server".`;
}

async function showReadiness(): Promise<string | undefined> {
  const editor = activeMarkdown();
  if (editor === undefined) {
    void vscode.window.showWarningMessage('packet-ls: open a packet (a Markdown file) first.');
    return undefined;
  }
  if (!running()) {
    void vscode.window.showWarningMessage(notRunningMessage());
    return undefined;
  }
  const summary = await readinessOf(editor.document);
  if (summary === undefined && isPacketDocument(editor.document)) {
    void vscode.window.showInformationMessage(
      `packet-ls: ${path.basename(editor.document.fileName)} has no readiness yet (the server is still checking it, or it has no heading).`,
    );
    return undefined;
  }
  if (summary === undefined) {
    void vscode.window.showInformationMessage(
      `packet-ls: ${path.basename(editor.document.fileName)} is not checked as a packet (name it *.packet.md, add "packet:" to its front matter, or include it in packet.toml).`,
    );
    return undefined;
  }
  void vscode.window.showInformationMessage(`${path.basename(editor.document.fileName)}: ${summary}`);
  return summary;
}

// ---- the readiness status item: the active packet's, hidden elsewhere ---------------------

let readinessItem: vscode.StatusBarItem;
let readinessFor: string | undefined;
let readinessTimer: NodeJS.Timeout | undefined;
let readinessGeneration = 0;

function updateReadiness(): void {
  const editor = activeMarkdown();
  const uri = editor?.document.uri.toString();
  // Never show one file's readiness on another, not even for the time it takes to ask.
  if (uri !== readinessFor || !running()) {
    readinessItem.hide();
    readinessFor = undefined;
  }
  if (readinessTimer !== undefined) clearTimeout(readinessTimer);
  const generation = ++readinessGeneration;
  if (editor === undefined || !running()) return;
  readinessTimer = setTimeout(() => {
    readinessTimer = undefined;
    readinessOf(editor.document).then(
      (summary) => {
        if (generation !== readinessGeneration) return;
        if (summary === undefined) {
          readinessItem.hide();
          readinessFor = undefined;
        } else {
          readinessItem.text = `$(checklist) ${summary}`;
          readinessItem.command = { title: 'Show open items', command: OPEN_ITEMS, arguments: [editor.document.uri] };
          readinessFor = uri;
          readinessItem.show();
        }
      },
      () => readinessItem.hide(),
    );
  }, 200);
}

// ---- the open items of a packet (the code lens and the readiness item open it) ------------

const SEVERITY_ICON: Record<number, string> = {
  [vscode.DiagnosticSeverity.Error]: '$(error)',
  [vscode.DiagnosticSeverity.Warning]: '$(warning)',
  [vscode.DiagnosticSeverity.Information]: '$(info)',
  [vscode.DiagnosticSeverity.Hint]: '$(lightbulb)',
};

/** A quick pick of the packet's diagnostics, in document order; choosing one jumps to it. */
async function openItems(arg?: vscode.Uri | string): Promise<void> {
  const uri = arg === undefined ? activeMarkdown()?.document.uri : typeof arg === 'string' ? vscode.Uri.parse(arg) : arg;
  if (uri === undefined) {
    void vscode.window.showWarningMessage('packet-ls: open a packet (a Markdown file) first.');
    return;
  }
  const name = path.basename(uri.fsPath);
  const diags = vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'packet-ls')
    .sort((a, b) => a.range.start.compareTo(b.range.start) || a.severity - b.severity);
  const doc = await vscode.workspace.openTextDocument(uri);
  const summary = await readinessOf(doc);
  if (diags.length === 0) {
    void vscode.window.showInformationMessage(`packet-ls: nothing open in ${name}${summary ? ` (${summary})` : ''}.`);
    return;
  }
  type Item = vscode.QuickPickItem & { range: vscode.Range };
  const items: Item[] = diags.map((d) => ({
    label: `${SEVERITY_ICON[d.severity] ?? ''} ${d.message}`,
    description: `Ln ${d.range.start.line + 1}`,
    detail: typeof d.code === 'object' ? String(d.code.value) : d.code !== undefined ? String(d.code) : undefined,
    range: d.range,
  }));
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = `${name}: ${diags.length} open item${diags.length === 1 ? '' : 's'}${summary ? ` · ${summary}` : ''}`;
  qp.placeholder = 'Choose an item to go to it';
  qp.items = items;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const editorFor = () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  qp.onDidChangeActive((active) => {
    // Preview: scroll to the item, without moving the cursor yet.
    const r = active[0]?.range;
    if (r !== undefined) editorFor()?.revealRange(r, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  });
  qp.onDidAccept(() => {
    const r = qp.selectedItems[0]?.range;
    qp.hide();
    if (r !== undefined) {
      void vscode.window.showTextDocument(uri, { selection: new vscode.Range(r.start, r.start) });
    }
  });
  qp.onDidHide(() => qp.dispose());
  qp.show();
}

// ---- Scaffold packet -----------------------------------------------------

function runInit(serverPath: string, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(serverPath, ['init', target], { timeout: 10000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(stderr.trim() || err.message));
      else resolve();
    });
  });
}

/**
 * In an empty Markdown editor: apply the server's "Scaffold packet from
 * template" source action. Otherwise: ask where to write a new packet and let
 * `packet-ls init` write it (it never overwrites), then open it.
 */
async function scaffold(): Promise<void> {
  const editor = activeMarkdown();
  if (editor !== undefined && editor.document.getText().trim() === '') {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      new vscode.Range(0, 0, 0, 0),
      vscode.CodeActionKind.Source.value,
    );
    const action = (actions ?? []).find((a) => /scaffold/i.test(a.title));
    if (action?.edit !== undefined) {
      await vscode.workspace.applyEdit(action.edit);
      return;
    }
  }
  const resolved = resolveServerPath();
  if (resolved.path === undefined) {
    void vscode.window.showErrorMessage(resolved.problem?.message ?? 'packet-ls: no server');
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, 'promotion.packet.md') : undefined,
    filters: { 'Promotion packet': ['packet.md', 'md'] },
    title: 'New promotion packet',
  });
  if (target === undefined) return;
  if (fs.existsSync(target.fsPath)) {
    void vscode.window.showErrorMessage(`packet-ls: ${target.fsPath} already exists; not overwriting it.`);
    return;
  }
  try {
    await runInit(resolved.path, target.fsPath);
  } catch (err) {
    void vscode.window.showErrorMessage(`packet-ls init failed: ${String(err)}`);
    return;
  }
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
}

// ---- activation ----------------------------------------------------------

export function activate(context: vscode.ExtensionContext): void {
  extensionDir = context.extensionPath;
  output = vscode.window.createOutputChannel('packet-ls');
  serverItem = vscode.window.createStatusBarItem('packet-ls.server', vscode.StatusBarAlignment.Left, 51);
  serverItem.name = 'packet-ls server';
  serverItem.command = 'packet-ls.serverActions';
  readinessItem = vscode.window.createStatusBarItem('packet-ls.readiness', vscode.StatusBarAlignment.Left, 50);
  readinessItem.name = 'packet-ls readiness';
  readinessItem.tooltip = 'packet-ls readiness: click for the open items';
  context.subscriptions.push(
    output,
    serverItem,
    readinessItem,
    vscode.commands.registerCommand('packet-ls.scaffold', scaffold),
    vscode.commands.registerCommand('packet-ls.readiness', showReadiness),
    vscode.commands.registerCommand(OPEN_ITEMS, openItems),
    vscode.commands.registerCommand('packet-ls.restart', () => restart('command')),
    vscode.commands.registerCommand('packet-ls.showLog', () => output.show(true)),
    vscode.commands.registerCommand('packet-ls.serverActions', serverActions),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.server.path`)) {
        // Any scope (User, Remote, Workspace): start again with the value now in force, unless
        // that is the one the running server came from.
        if (configuredServerPath() !== startedWith || !running()) void restart('settings');
      } else if (e.affectsConfiguration(SECTION) && running()) {
        void client?.sendNotification('workspace/didChangeConfiguration', configurationPayload());
      }
    }),
    // A workspace value of the server path counts only once the workspace is trusted.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (configuredServerPath() !== startedWith) void restart('settings');
    }),
    vscode.window.onDidChangeActiveTextEditor(() => {
      updateServerItem();
      updateReadiness();
    }),
    vscode.window.onDidChangeVisibleTextEditors(maybeShowMissing),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active !== undefined && e.uris.some((u) => u.toString() === active)) updateReadiness();
    }),
  );
  updateServerItem();
  // Not awaited: activation ends at once; the status item tells how the start goes.
  void restart('activation');
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
