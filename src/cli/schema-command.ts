// `kontext schema put|get|list|delete`: manage context schemas (Kontext.*ContextSchema).
// `put` takes the schema as a JSON document in the API's shape (SchemaName, Mode, AppliesTo,
// Fields, ...), from a file or `-` for standard input.

import type { Command } from 'commander';
import { positiveInteger, readJsonDocument } from './document-input.ts';
import { addConnectionOptions, connectionOptions, outputFormat, type GlobalOptionValues } from './connection-options.ts';
import type { Env } from './kms/kms-client.ts';
import { toCliValue } from './output/cli-values.ts';
import { compileQuery, formatOutput } from './output/format-output.ts';
import { callKontext } from './schema-client.ts';

export interface SchemaCommandIo {
  readonly env: Env;
  readonly userAgent: string;
  write(text: string): void;
}

const EXAMPLE = `{
  "SchemaName": "payments",
  "Mode": "enforce",
  "AppliesTo": { "AliasPatterns": ["alias/payments-*"], "Tags": [{ "TagKey": "team", "TagValue": "payments" }] },
  "Fields": [
    { "Name": "customer_id", "Required": true, "Pattern": "^cust_[0-9]+$" },
    { "Name": "department", "Enum": ["finance", "hr"] }
  ],
  "AllowOtherKeys": false
}`;

export function registerSchemaCommands(program: Command, io: SchemaCommandIo): void {
  const schema = program
    .createCommand('schema')
    .copyInheritedSettings(program)
    .summary('manage context schemas (put, get, list, delete)')
    .description('Context schemas: which encryption-context keys a key requires or allows, and how strictly (enforce, warn, off)');

  const run = async (opts: GlobalOptionValues, operation: string, input: object) => {
    const format = outputFormat(opts, io.env);
    const query = compileQuery(opts.query);
    const out = await callKontext(operation, input, connectionOptions(opts), io.env, io.userAgent);
    io.write(formatOutput(toCliValue(out) ?? {}, format, query));
  };

  const sub = (name: string, summary: string) => {
    const cmd = schema.createCommand(name).copyInheritedSettings(program).summary(summary).description(summary);
    schema.addCommand(cmd);
    return cmd;
  };

  addConnectionOptions(
    sub('put', 'create a schema or store its next version from a JSON document')
      .argument('<file>', "the schema document (JSON), or '-' for standard input")
      .addHelpText('after', `\nExample document:\n${EXAMPLE}\n`),
  ).action(async (file: string, opts: GlobalOptionValues) => run(opts, 'PutContextSchema', readJsonDocument(file, 'the schema document')));

  addConnectionOptions(
    sub('get', 'show the current version of a schema, or an earlier one').argument('<name>', 'schema name').option('--version <n>', 'a version number (default: the current one)'),
  ).action(async (name: string, opts: GlobalOptionValues & { version?: string }) =>
    run(opts, 'GetContextSchema', { SchemaName: name, ...(opts.version !== undefined ? { Version: positiveInteger(opts.version, '--version') } : {}) }),
  );

  addConnectionOptions(sub('list', "list the account's schemas in this region, or one schema's history").option('--name <name>', "list every version of this schema instead")).action(
    async (opts: GlobalOptionValues & { name?: string }) => run(opts, 'ListContextSchemas', opts.name !== undefined ? { SchemaName: opts.name } : {}),
  );

  addConnectionOptions(sub('delete', 'stop a schema applying (its history stays readable)').argument('<name>', 'schema name')).action(async (name: string, opts: GlobalOptionValues) =>
    run(opts, 'DeleteContextSchema', { SchemaName: name }),
  );

  program.addCommand(schema);
}
