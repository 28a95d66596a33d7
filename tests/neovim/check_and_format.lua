-- Headless Neovim as a user's editor: open a declaration, start `tospolicy
-- lsp` with the built-in client, wait for diagnostics, format the buffer,
-- and write what happened to the JSON file named by $TOSPOLICY_NVIM_OUT.
-- vim.lsp.start is Neovim 0.8's; 0.7 (Debian 12) starts and attaches by hand.
local out = os.getenv("TOSPOLICY_NVIM_OUT")
local buffer = vim.api.nvim_get_current_buf()
vim.bo[buffer].filetype = "tospolicy"
local config = {
  name = "tospolicy",
  cmd = { "tospolicy", "lsp" },
  root_dir = vim.fn.getcwd(),
}
local client_id
if vim.lsp.start then
  client_id = vim.lsp.start(config)
else
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buffer, client_id)
end

local result = { client = client_id ~= nil }
result.got_diagnostics = vim.wait(60000, function()
  return #vim.diagnostic.get(buffer) > 0
end, 100)
result.diagnostics = {}
for _, diagnostic in ipairs(vim.diagnostic.get(buffer)) do
  table.insert(result.diagnostics, {
    line = diagnostic.lnum, column = diagnostic.col, message = diagnostic.message,
    code = diagnostic.code or (diagnostic.user_data and diagnostic.user_data.lsp
                              and diagnostic.user_data.lsp.code),
  })
end

if vim.lsp.buf.format then
  vim.lsp.buf.format({ async = false, timeout_ms = 60000 })
else
  vim.lsp.buf.formatting_sync(nil, 60000)
end
result.formatted = table.concat(vim.api.nvim_buf_get_lines(buffer, 0, -1, false), "\n") .. "\n"

local file = io.open(out, "w")
file:write(vim.fn.json_encode(result))
file:close()
vim.lsp.stop_client(client_id)
vim.cmd("qa!")
