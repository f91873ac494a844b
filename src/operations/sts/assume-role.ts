// AssumeRole: temporary credentials for a role whose trust policy lets the caller assume it. A
// refused request gets one AccessDenied whether the role is missing or its trust policy says no;
// the reason goes to the audit record only.

import { KontextError } from '../../errors.ts';
import { defineOperation, type OperationContext } from '../operation.ts';
import { str, struct, REQUIRED } from '../validate.ts';
import { assumedRoleArn, type RoleRecord } from '../../identity/identity-records.ts';
import { queryInt, queryList, tagsField } from '../iam/fields.ts';
import { isoSeconds } from '../iam/iam-wire.ts';
import { iamPolicySize } from '../../policy/policy-limits.ts';

/** Role chaining (a session assuming a role) is limited to one hour, as in AWS. */
export const ROLE_CHAINING_MAX_SECONDS = 3600;
export const DEFAULT_SESSION_SECONDS = 3600;
/** The packed session-policy budget: PackedPolicySize reports the share used, in percent. */
const SESSION_POLICY_BUDGET = 2048;

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/(?:[\u0021-\u007E]+\/)?)([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;

function denied(ctx: OperationContext, roleArn: string, reason: string): KontextError {
  return new KontextError('AccessDenied', `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, reason);
}

/** IAM's measure (whitespace outside strings is free), as a share of the session-policy budget. */
const packedSize = (policy: string): number => Math.ceil((iamPolicySize(policy) * 100) / SESSION_POLICY_BUDGET);

async function findRole(ctx: OperationContext, roleArn: string): Promise<RoleRecord> {
  const m = ROLE_ARN.exec(roleArn);
  if (!m) throw new KontextError('ValidationError', `${roleArn} is not a valid role ARN`);
  const [, accountId, path, roleName] = m as unknown as [string, string, string | undefined, string];
  try {
    const role = await ctx.services.identity.getRole(accountId, roleName);
    if (role.path !== (path ?? '/')) throw denied(ctx, roleArn, `role ${role.arn} has another path`);
    return role;
  } catch (err) {
    if (err instanceof KontextError && err.code === 'NoSuchEntity') throw denied(ctx, roleArn, 'no such role');
    throw err;
  }
}

export const assumeRole = defineOperation({
  service: 'sts',
  name: 'AssumeRole',
  action: 'sts:AssumeRole',
  readOnly: true,
  input: {
    RoleArn: str({ min: 20, max: 2048 }, REQUIRED),
    RoleSessionName: str({ min: 2, max: 64, pattern: SESSION_NAME }, REQUIRED),
    PolicyArns: queryList(struct({ arn: str({ min: 20, max: 2048 }) })),
    Policy: str({ min: 1, pattern: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/ }),
    DurationSeconds: queryInt({ min: 900, max: 43200 }),
    Tags: tagsField(),
    TransitiveTagKeys: queryList(str({ min: 1, max: 128 }), { max: 50 }),
    ExternalId: str({ min: 2, max: 1224, pattern: /^[\w+=,.@:/-]*$/ }),
    SerialNumber: str({ min: 9, max: 256 }),
    TokenCode: str({ min: 6, max: 6, pattern: /^\d*$/ }),
    SourceIdentity: str({ min: 2, max: 64, pattern: SESSION_NAME }),
    ProvidedContexts: queryList(struct({ ProviderArn: str(), ContextAssertion: str() }), { max: 5 }),
  },
  async handle(input, ctx) {
    const { caller, services } = ctx;
    if (caller.type === 'Root') throw new KontextError('AccessDenied', 'Roles may not be assumed by root accounts', 'the account root cannot assume roles');
    const role = await findRole(ctx, input.RoleArn);
    ctx.audit.resources.push({ ARN: role.arn, accountId: role.accountId, type: 'AWS::IAM::Role' });

    const duration = input.DurationSeconds ?? DEFAULT_SESSION_SECONDS;
    if (caller.type === 'AssumedRole' && duration > ROLE_CHAINING_MAX_SECONDS) {
      throw new KontextError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining');
    }
    if (duration > role.maxSessionDuration) {
      throw new KontextError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role');
    }

    const decision = services.identity.rules.evaluateTrust(role.assumeRolePolicyDocument, {
      caller,
      action: 'sts:AssumeRole',
      roleArn: role.arn,
      sessionName: input.RoleSessionName,
      externalId: input.ExternalId,
      sourceIdentity: input.SourceIdentity,
      sourceIp: ctx.meta.sourceIp,
      now: services.now(),
    });
    if (decision === 'deny') throw denied(ctx, input.RoleArn, 'explicit deny in the role trust policy');
    if (decision === 'implicit-deny') throw denied(ctx, input.RoleArn, 'the role trust policy does not allow the caller');
    if (decision === 'allow-via-account' || role.accountId !== caller.accountId) {
      // The trust policy trusts the caller's account: the caller's own policies must allow too.
      try {
        await services.authorizer.authorize({
          caller,
          action: 'sts:AssumeRole',
          region: ctx.region,
          key: undefined,
          resourceArn: role.arn,
          sourceIp: ctx.meta.sourceIp,
          secureTransport: ctx.meta.secureTransport,
          now: services.now(),
        });
      } catch (err) {
        if (err instanceof KontextError && err.code === 'AccessDeniedException') throw denied(ctx, input.RoleArn, err.reason ?? err.message);
        throw err;
      }
    }

    let packedPolicySize: number | undefined;
    if (input.Policy !== undefined) {
      services.identity.rules.validateIdentityPolicy(input.Policy, 'role');
      packedPolicySize = packedSize(input.Policy);
      if (packedPolicySize > 100) {
        throw new KontextError('PackedPolicyTooLarge', `Packed policy consumes ${packedPolicySize}% of allotted space, please use smaller policy`);
      }
    }

    const session = await services.identity.createSession(
      { role, sessionName: input.RoleSessionName, durationSeconds: duration, sessionPolicy: input.Policy, sourceIdentity: input.SourceIdentity },
      services.now(),
    );
    return {
      Credentials: {
        AccessKeyId: session.record.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        SessionToken: session.sessionToken,
        Expiration: isoSeconds(session.record.expiresAt),
      },
      AssumedRoleUser: {
        AssumedRoleId: `${role.roleId}:${input.RoleSessionName}`,
        Arn: assumedRoleArn(role.accountId, role.roleName, input.RoleSessionName),
      },
      PackedPolicySize: packedPolicySize,
      SourceIdentity: input.SourceIdentity,
    };
  },
  requestParameters: (i) => ({
    roleArn: i.RoleArn,
    roleSessionName: i.RoleSessionName,
    ...(i.DurationSeconds !== undefined ? { durationSeconds: i.DurationSeconds } : {}),
    ...(i.ExternalId !== undefined ? { externalId: i.ExternalId } : {}),
    ...(i.SourceIdentity !== undefined ? { sourceIdentity: i.SourceIdentity } : {}),
    ...(i.Policy !== undefined ? { policy: i.Policy } : {}),
  }),
  // CloudTrail shows the new session's key id and expiry; the secret and the token stay out.
  responseElements: (o) => ({
    credentials: { accessKeyId: o.Credentials.AccessKeyId, expiration: o.Credentials.Expiration },
    assumedRoleUser: { assumedRoleId: o.AssumedRoleUser.AssumedRoleId, arn: o.AssumedRoleUser.Arn },
  }),
});
