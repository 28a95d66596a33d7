// The tospolicy extension: starts `tospolicy lsp` and lets the language
// server do the rest (diagnostics, completion, hover, formatting, quick
// fixes). Plain JavaScript, no build step. The command comes from the
// `tospolicy.path` setting: a list, the program and its arguments.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverCommand() {
  const configured = vscode.workspace.getConfiguration("tospolicy").get("path");
  const command = Array.isArray(configured) && configured.length ? configured : ["tospolicy", "lsp"];
  return { command: command[0], args: command.slice(1), transport: TransportKind.stdio };
}

async function start(context) {
  const server = serverCommand();
  client = new LanguageClient("tospolicy", "tospolicy", { run: server, debug: server }, {
    documentSelector: [
      { scheme: "file", language: "tospolicy" },
      { scheme: "untitled", language: "tospolicy" },
      // Rule packs and .tospolicy.yml: the server validates those it recognises.
      { scheme: "file", language: "yaml" },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{yml,yaml}"),
    },
  });
  await client.start();
}

async function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand("tospolicy.restart", async () => {
    if (client) {
      await client.stop();
    }
    await start(context);
  }));
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (event.affectsConfiguration("tospolicy.path")) {
      await vscode.commands.executeCommand("tospolicy.restart");
    }
  }));
  await start(context);
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
