// The packet-ls VS Code extension: starts the packet-ls language server for
// Markdown documents, forwards the `packet-ls.*` settings to it and adds the
// commands "Scaffold packet", "Show readiness" and "Restart server".
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

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;

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
  }
  return out;
}

function onPath(name: string): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
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

/**
 * The server executable: the `packet-ls.server.path` setting when set, else the binary this
 * extension carries, else `packet-ls` on PATH (a .vsix built without a server).
 */
export function resolveServerPath(): { path?: string; problem?: string } {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>('server.path', '');
  if (configured.trim() !== '') {
    const p = expandPath(configured);
    if (!fs.existsSync(p)) {
      return { problem: `packet-ls.server.path is set to "${p}", which does not exist.` };
    }
    return { path: p };
  }
  const bundled = bundledServer();
  if (bundled !== undefined) return { path: bundled };
  const found = onPath('packet-ls');
  if (found === undefined) {
    return {
      problem:
        'This packet-ls extension carries no server for this platform, and packet-ls was not found on PATH. Install it (pip install packet-ls, or cargo install packet-ls) or set packet-ls.server.path.',
    };
  }
  return { path: found };
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

async function startClient(): Promise<void> {
  const resolved = resolveServerPath();
  if (resolved.path === undefined) {
    output.appendLine(resolved.problem ?? 'packet-ls: no server');
    const choice = await vscode.window.showErrorMessage(resolved.problem ?? 'packet-ls: no server', 'Open Settings');
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'packet-ls.server.path');
    }
    return;
  }
  output.appendLine(`Starting ${resolved.path} server`);
  client = createClient(resolved.path);
  try {
    await client.start();
  } catch (err) {
    output.appendLine(`packet-ls failed to start: ${String(err)}`);
    void vscode.window.showErrorMessage(`packet-ls failed to start: ${String(err)}`);
  }
}

async function stopClient(): Promise<void> {
  const old = client;
  client = undefined;
  if (old !== undefined) {
    try {
      await old.stop(2000);
    } catch (err) {
      output.appendLine(`packet-ls did not stop cleanly: ${String(err)}`);
    }
  }
}

async function restart(): Promise<void> {
  await stopClient();
  await startClient();
  updateStatus();
}

// ---- Show readiness ------------------------------------------------------
// The command id is `packet-ls.readiness`: `packet-ls.showReadiness` is the server's own
// workspace command (the code lens runs it), which vscode-languageclient registers itself.

const READINESS = /\d+\/\d+ sections/;

/** The readiness summary the server puts in the code lens on the first heading. */
async function readinessOf(doc: vscode.TextDocument): Promise<string | undefined> {
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

async function showReadiness(): Promise<string | undefined> {
  const editor = activeMarkdown();
  if (editor === undefined) {
    void vscode.window.showWarningMessage('packet-ls: open a packet (a Markdown file) first.');
    return undefined;
  }
  const summary = await readinessOf(editor.document);
  if (summary === undefined) {
    void vscode.window.showInformationMessage(
      `packet-ls: ${path.basename(editor.document.fileName)} is not checked as a packet (name it *.packet.md, add "packet:" to its front matter, or include it in packet.toml).`,
    );
    return undefined;
  }
  void vscode.window.showInformationMessage(`${path.basename(editor.document.fileName)}: ${summary}`);
  return summary;
}

let statusTimer: NodeJS.Timeout | undefined;

function updateStatus(): void {
  if (statusTimer !== undefined) clearTimeout(statusTimer);
  statusTimer = setTimeout(() => {
    statusTimer = undefined;
    const editor = activeMarkdown();
    if (editor === undefined || client === undefined || client.state !== State.Running) {
      statusItem.hide();
      return;
    }
    readinessOf(editor.document).then(
      (summary) => {
        if (summary === undefined) {
          statusItem.hide();
        } else {
          statusItem.text = `$(checklist) ${summary}`;
          statusItem.show();
        }
      },
      () => statusItem.hide(),
    );
  }, 300);
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
    void vscode.window.showErrorMessage(resolved.problem ?? 'packet-ls: no server');
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

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionDir = context.extensionPath;
  output = vscode.window.createOutputChannel('packet-ls');
  statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  statusItem.command = 'packet-ls.readiness';
  statusItem.tooltip = 'packet-ls readiness';
  context.subscriptions.push(
    output,
    statusItem,
    vscode.commands.registerCommand('packet-ls.scaffold', scaffold),
    vscode.commands.registerCommand('packet-ls.readiness', showReadiness),
    vscode.commands.registerCommand('packet-ls.restart', restart),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.server.path`)) {
        void restart();
      } else if (e.affectsConfiguration(SECTION) && client?.state === State.Running) {
        void client.sendNotification('workspace/didChangeConfiguration', configurationPayload());
      }
    }),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.languages.onDidChangeDiagnostics(updateStatus),
  );
  await startClient();
  updateStatus();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
