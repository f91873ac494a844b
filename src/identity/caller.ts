// Who is calling: the authenticated principal as the authorizer and the audit trail see it.

export type CallerType = 'Root' | 'IAMUser' | 'AssumedRole';

export interface SessionIssuer {
  readonly type: 'Role';
  readonly principalId: string;
  readonly arn: string;
  readonly accountId: string;
  readonly userName: string;
}

export interface Caller {
  readonly type: CallerType;
  readonly accountId: string;
  /** `arn:aws:iam::<acct>:root`, `...:user/<path><name>`, `arn:aws:sts::<acct>:assumed-role/<role>/<session>` */
  readonly arn: string;
  /** AWS's userid: the account id for root, AIDA... for users, `AROA...:<session>` for sessions. */
  readonly principalId: string;
  readonly accessKeyId: string | undefined;
  /** IAM user name, or the role name for assumed-role sessions. */
  readonly userName: string | undefined;
  readonly sessionIssuer: SessionIssuer | undefined;
  /** Epoch ms the session credentials were issued (assumed roles). */
  readonly sessionCreatedAt: number | undefined;
}

export const rootArn = (accountId: string): string => `arn:aws:iam::${accountId}:root`;

export function rootCaller(accountId: string, accessKeyId: string | undefined): Caller {
  return {
    type: 'Root',
    accountId,
    arn: rootArn(accountId),
    principalId: accountId,
    accessKeyId,
    userName: undefined,
    sessionIssuer: undefined,
    sessionCreatedAt: undefined,
  };
}
