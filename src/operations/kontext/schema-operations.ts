// The Kontext.*ContextSchema operations, for the registry.

import type { OperationSpec } from '../operation.ts';
import { putContextSchema } from './schema-put.ts';
import { getContextSchema } from './schema-get.ts';
import { listContextSchemas } from './schema-list.ts';
import { deleteContextSchema } from './schema-delete.ts';

export const SCHEMA_OPERATIONS: ReadonlyArray<OperationSpec<any, any>> = [putContextSchema, getContextSchema, listContextSchemas, deleteContextSchema]; // eslint-disable-line @typescript-eslint/no-explicit-any
