-- End-to-end test: a real headless Neovim (0.11+) with editors/neovim/lsp/packet_ls.lua
-- against the built packet-ls server. Run by editors/neovim/test/run.sh:
--   PACKET_LS_BIN=... PACKET_FILE=... NEOVIM_CONFIG_DIR=... nvim --headless --clean -S e2e.lua
-- Opens a flawed packet, waits for diagnostics (DiagnosticChanged), checks them against
-- `packet-ls check --format json` of the same file and against known findings, applies the
-- quick fix "Insert section ..." through vim.lsp.buf.code_action({apply = true}), and checks
-- the buffer text. Prints one JSON line per step; exits non-zero on the first failure.
-- Every wait is bounded.

local bin = assert(os.getenv('PACKET_LS_BIN'), 'PACKET_LS_BIN not set')
local file = assert(os.getenv('PACKET_FILE'), 'PACKET_FILE not set')
local config_dir = assert(os.getenv('NEOVIM_CONFIG_DIR'), 'NEOVIM_CONFIG_DIR not set')
local WAIT_MS = tonumber(os.getenv('WAIT_MS') or '') or 15000

local function emit(tbl)
  io.stdout:write(vim.json.encode(tbl) .. '\n')
end

local function fail(step, msg, extra)
  emit({ step = step, ok = false, error = msg, detail = extra })
  io.stdout:flush()
  vim.cmd('cquit! 1')
end

local function check(step, cond, msg, extra)
  if not cond then
    fail(step, msg, extra)
  end
end

-- 1. The shipped config, found on 'runtimepath' as lsp/packet_ls.lua; only the command changes.
vim.opt.runtimepath:prepend(config_dir)
vim.cmd('filetype on')
local shipped = vim.lsp.config.packet_ls
check('config', shipped ~= nil and shipped.cmd ~= nil, 'lsp/packet_ls.lua was not found on runtimepath')
check('config', vim.deep_equal(shipped.filetypes, { 'markdown' }), 'filetypes should be { "markdown" }', shipped.filetypes)
-- before_init keeps the user's init_options and adds the settings to them.
local params = { initializationOptions = { custom = 1, settings = { ['packet-ls'] = { rubric = 'mine' } } } }
shipped.before_init(params, shipped)
check('config', params.initializationOptions.custom == 1, 'before_init dropped the user init_options', params)
check('config', params.initializationOptions.settings['packet-ls'].rubric == 'mine', 'before_init overrode a user setting', params)
check('config', params.initializationOptions.settings['packet-ls'].debounceMs == 100, 'before_init did not add the settings', params)
local plain = { initializationOptions = nil }
shipped.before_init(plain, shipped)
check('config', vim.deep_equal(plain.initializationOptions, { settings = shipped.settings }), 'before_init without init_options', plain)
vim.lsp.config('packet_ls', { cmd = { bin, 'server' }, init_options = { custom = 1 } })
vim.lsp.enable('packet_ls')

local attached, diag_events = nil, 0
vim.api.nvim_create_autocmd('LspAttach', {
  callback = function(args)
    local c = vim.lsp.get_client_by_id(args.data.client_id)
    if c and c.name == 'packet_ls' then
      attached = c
    end
  end,
})
vim.api.nvim_create_autocmd('DiagnosticChanged', {
  callback = function()
    diag_events = diag_events + 1
  end,
})

vim.cmd.edit(vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
check('open', vim.bo[buf].filetype == 'markdown', 'filetype is not markdown: ' .. vim.bo[buf].filetype)
check('attach', vim.wait(WAIT_MS, function() return attached ~= nil end, 20), 'packet_ls did not attach')
emit({ step = 'attach', ok = true, server = attached.server_info })

-- 2. Diagnostics, compared with the CLI's JSON for the same text.
local function packet_diags()
  return vim.diagnostic.get(buf, { namespace = nil })
end
check(
  'diagnostics',
  vim.wait(WAIT_MS, function() return diag_events > 0 and #packet_diags() > 0 end, 20),
  'no diagnostics within ' .. WAIT_MS .. ' ms'
)

-- What `packet-ls check --format json` reports for `path`, as sorted keys.
local function key(code, line, col, sev, msg)
  return string.format('%d:%d %s %d %s', line, col, code, sev, msg)
end
local function cli_keys(step, path)
  local cli = vim.system({ bin, 'check', '--format', 'json', path }, { text = true }):wait(WAIT_MS)
  local ok_json, report = pcall(vim.json.decode, cli.stdout or '')
  check(step, ok_json and type(report) == 'table' and report[1] ~= nil, 'packet-ls check --format json failed', cli.stderr)
  local want = {}
  for _, d in ipairs(report[1].diagnostics) do
    table.insert(want, key(d.code, d.range.start.line, d.range.start.character, d.severity, d.message))
  end
  table.sort(want)
  return want
end
-- The editor's diagnostics for the buffer (every namespace: pushed and pulled), as sorted keys.
local function editor_keys(step)
  local got = {}
  for _, d in ipairs(packet_diags()) do
    check(step, d.source == 'packet-ls', 'diagnostic source is not packet-ls', d)
    table.insert(got, key(d.code, d.lnum, d.col, d.severity, d.message))
  end
  table.sort(got)
  return got
end
-- Neovim keeps pushed (publishDiagnostics) and pulled (textDocument/diagnostic) diagnostics in
-- separate namespaces: a server that sends both shows every diagnostic twice.
local function check_no_duplicates(step)
  local got, twice = editor_keys(step), {}
  for i = 2, #got do
    if got[i] == got[i - 1] then
      table.insert(twice, got[i])
    end
  end
  check(step, #twice == 0, #twice .. ' diagnostics appear twice (pushed and pulled?)', twice)
end

local want = cli_keys('diagnostics', file)
-- Pushed and pulled diagnostics may arrive one after the other: wait for the full set.
vim.wait(WAIT_MS, function() return vim.deep_equal(editor_keys('diagnostics'), want) end, 50)
local got = editor_keys('diagnostics')
check_no_duplicates('diagnostics')
check('diagnostics', vim.deep_equal(want, got), 'editor diagnostics differ from packet-ls check (each must appear once)', { want = want, got = got })
local diags = packet_diags()

-- Known findings in the example, so that the comparison above cannot pass vacuously.
local function has(code, lnum, pattern)
  for _, d in ipairs(packet_diags()) do
    if d.code == code and d.lnum == lnum and d.message:find(pattern, 1, true) then
      return true
    end
  end
  return false
end
-- (A missing section points where its fix inserts it: the "# Summary" heading, line 41.)
check('diagnostics', has('missing-section', 40, '"Cross-Functional Collaboration"'), 'missing-section for Cross-Functional Collaboration on line 41 expected', got)
check('diagnostics', has('heading-near-miss', 26, 'Mentorship & Coching'), 'heading-near-miss on line 27 expected', got)
check('diagnostics', has('placeholder', 24, '<Initiative 2>'), 'placeholder on line 25 expected', got)
emit({ step = 'diagnostics', ok = true, count = #diags })

-- 3. Quick fix: insert the missing section, as a user would with a filtered code action.
local before = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local tick = vim.api.nvim_buf_get_changedtick(buf)
local events_before = diag_events
vim.api.nvim_win_set_cursor(0, { 41, 0 })
local offered = {}
vim.lsp.buf.code_action({
  apply = true,
  filter = function(action)
    table.insert(offered, action.title)
    return action.kind == 'quickfix' and action.title == 'Insert section "Cross-Functional Collaboration"'
  end,
})
check(
  'code_action',
  vim.wait(WAIT_MS, function() return vim.api.nvim_buf_get_changedtick(buf) ~= tick end, 20),
  'the quick fix was not applied',
  { offered = offered }
)
local after = vim.api.nvim_buf_get_lines(buf, 0, -1, false)

-- The section heading appears once, at its canonical place (after Scope of Responsibilities,
-- before Summary), and every original line is still there, in order.
local heading_at, summary_at, scope_at, count = nil, nil, nil, 0
for i, l in ipairs(after) do
  if l == '# Cross-Functional Collaboration' then
    heading_at, count = i, count + 1
  elseif l == '# Summary' then
    summary_at = i
  elseif l == '# Scope of Responsibilities' then
    scope_at = i
  end
end
check('buffer', count == 1, 'expected one "# Cross-Functional Collaboration" line, found ' .. count, after)
check('buffer', scope_at < heading_at and heading_at < summary_at, 'inserted section is not between Scope of Responsibilities and Summary', after)
local j = 1
for _, l in ipairs(after) do
  if j <= #before and l == before[j] then
    j = j + 1
  end
end
check('buffer', j == #before + 1, 'the quick fix changed or removed original text', { before = before, after = after })
check('buffer', #after > #before, 'nothing was inserted')
check('buffer', after[heading_at - 1] == '' , 'the inserted heading is not preceded by a blank line', after)
emit({ step = 'code_action', ok = true, inserted_lines = #after - #before, heading_line = heading_at })

-- 4. The server re-checks the edited buffer: it now reports exactly what the CLI reports for
-- the edited text (that missing-section gone, each diagnostic once), whatever namespaces
-- (pushed or pulled diagnostics) Neovim keeps them in.
local edited = vim.fn.tempname() .. '.packet.md'
vim.fn.writefile(after, edited)
local want_after = cli_keys('recheck', edited)
for _, k in ipairs(want_after) do
  check('recheck', not k:find('Cross-Functional Collaboration" (H1)', 1, true), 'the CLI still reports the fixed missing section', want_after)
end
vim.wait(WAIT_MS, function() return diag_events > events_before and vim.deep_equal(editor_keys('recheck'), want_after) end, 50)
check_no_duplicates('recheck')
check(
  'recheck',
  vim.deep_equal(editor_keys('recheck'), want_after),
  'after the fix the editor diagnostics differ from packet-ls check of the edited text (each must appear once)',
  { want = want_after, got = editor_keys('recheck') }
)
check('recheck', not has('missing-section', 40, '"Cross-Functional Collaboration"'), 'missing-section for Cross-Functional Collaboration still reported after the fix')
check('recheck', has('heading-near-miss', 26, 'Mentorship & Coching'), 'heading-near-miss should still be reported')
emit({ step = 'recheck', ok = true, count = #packet_diags() })

-- 4b. packet.toml written next to the packet, outside Neovim (0.11 on Linux cannot watch files
-- for the server, and packet.toml is no buffer): the server notices by itself and re-checks.
local toml = vim.fs.joinpath(vim.fs.dirname(file), 'packet.toml')
vim.fn.writefile({ '[rules]', 'heading-near-miss = "off"' }, toml)
check('packet_toml', vim.wait(WAIT_MS, function() return not has('heading-near-miss', 26, 'Mentorship & Coching') end, 50),
  'heading-near-miss still reported after packet.toml turned it off', packet_diags())
os.remove(toml)
check('packet_toml', vim.wait(WAIT_MS, function() return has('heading-near-miss', 26, 'Mentorship & Coching') end, 50),
  'heading-near-miss not back after packet.toml was deleted', packet_diags())
emit({ step = 'packet_toml', ok = true })

-- 5. Completion as a user types it: real keys (<C-x><C-o>, <C-n>, <C-y>), which Neovim only
-- reads once this script has returned, so the steps below run from timers, one after the other.
-- Neovim inserts a completion's "word", not its edit, for items it does not re-apply:
-- each picked item must leave the whole heading (or front-matter entry) on the line.
vim.o.showmode = false -- (no "-- INSERT --" or "match 1 of 9" between the JSON lines on stdout)
vim.opt.shortmess:append("c")
local steps = {}
local function line_at(lnum)
  return vim.api.nvim_buf_get_lines(buf, lnum - 1, lnum, false)[1]
end
-- Types `keys` at the end of line `lnum` (after `text` is put there), then calls `pick` when
-- the popup menu is visible (or, with `until_line`, waits for the line to change by itself).
local function complete_step(name, lnum, text, opts)
  table.insert(steps, function(next_step)
    if opts.before then
      opts.before()
    end
    vim.api.nvim_buf_set_lines(buf, lnum - 1, opts.insert and lnum - 1 or lnum, false, { text })
    vim.api.nvim_win_set_cursor(0, { lnum, 0 })
    vim.o.completeopt = opts.completeopt
    vim.api.nvim_feedkeys(vim.keycode('A<C-x><C-o>'), 'n', false)
    local t0 = vim.uv.now()
    local function finish()
      local got = line_at(lnum)
      check(name, got == opts.want, 'after completion the line is ' .. vim.inspect(got) .. ', not ' .. vim.inspect(opts.want))
      check(name, vim.api.nvim_get_mode().mode == 'n', 'still in mode ' .. vim.api.nvim_get_mode().mode)
      emit({ step = name, ok = true, line = got })
      next_step()
    end
    local function poll()
      check(name, vim.uv.now() - t0 < WAIT_MS, 'no completion within ' .. WAIT_MS .. ' ms', { line = line_at(lnum), pum = vim.fn.pumvisible() })
      if opts.pick_label and vim.fn.pumvisible() == 1 then
        local items = vim.fn.complete_info({ 'items' }).items
        local idx
        for i, it in ipairs(items) do
          if it.abbr == opts.pick_label then
            idx = i
          end
        end
        check(name, idx ~= nil, opts.pick_label .. ' is not offered', items)
        vim.api.nvim_feedkeys(vim.keycode(string.rep('<C-n>', idx) .. '<C-y><Esc>'), 'n', false)
        vim.defer_fn(function()
          vim.wait(WAIT_MS, function() return line_at(lnum) == opts.want and vim.api.nvim_get_mode().mode == 'n' end, 20)
          finish()
        end, 50)
      elseif not opts.pick_label and line_at(lnum) ~= text then
        -- A single match: Neovim inserts it as soon as it arrives (completeopt without menuone).
        vim.api.nvim_feedkeys(vim.keycode('<Esc>'), 'n', false)
        vim.defer_fn(finish, 50)
      else
        vim.defer_fn(poll, 20)
      end
    end
    vim.defer_fn(poll, 20)
  end)
end

local last = vim.api.nvim_buf_line_count(buf)
vim.api.nvim_buf_set_lines(buf, last, last, false, { '', '' })
-- (a) The omnifunc (Neovim's default 'omnifunc' for LSP buffers) with Neovim's default
-- 'completeopt': "# Cro" has one match, inserted whole ("# Cross-Functional" before the fix).
complete_step('complete_omnifunc', last + 2, '# Cro', { completeopt = 'menu,popup', want = '# Cross-Functional Collaboration' })
-- (b) vim.lsp.completion (from here on: it re-applies snippets on <C-y>): right after "#",
-- pick a section from the menu; the space after "#" is part of the item.
complete_step('complete_builtin', last + 2, '#', {
  before = function() vim.lsp.completion.enable(true, attached.id, buf) end,
  completeopt = 'menuone,noselect,popup',
  pick_label = 'Technical Leadership across Components',
  want = '# Technical Leadership across Components',
})
-- (c) A new front-matter line (after `target:`): an entry whose text holds spaces and
-- braces is inserted whole, literally.
complete_step('complete_front_matter', 5, 'spo', {
  insert = true,
  completeopt = 'menuone,noselect,popup',
  pick_label = 'sponsor',
  want = 'sponsor: { name: , relation: direct-manager, role: director }',
})

-- 6. The code lens with the readiness summary, as a user refreshes it (Neovim 0.11 does not
-- refresh lenses by itself; the README shows the autocmd).
table.insert(steps, function(next_step)
  local t0 = vim.uv.now()
  vim.lsp.codelens.refresh({ bufnr = buf })
  local function poll()
    for _, lens in ipairs(vim.lsp.codelens.get(buf)) do
      local title = lens.command and lens.command.title or ''
      if title:find('^%d+/%d+ sections') then
        emit({ step = 'codelens', ok = true, title = title, line = lens.range.start.line })
        return next_step()
      end
    end
    check('codelens', vim.uv.now() - t0 < WAIT_MS, 'no readiness code lens within ' .. WAIT_MS .. ' ms', vim.lsp.codelens.get(buf))
    vim.defer_fn(poll, 20)
  end
  vim.defer_fn(poll, 20)
end)

-- 7. Stop and start again the 0.11 way (what :LspRestart does): vim.lsp.enable(name, false)
-- stops the client; vim.lsp.enable(name) attaches a new one to the open buffer.
table.insert(steps, function(next_step)
  local old = attached
  attached = nil
  vim.lsp.enable('packet_ls', false)
  check('restart', vim.wait(WAIT_MS, function() return old:is_stopped() end, 20), 'the client did not stop')
  check(
    'restart',
    vim.wait(WAIT_MS, function() return #vim.lsp.get_clients({ name = 'packet_ls' }) == 0 end, 20),
    'a packet_ls client is still listed'
  )
  vim.lsp.enable('packet_ls')
  check('restart', vim.wait(WAIT_MS, function() return attached ~= nil and attached.id ~= old.id end, 20), 'no new client attached after enable')
  local events = diag_events
  check('restart', vim.wait(WAIT_MS, function() return diag_events > events and #packet_diags() > 0 end, 20), 'no diagnostics from the new client')
  emit({ step = 'restart', ok = true, old = old.id, new = attached.id })
  next_step()
end)

local function run_steps(i)
  if i > #steps then
    -- 8. Quit: Neovim sends shutdown + exit; run.sh bounds the whole run with `timeout`.
    io.stdout:flush()
    vim.cmd('qa!')
    return
  end
  steps[i](function() run_steps(i + 1) end)
end
run_steps(1)
