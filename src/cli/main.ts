#!/usr/bin/env node
// The `kontext` command line: a thin registry of subcommands, one line each, so every part of
// Kontext adds its own commands here without touching the others'.

import type { Command } from 'commander';
import { createRootProgram, runCli } from './run-cli.ts';
import { registerServerCommand } from './server-command.ts';
import { registerKmsCommands } from './kms/register-kms-commands.ts';
import { registerSchemaCommands } from './schema-command.ts';
import { registerPolicyLintCommand } from './schema-policy-lint.ts';
import { registerPolicyToolsCommands } from './policy-tools-command.ts';
import { registerAuditCommands } from './audit-command.ts';
import { registerAlertsCommands } from './alerts-command.ts';
import { registerIamCommands } from './iam-command.ts';
import { registerAdminCommands } from './admin-command.ts';
import { registerCompletionCommand } from './completion-command.ts';

const io = { env: process.env, userAgent: 'kontext-cli/0.1.0', write: (text: string) => void process.stdout.write(text) };

export function buildProgram(): Command {
  const program = createRootProgram();
  registerServerCommand(program);
  registerKmsCommands(program, io);
  registerSchemaCommands(program, io);
  registerPolicyLintCommand(program, io);
  registerPolicyToolsCommands(program, io);
  registerAuditCommands(program, io);
  registerAlertsCommands(program, io);
  registerIamCommands(program, io);
  registerAdminCommands(program, { ...io, warn: (text: string) => void process.stderr.write(text) });
  registerCompletionCommand(program, io.write); // last: its script lists every command registered before it
  return program;
}

await runCli(buildProgram(), process.argv);
