// The wire shapes of the Kontext.*ContextSchema operations (awsJson1.1, PascalCase members) and
// their conversion to and from the schema document.

import { bool, int, list, str, struct, REQUIRED } from '../validate.ts';
import { KEY_CONVENTIONS, SCHEMA_MODES, type ContextSchemaDocument, type ContextSchemaVersion, type KeyConvention, type SchemaMode } from '../../schema/schema-document.ts';
import { SCHEMA_LIMITS } from '../../schema/compile-schema.ts';

export const schemaNameField = () => str({ min: 1, max: 128, pattern: /^[A-Za-z0-9_.-]+$/ }, REQUIRED);
const modeField = () => str({ enum: SCHEMA_MODES });

export const schemaDocumentShape = {
  SchemaName: schemaNameField(),
  Description: str({ min: 0, max: 1024 }),
  Mode: str({ enum: SCHEMA_MODES }, REQUIRED),
  AppliesTo: struct(
    {
      KeyIds: list(str({ min: 1, max: 2048 }), { max: SCHEMA_LIMITS.keyIds }),
      AliasPatterns: list(str({ min: 1, max: 256 }), { max: SCHEMA_LIMITS.aliasPatterns }),
      Tags: list(struct({ TagKey: str({ min: 1, max: 128 }, REQUIRED), TagValue: str({ min: 0, max: 256 }) }), { max: SCHEMA_LIMITS.tags }),
    },
    REQUIRED,
  ),
  Fields: list(
    struct({
      Name: str({ min: 1, max: 128 }, REQUIRED),
      Required: bool(),
      Description: str({ min: 0, max: 1024 }),
      Pattern: str({ min: 1, max: 512 }),
      Enum: list(str({ min: 0, max: SCHEMA_LIMITS.enumValueLength }), { min: 1, max: SCHEMA_LIMITS.enumValues }),
      MaxLength: int({ min: 1, max: SCHEMA_LIMITS.maxLength }),
    }),
    { max: SCHEMA_LIMITS.fields },
  ),
  AllowOtherKeys: bool(),
  SecretDetection: modeField(),
  KeyNaming: struct({
    Convention: str({ enum: KEY_CONVENTIONS }),
    CanonicalNames: list(struct({ Name: str({ min: 1, max: 128 }, REQUIRED), Aliases: list(str({ min: 1, max: 128 }), { max: SCHEMA_LIMITS.aliasesPerName }) }), {
      max: SCHEMA_LIMITS.canonicalNames,
    }),
  }),
};

export interface SchemaDocumentInput {
  SchemaName: string;
  Description?: string;
  Mode: string;
  AppliesTo: { KeyIds?: string[]; AliasPatterns?: string[]; Tags?: Array<{ TagKey: string; TagValue?: string }> };
  Fields?: Array<{ Name: string; Required?: boolean; Description?: string; Pattern?: string; Enum?: string[]; MaxLength?: number }>;
  AllowOtherKeys?: boolean;
  SecretDetection?: string;
  KeyNaming?: { Convention?: string; CanonicalNames?: Array<{ Name: string; Aliases?: string[] }> };
}

export function documentFromWire(i: SchemaDocumentInput): ContextSchemaDocument {
  return {
    name: i.SchemaName,
    description: i.Description ?? '',
    mode: i.Mode as SchemaMode,
    appliesTo: {
      keyIds: i.AppliesTo.KeyIds ?? [],
      aliasPatterns: i.AppliesTo.AliasPatterns ?? [],
      tags: (i.AppliesTo.Tags ?? []).map((t) => ({ tagKey: t.TagKey, ...(t.TagValue !== undefined ? { tagValue: t.TagValue } : {}) })),
    },
    fields: (i.Fields ?? []).map((f) => ({
      name: f.Name,
      required: f.Required ?? false,
      ...(f.Description !== undefined ? { description: f.Description } : {}),
      ...(f.Pattern !== undefined ? { pattern: f.Pattern } : {}),
      ...(f.Enum !== undefined ? { enum: f.Enum } : {}),
      ...(f.MaxLength !== undefined ? { maxLength: f.MaxLength } : {}),
    })),
    allowOtherKeys: i.AllowOtherKeys ?? true,
    ...(i.SecretDetection !== undefined ? { secretDetection: i.SecretDetection as SchemaMode } : {}),
    ...(i.KeyNaming !== undefined
      ? {
          keyNaming: {
            convention: (i.KeyNaming.Convention ?? 'snake_case') as KeyConvention,
            canonicalNames: (i.KeyNaming.CanonicalNames ?? []).map((c) => ({ name: c.Name, aliases: c.Aliases ?? [] })),
          },
        }
      : {}),
  };
}

const epochSeconds = (ms: number): number => ms / 1000;

export function documentToWire(d: ContextSchemaDocument): Record<string, unknown> {
  return {
    SchemaName: d.name,
    Description: d.description,
    Mode: d.mode,
    AppliesTo: {
      KeyIds: d.appliesTo.keyIds,
      AliasPatterns: d.appliesTo.aliasPatterns,
      Tags: d.appliesTo.tags.map((t) => ({ TagKey: t.tagKey, ...(t.tagValue !== undefined ? { TagValue: t.tagValue } : {}) })),
    },
    Fields: d.fields.map((f) => ({
      Name: f.name,
      Required: f.required,
      ...(f.description !== undefined ? { Description: f.description } : {}),
      ...(f.pattern !== undefined ? { Pattern: f.pattern } : {}),
      ...(f.enum !== undefined ? { Enum: f.enum } : {}),
      ...(f.maxLength !== undefined ? { MaxLength: f.maxLength } : {}),
    })),
    AllowOtherKeys: d.allowOtherKeys,
    ...(d.secretDetection !== undefined ? { SecretDetection: d.secretDetection } : {}),
    ...(d.keyNaming !== undefined
      ? { KeyNaming: { Convention: d.keyNaming.convention, CanonicalNames: d.keyNaming.canonicalNames.map((c) => ({ Name: c.name, Aliases: c.aliases })) } }
      : {}),
  };
}

/** A version as the API returns it: the document, its version number and date, and whether it is a deletion. */
export function versionToWire(v: ContextSchemaVersion): Record<string, unknown> {
  return { ...documentToWire(v.document), Version: v.version, CreationDate: epochSeconds(v.createdAt), ...(v.deleted ? { Deleted: true } : {}) };
}

export function summaryToWire(v: ContextSchemaVersion): Record<string, unknown> {
  return {
    SchemaName: v.name,
    Version: v.version,
    Mode: v.document.mode,
    Description: v.document.description,
    CreationDate: epochSeconds(v.createdAt),
    ...(v.deleted ? { Deleted: true } : {}),
  };
}
