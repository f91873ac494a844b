// The Kontext.*ContextSchema operations and Kontext.LintPolicy, for the registry.

import type { OperationSpec } from '../operation.ts';
import { putContextSchema } from './schema-put.ts';
import { getContextSchema } from './schema-get.ts';
import { listContextSchemas } from './schema-list.ts';
import { deleteContextSchema } from './schema-delete.ts';
import { lintPolicy } from './lint-policy.ts';

export const SCHEMA_OPERATIONS: ReadonlyArray<OperationSpec<any, any>> = [putContextSchema, getContextSchema, listContextSchemas, deleteContextSchema, lintPolicy]; // eslint-disable-line @typescript-eslint/no-explicit-any
