// The IAM operations (Query protocol), for the one registry.

import type { OperationSpec } from '../operation.ts';
import { createUser, deleteUser, getUser, listUsers } from './user-operations.ts';
import { createRole, deleteRole, getRole, listRoles } from './role-operations.ts';
import { createAccessKey, deleteAccessKey, listAccessKeys, updateAccessKey } from './access-key-operations.ts';
import {
  deleteRolePolicy, deleteUserPolicy, getRolePolicy, getUserPolicy, listRolePolicies, listUserPolicies, putRolePolicy, putUserPolicy,
} from './inline-policy-operations.ts';

type AnySpec = OperationSpec<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const IAM_OPERATIONS: readonly AnySpec[] = [
  createUser, getUser, listUsers, deleteUser,
  createRole, getRole, listRoles, deleteRole,
  createAccessKey, listAccessKeys, updateAccessKey, deleteAccessKey,
  putUserPolicy, getUserPolicy, deleteUserPolicy, listUserPolicies,
  putRolePolicy, getRolePolicy, deleteRolePolicy, listRolePolicies,
];
