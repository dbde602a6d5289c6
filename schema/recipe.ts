/**
 * Recipes: a plan as the combinator calls that make its template, as data.
 * Evaluated, a recipe is the template (build.ts); printed, it is the
 * source of generated code (generate.ts). One recipe for both is what
 * makes a schema loaded at run time and its generated code the same
 * templates.
 *
 * @module
 */
import type { EnumPlan, FieldPlan, MessagePlan, ScalarName, TypePlan } from './plan.js'

/** A literal argument: what JSON can say, as a combinator takes it. */
export type Literal = string | number | boolean | { readonly [k: string]: Literal }

export type Expr =
  /** A call of the combinator of that name, exported by protoplate. */
  | { readonly call: string; readonly args: readonly Expr[] }
  | { readonly literal: Literal }
  /** An object literal of fields, in order. */
  | { readonly record: readonly (readonly [string, Expr])[] }
  /** The template of the message of that full name. */
  | { readonly message: string }
  /** The host type of the enumeration of that full name. */
  | { readonly enumeration: string }
  /** A host type protoplate exports, by its name there. */
  | { readonly host: string }

export interface RecipeOptions {
  /** Maps of string keys as records rather than `Map`s. */
  readonly maps?: 'map' | 'record'
  /**
   * Packed numeric fields as typed arrays (`packed(n, T, { typed: true })`):
   * all of them, or those named (full names, `'pkg.Message.field'`).
   */
  readonly typedArrays?: boolean | readonly string[]
}

/** The typed array of a packed scalar, by its .proto type (none for `bool`). */
export function typedArrayOf(t: TypePlan): string | undefined {
  if (t.kind !== 'scalar') return undefined
  switch (t.scalar) {
    case 'double':
      return 'Float64Array'
    case 'float':
      return 'Float32Array'
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return 'Int32Array'
    case 'uint32':
    case 'fixed32':
      return 'Uint32Array'
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return t.big ? 'BigInt64Array' : 'Float64Array'
    case 'uint64':
    case 'fixed64':
      return t.big ? 'BigUint64Array' : 'Float64Array'
    default:
      return undefined
  }
}

/** Whether a field is a typed array by the options. */
export function isTyped(f: FieldPlan, fullName: string, options: RecipeOptions): boolean {
  const chosen = options.typedArrays
  if (f.cardinality !== 'packed' || typedArrayOf(f.type) === undefined || chosen === undefined || chosen === false) return false
  return chosen === true || chosen.includes(fullName)
}

/** The key a message's unknown fields are kept under: no .proto name can start with `$`. */
export const UNKNOWN_KEY = '$unknown'

const call = (name: string, ...args: Expr[]): Expr => ({ call: name, args })
const literal = (value: Literal): Expr => ({ literal: value })

/** The combinator of each scalar: its .proto name, and the `bigint` twin of a 64-bit one. */
function scalarHost(s: ScalarName, big: boolean, validate: boolean): string {
  if (s === 'string') return validate ? 'string' : 'unvalidatedString'
  return big ? `${s}Big` : s
}

/** A value type as a host type. */
export function hostRecipe(t: TypePlan): Expr {
  switch (t.kind) {
    case 'scalar':
      return { host: scalarHost(t.scalar, t.big, t.validate) }
    case 'enum':
      return { enumeration: t.ref }
    case 'message':
      return call(t.delimited ? 'group' : 'embedded', { message: t.ref })
  }
}

/** A host type called with a tag: a hole (`embedded(5, T)` for a message, as people write it). */
const hole = (t: TypePlan, n: number): Expr =>
  t.kind === 'message' ? call(t.delimited ? 'group' : 'embedded', literal(n), { message: t.ref }) : call('$hole', hostRecipe(t), literal(n))

export function fieldRecipe(f: FieldPlan, options: RecipeOptions = {}, fullName = f.name): Expr {
  if (isTyped(f, fullName, options)) return call('packed', literal(f.number), hostRecipe(f.type), literal({ typed: true }))
  switch (f.cardinality) {
    case 'implicit':
      return call('defaulted', hole(f.type, f.number))
    case 'explicit':
      return call('optional', hole(f.type, f.number))
    case 'required':
      return hole(f.type, f.number)
    case 'repeated':
    case 'packed':
      return call(f.cardinality, literal(f.number), hostRecipe(f.type))
    case 'map': {
      const args = [literal(f.number), hostRecipe(f.key!), hostRecipe(f.type)]
      const record = options.maps === 'record' && f.key!.scalar === 'string'
      return call('map', ...args, ...(record ? [literal({ record: true })] : []))
    }
  }
}

/** A message's template: its members in field-number order, then its unknown fields. */
export function messageRecipe(m: MessagePlan, options: RecipeOptions = {}): Expr {
  const fields: (readonly [string, Expr])[] = m.members.map((member) =>
    'field' in member
      ? ([member.field.name, fieldRecipe(member.field, options, `${m.fullName}.${member.field.name}`)] as const)
      : ([
          member.oneof.name,
          call('optional', call('oneof', { record: member.oneof.fields.map((f) => [f.name, hole(f.type, f.number)] as const) })),
        ] as const),
  )
  fields.push([UNKNOWN_KEY, call('unknownFields')])
  return call('message', { record: fields })
}

/** An enumeration: closed ones send unknown numbers to the unknown fields, open ones keep them. */
export function enumRecipe(e: EnumPlan): Expr {
  // Object.fromEntries defines every name as its own key, `__proto__` too.
  const members = Object.fromEntries(e.values) as Record<string, number>
  return call('enumeration', literal(e.fullName), literal(members), literal(e.closed ? { unknown: 'field' } : { open: true }))
}
