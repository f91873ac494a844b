// Field shapes of the Query services (IAM 2010-05-08, STS 2011-06-15) with the models'
// constraints. Query values arrive as strings, so numbers and booleans are converted here; an empty
// list arrives as an empty string (`Tags=`).

import { list, str, struct, REQUIRED, type Field } from '../validate.ts';

export function queryInt<R extends boolean = false>(rules: { min?: number; max?: number } = {}, required?: R): Field<number> & { required: R } {
  return {
    required: (required ?? false) as R,
    read(value, path, problems) {
      const text = typeof value === 'string' ? value.trim() : '';
      if (!/^-?\d{1,15}$/.test(text)) {
        problems.push(`Value '${typeof value === 'string' ? value : ''}' at '${path}' failed to satisfy constraint: Member must be an integer`);
        return 0;
      }
      const n = Number(text);
      if (rules.min !== undefined && n < rules.min) {
        problems.push(`Value '${n}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${rules.min}`);
      } else if (rules.max !== undefined && n > rules.max) {
        problems.push(`Value '${n}' at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${rules.max}`);
      }
      return n;
    },
  };
}

export function queryList<T, R extends boolean = false>(item: Field<T>, rules: { min?: number; max?: number } = {}, required?: R): Field<T[]> & { required: R } {
  const inner = list(item, rules, required);
  return {
    required: inner.required,
    read(value, path, problems) {
      return inner.read(value === '' ? [] : value, path, problems);
    },
  };
}

/** User, role and policy names. */
export const IAM_NAME = /^[\w+=,.@-]+$/;
export const userNameField = <R extends boolean = false>(required?: R, max = 128) => str({ min: 1, max, pattern: IAM_NAME }, required);
export const roleNameField = () => str({ min: 1, max: 64, pattern: IAM_NAME }, REQUIRED);
export const policyNameField = () => str({ min: 1, max: 128, pattern: IAM_NAME }, REQUIRED);
export const pathField = () => str({ min: 1, max: 512, pattern: /^(\u002F|\u002F[\u0021-\u007E]+\u002F)$/ });
export const pathPrefixField = () => str({ min: 1, max: 512, pattern: /^\u002F[\u0021-\u007F]*$/ });
export const markerField = () => str({ min: 1, max: 320, pattern: /^[\u0020-\u00FF]+$/ });
export const maxItemsField = () => queryInt({ min: 1, max: 1000 });
export const policyDocumentField = () => str({ min: 1, max: 131072, pattern: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/ }, REQUIRED);
export const accessKeyIdField = () => str({ min: 16, max: 128, pattern: /^\w+$/ }, REQUIRED);
export const permissionsBoundaryField = () => str({ min: 20, max: 2048 });
export const tagsField = () =>
  queryList(
    struct({
      Key: str({ min: 1, max: 128, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u }, REQUIRED),
      Value: str({ min: 0, max: 256, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u }, REQUIRED),
    }),
    { max: 50 },
  );
