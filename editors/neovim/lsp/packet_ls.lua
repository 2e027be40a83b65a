-- packet-ls for Neovim 0.11+: put this file on your 'runtimepath' as lsp/packet_ls.lua
-- (for instance ~/.config/nvim/lsp/packet_ls.lua) and call vim.lsp.enable('packet_ls').
-- Override any field with vim.lsp.config('packet_ls', { ... }).

---@type vim.lsp.Config
return {
  cmd = { 'packet-ls', 'server' },
  filetypes = { 'markdown' },
  -- packet.toml holds the project's rubric and rule settings; without one, the repository.
  root_markers = { 'packet.toml', '.git' },
  -- Sent in initializationOptions and, by Neovim after `initialize`, in
  -- workspace/didChangeConfiguration as {"settings": {"packet-ls": {...}}}.
  settings = {
    ['packet-ls'] = {
      debounceMs = 100, -- 0: check every change at once
      -- maxFileBytes = 5 * 1024 * 1024,
      -- rubric = 'senior-em',
      rules = vim.empty_dict(), -- e.g. { ['section-order'] = 'off', placeholder = 'error' }
    },
  },
  -- The settings also go in initializationOptions, merged with any `init_options` you set
  -- (yours win where both name the same key).
  before_init = function(params, config)
    params.initializationOptions =
      vim.tbl_deep_extend('force', { settings = config.settings }, params.initializationOptions or {})
  end,
}
