// A Pothos plugin that checks every String and ID argument of every field (nested input fields and list
// items too) before anything reads it: no control characters (PostgreSQL text cannot hold NUL, and none
// belongs in our strings; free text may hold tabs and line breaks), and no longer than the field allows.
// It wraps outside Relay's id decoding, so a bad id is named by its field like any other bad string.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import {
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLResolveInfo,
} from 'graphql';
import { UserInputError } from './errors.js';

interface StringBounds {
  maxLength: number;
  /** Free text: tabs and line breaks allowed. */
  multiline?: boolean;
}

/** For strings that declare no bound of their own (ids; cursors, which may hold a user's name): finite. */
const DEFAULT_MAX_LENGTH = 1_000;

const EXTENSION = 'stringBounds';

/** Options of a string argument or input field: the longest value the domain allows. */
export function bounded(maxLength: number, options: { multiline?: boolean } = {}) {
  return { extensions: { [EXTENSION]: { maxLength, multiline: options.multiline ?? false } satisfies StringBounds } };
}

/** The domain's string bounds (the services' zod schemas hold the same limits). */
export const STRING_BOUNDS = {
  city: bounded(100),
  /** ISO 3166-1 alpha-2. */
  country: bounded(2),
  search: bounded(100),
  meetingTitle: bounded(200),
  reportText: bounded(4_000, { multiline: true }),
};

// C0 and C1 controls and DEL (\p{Cc}), and lone surrogates (\p{Cs}: not text, whatever the encoding).
const CONTROL = /[\p{Cc}\p{Cs}]/u;
const CONTROL_BUT_LINE_BREAKS = /[^\P{Cc}\t\n\r]|\p{Cs}/u;

/** Throws BAD_USER_INPUT naming `field` unless `value` is within `bounds`. */
function checkString(value: string, field: string, bounds: StringBounds = { maxLength: DEFAULT_MAX_LENGTH }): void {
  // Length first: a 900 kB string is refused without reading it.
  if (value.length > bounds.maxLength) {
    throw new UserInputError(`${field}: must be at most ${bounds.maxLength} characters`, { field, max: bounds.maxLength });
  }
  if ((bounds.multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(value)) {
    throw new UserInputError(
      `${field}: must not contain control characters${bounds.multiline ? ' (other than tabs and line breaks)' : ''}`,
      {
        field,
      },
    );
  }
}

function boundsOf(input: GraphQLArgument | GraphQLInputField): StringBounds | undefined {
  return input.extensions?.[EXTENSION] as StringBounds | undefined;
}

/** True when a value of `type` can hold a String or an ID somewhere. */
function holdsStrings(type: GraphQLInputType, seen = new Set<string>()): boolean {
  if (isNonNullType(type) || isListType(type)) return holdsStrings(type.ofType as GraphQLInputType, seen);
  if (isInputObjectType(type)) {
    if (seen.has(type.name)) return false;
    seen.add(type.name);
    return Object.values(type.getFields()).some((f) => holdsStrings(f.type, seen));
  }
  return type.name === 'String' || type.name === 'ID';
}

function checkValue(value: unknown, type: GraphQLInputType, bounds: StringBounds | undefined, path: string): void {
  if (value == null) return;
  if (isNonNullType(type)) {
    checkValue(value, type.ofType, bounds, path);
    return;
  }
  if (isListType(type)) {
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) checkValue(item, type.ofType as GraphQLInputType, bounds, `${path}.${i}`);
    }
    return;
  }
  if (isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) {
      checkValue((value as Record<string, unknown>)[field.name], field.type, boundsOf(field), `${path}.${field.name}`);
    }
    return;
  }
  if ((type.name === 'String' || type.name === 'ID') && typeof value === 'string') checkString(value, path, bounds);
}

/** The arguments worth checking, per field definition (computed once). */
const checkedArguments = new WeakMap<GraphQLField<unknown, unknown>, readonly GraphQLArgument[]>();

function checkArguments(args: Record<string, unknown>, info: GraphQLResolveInfo): void {
  const field = info.parentType.getFields()[info.fieldName];
  if (!field) return;
  let checked = checkedArguments.get(field);
  if (!checked) {
    checked = field.args.filter((arg) => holdsStrings(arg.type));
    checkedArguments.set(field, checked);
  }
  for (const arg of checked) checkValue(args[arg.name], arg.type, boundsOf(arg), arg.name);
}

export class InputGuardPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  // Around the arg mappers (Relay's id decoding), so ids arrive here as the client sent them.
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    if (!resolver || Object.keys(fieldConfig.args).length === 0) return resolver;
    return (parent, args, context, info) => {
      checkArguments(args as Record<string, unknown>, info);
      return resolver(parent, args, context, info);
    };
  }
}

const pluginName = 'inputGuard';
export default pluginName;

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      inputGuard: InputGuardPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, InputGuardPlugin);
