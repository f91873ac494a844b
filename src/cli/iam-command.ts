// `kontext iam create-user|create-role|create-access-key|put-user-policy|put-role-policy`: the IAM
// calls a new Kontext user needs to give an application its own identity, over @aws-sdk/client-iam,
// connected like the KMS verbs (same endpoint, region, profile and timeouts) and printing the AWS
// JSON. `create-role --trust-account ID` writes the trust policy (sts:AssumeRole for that account).

import { Command, Option } from 'commander';
import type { IAMClient } from '@aws-sdk/client-iam';
import { usageError } from './cli-error.ts';
import { asText, loadParamValue } from './args/param-file.ts';
import { addConnectionOptions, connectionOptions, outputFormat, type GlobalOptionValues } from './connection-options.ts';
import { describeCallFailure } from './kms/call-errors.ts';
import { resolveEndpoint, resolveRegion } from './kms/kms-client.ts';
import { toCliValue } from './output/cli-values.ts';
import { compileQuery, formatOutput } from './output/format-output.ts';
import type { SchemaCommandIo } from './schema-command.ts';

// Loaded on first use, so `kontext --help` does not pay for the SDK.
const loadIam = () => import('@aws-sdk/client-iam');
type IamSdk = Awaited<ReturnType<typeof loadIam>>;

interface IamOptions extends GlobalOptionValues {
  userName?: string;
  roleName?: string;
  path?: string;
  description?: string;
  trustAccount?: string[];
  assumeRolePolicyDocument?: string;
  policyName?: string;
  policyDocument?: string;
}

async function connectIam(opts: IamOptions, io: SchemaCommandIo): Promise<{ client: IAMClient; endpoint: string }> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const o = connectionOptions(opts);
  const endpoint = resolveEndpoint(o, io.env);
  const region = await resolveRegion(o, io.env);
  const ms = (s: number | undefined) => (s === undefined ? undefined : s * 1000);
  const requestTimeout = ms(o.readTimeout);
  const connectionTimeout = ms(o.connectTimeout);
  const { IAMClient } = await loadIam();
  const client = new IAMClient({
    endpoint,
    region,
    ...(o.profile ? { profile: o.profile } : {}),
    customUserAgent: io.userAgent,
    ...(requestTimeout || connectionTimeout ? { requestHandler: { ...(requestTimeout ? { requestTimeout } : {}), ...(connectionTimeout ? { connectionTimeout } : {}) } } : {}),
  });
  return { client, endpoint };
}

/** A policy document flag: JSON text or file://policy.json. */
function documentText(raw: string, flag: string): string {
  const text = asText(loadParamValue(raw, flag)).trim();
  try {
    JSON.parse(text);
  } catch (err) {
    throw usageError(`expected a JSON policy document: ${(err as Error).message}`, flag);
  }
  return text;
}

/** The trust policy `--trust-account` builds: these accounts may assume the role. */
export function trustPolicyFor(accounts: readonly string[]): string {
  for (const a of accounts) if (!/^\d{12}$/.test(a)) throw usageError(`expected a 12-digit account id: '${a}'`, '--trust-account');
  const principal = accounts.map((a) => `arn:aws:iam::${a}:root`);
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: principal.length === 1 ? principal[0] : principal }, Action: 'sts:AssumeRole' }],
  });
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export function registerIamCommands(program: Command, io: SchemaCommandIo): void {
  const iam = program
    .createCommand('iam')
    .copyInheritedSettings(program)
    .summary('IAM helpers: users, roles, access keys and their inline policies')
    .description('IAM helpers over the IAM API of the same endpoint (prints the AWS JSON)');
  program.addCommand(iam);

  const verb = (
    name: string,
    summary: string,
    configure: (c: Command) => Command,
    build: (sdk: IamSdk, opts: IamOptions) => { operation: string; send: (client: IAMClient) => Promise<object> },
    example: string,
  ): void => {
    const cmd = configure(iam.createCommand(name).copyInheritedSettings(program).summary(summary).description(summary)).addHelpText('after', `\nExample:\n  $ ${example}\n`);
    addConnectionOptions(cmd).action(async (opts: IamOptions) => {
      const format = outputFormat(opts, io.env);
      const query = compileQuery(opts.query);
      const sdk = await loadIam();
      const { operation, send } = build(sdk, opts);
      const { client, endpoint } = await connectIam(opts, io);
      try {
        const out = await send(client);
        io.write(formatOutput(toCliValue(out) ?? {}, format, query));
      } catch (err) {
        throw describeCallFailure(err, operation, endpoint);
      } finally {
        client.destroy();
      }
    });
    iam.addCommand(cmd);
  };

  verb(
    'create-user',
    'create an IAM user',
    (c) => c.requiredOption('--user-name <name>', 'the user name').option('--path <path>', 'the path, e.g. /apps/'),
    (sdk, o) => ({ operation: 'CreateUser', send: (c) => c.send(new sdk.CreateUserCommand({ UserName: o.userName!, ...(o.path ? { Path: o.path } : {}) })) }),
    'kontext iam create-user --user-name alice',
  );

  verb(
    'create-role',
    'create an IAM role; --trust-account builds the trust policy (sts:AssumeRole for that account)',
    (c) =>
      c
        .requiredOption('--role-name <name>', 'the role name')
        .option('--trust-account <id>', 'an account whose principals may assume the role (repeatable)', collect)
        .option('--assume-role-policy-document <json>', 'the trust policy itself (JSON or file://trust.json), instead of --trust-account')
        .option('--description <text>', 'a description')
        .option('--path <path>', 'the path, e.g. /apps/'),
    (sdk, o) => {
      if ((o.trustAccount === undefined) === (o.assumeRolePolicyDocument === undefined)) throw usageError('give --trust-account ID or --assume-role-policy-document (one of them)');
      const trust = o.trustAccount ? trustPolicyFor(o.trustAccount) : documentText(o.assumeRolePolicyDocument!, '--assume-role-policy-document');
      return {
        operation: 'CreateRole',
        send: (c) => c.send(new sdk.CreateRoleCommand({
          RoleName: o.roleName!,
          AssumeRolePolicyDocument: trust,
          ...(o.description ? { Description: o.description } : {}),
          ...(o.path ? { Path: o.path } : {}),
        })),
      };
    },
    'kontext iam create-role --role-name app --trust-account 123456789012',
  );

  verb(
    'create-access-key',
    'create an access key (for --user-name, else for the caller)',
    (c) => c.option('--user-name <name>', 'the user (default: the caller)'),
    (sdk, o) => ({ operation: 'CreateAccessKey', send: (c) => c.send(new sdk.CreateAccessKeyCommand(o.userName ? { UserName: o.userName } : {})) }),
    'kontext iam create-access-key --user-name alice',
  );

  const policyFlags = (c: Command, who: 'user' | 'role') =>
    c
      .requiredOption(`--${who}-name <name>`, `the ${who}`)
      .requiredOption('--policy-name <name>', 'the inline policy name')
      .addOption(new Option('--policy-document <json>', 'the policy (JSON or file://policy.json)').makeOptionMandatory());

  verb(
    'put-user-policy',
    "add or replace an inline policy of a user",
    (c) => policyFlags(c, 'user'),
    (sdk, o) => {
      const input = { UserName: o.userName!, PolicyName: o.policyName!, PolicyDocument: documentText(o.policyDocument!, '--policy-document') };
      return { operation: 'PutUserPolicy', send: (c) => c.send(new sdk.PutUserPolicyCommand(input)) };
    },
    'kontext iam put-user-policy --user-name alice --policy-name kms --policy-document file://policy.json',
  );

  verb(
    'put-role-policy',
    'add or replace an inline policy of a role',
    (c) => policyFlags(c, 'role'),
    (sdk, o) => {
      const input = { RoleName: o.roleName!, PolicyName: o.policyName!, PolicyDocument: documentText(o.policyDocument!, '--policy-document') };
      return { operation: 'PutRolePolicy', send: (c) => c.send(new sdk.PutRolePolicyCommand(input)) };
    },
    'kontext iam put-role-policy --role-name app --policy-name kms --policy-document file://policy.json',
  );
}
