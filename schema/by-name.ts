/**
 * SWI-Prolog's way in by name: `protobuf_parse_from_codes/3` and
 * `protobuf_serialize_to_codes/3` as `parseFromBytes` and
 * `serializeToBytes`, with the manual's semantics, plus what it says SWI
 * lacks: `hasField`, and maps.
 *
 * A parsed message is a plain object keyed by the schema's field names:
 * repeated fields absent are `[]`; other scalars absent are their default
 * (proto2's `[default = …]`, or the type's zero); message fields absent are
 * left out; of a oneof, only the member set is there; enums are their
 * value names; bytes are `Uint8Array`s; maps are `Map`s. What
 * `parseFromBytes` filled in is remembered for the object, so `hasField`
 * tells it from what was on the wire, and `serializeToBytes` of the object
 * writes only what was.
 *
 * These are conversions around the schema's templates, whose values keep
 * presence as the templates do (absent is `undefined`, a oneof is
 * `{ case, value }`).
 *
 * @module
 */
import { decodeOrThrow, encodeOrThrow, ProtoError, type PathSegment } from '../src/index.js'
import type { Schema, SchemaValue } from './build.js'
import type { FieldPlan, MessagePlan, Plans, TypePlan } from './plan.js'
import { stringBytes } from './lexer.js'
import { UNKNOWN_KEY } from './recipe.js'

/** A message as the by-name functions give and take it. */
export type NamedMessage = { [field: string]: unknown }

/** For each parsed message, its type and the fields its object has that were not on the wire. */
const parsed = new WeakMap<object, { readonly plan: MessagePlan; readonly filled: ReadonlySet<string> }>()

/**
 * The message of that full name in the bytes, as SWI-Prolog's
 * `protobuf_parse_from_codes/3` gives it.
 *
 * @throws ProtoError for bytes that are not such a message; SchemaError for a name the schema does not have.
 */
export function parseFromBytes(schema: Schema, name: string, bytes: Uint8Array | ArrayBuffer): NamedMessage {
  const value = decodeOrThrow(schema.template(name), bytes)
  return toNamed(schema.plans, full(name), value)
}

/**
 * The bytes of a message given by name, as SWI-Prolog's
 * `protobuf_serialize_to_codes/3` writes them: every field the object has,
 * but those `parseFromBytes` filled in.
 *
 * @throws ProtoError for an object the message cannot take, a field name it does not have included.
 */
export function serializeToBytes(schema: Schema, name: string, message: NamedMessage): Uint8Array {
  const template = schema.template(name)
  return encodeOrThrow(template, fromNamed(schema.plans, full(name), message, []))
}

/**
 * Whether a field of a parsed message was on the wire (Python's
 * `HasField`): for a field of explicit presence, whether it was read
 * rather than filled in; for a repeated field or a map, whether it has
 * elements; for a field of implicit presence (proto3's), whether it is not
 * its zero, as protobuf cannot tell more. For an object not made by
 * `parseFromBytes`, whether it has the field.
 *
 * @throws ProtoError (`invalid-argument`) for a field a parsed message's type does not have.
 */
export function hasField(message: NamedMessage, field: string): boolean {
  const p = parsed.get(message)
  if (p !== undefined && (field === UNKNOWN_KEY || !fieldNames(p.plan).has(field))) {
    throw new ProtoError('invalid-argument', `${p.plan.fullName} has no field ${JSON.stringify(field)}`)
  }
  if (p?.filled.has(field) === true) return false
  const v = message[field]
  if (Array.isArray(v)) return v.length > 0
  if (v instanceof Map) return v.size > 0
  return v !== undefined
}

/** The names an object of a message may have: its fields', its oneofs' members', and the unknown fields' key; made once a message. */
const names = new WeakMap<MessagePlan, ReadonlySet<string>>()
function fieldNames(m: MessagePlan): ReadonlySet<string> {
  let set = names.get(m)
  if (set === undefined) {
    set = new Set([UNKNOWN_KEY, ...m.members.flatMap((x) => ('field' in x ? [x.field.name] : x.oneof.fields.map((f) => f.name)))])
    names.set(m, set)
  }
  return set
}

const full = (name: string): string => (name.startsWith('.') ? name.slice(1) : name)

/** Whether a value of implicit presence is its type's zero, which protobuf does not tell from absent. */
function isZero(plans: Plans, t: TypePlan, v: unknown): boolean {
  if (t.kind === 'enum') return plans.enums.get(t.ref)!.values.some(([n, x]) => x === 0 && n === v) || v === 0
  return (v === 0 && !Object.is(v, -0)) || v === 0n || v === false || v === '' || (v instanceof Uint8Array && v.length === 0)
}

function messagePlan(plans: Plans, name: string): MessagePlan {
  const m = plans.messages.get(name)
  if (m === undefined) throw new Error(`unreachable: no plan of ${name}`)
  return m
}

function toNamed(plans: Plans, name: string, value: SchemaValue): NamedMessage {
  const m = messagePlan(plans, name)
  const out: NamedMessage = {}
  const defaults = new Set<string>()
  const one = (t: TypePlan, v: unknown): unknown => (t.kind === 'message' && v !== undefined ? toNamed(plans, t.ref, v as SchemaValue) : v)
  for (const member of m.members) {
    if ('oneof' in member) {
      const chosen = value[member.oneof.name] as { case: string; value: unknown } | undefined
      if (chosen === undefined) continue
      const f = member.oneof.fields.find((x) => x.name === chosen.case)!
      out[f.name] = one(f.type, chosen.value)
      continue
    }
    const f = member.field
    const v = value[f.name]
    if (f.cardinality === 'repeated' || f.cardinality === 'packed') out[f.name] = (v as unknown[]).map((x) => one(f.type, x))
    else if (f.cardinality === 'map') out[f.name] = mapValues(v as Map<unknown, unknown> | Record<string, unknown>, (x) => one(f.type, x))
    else if (v !== undefined) {
      out[f.name] = one(f.type, v)
      if (f.cardinality === 'implicit' && isZero(plans, f.type, v)) defaults.add(f.name)
    } else if (f.type.kind !== 'message') {
      out[f.name] = defaultOf(plans, f)
      defaults.add(f.name)
    }
  }
  if (value[UNKNOWN_KEY] !== undefined) out[UNKNOWN_KEY] = value[UNKNOWN_KEY]
  parsed.set(out, { plan: m, filled: defaults })
  return out
}

function mapValues(v: Map<unknown, unknown> | Record<string, unknown>, f: (x: unknown) => unknown): unknown {
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, f(x)]))
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, f(x)]))
}

function fromNamed(plans: Plans, name: string, message: NamedMessage, path: PathSegment[]): SchemaValue {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    throw new ProtoError('invalid-value', `expected an object for ${name}, got ${message === null ? 'null' : typeof message}`, undefined, [...path])
  }
  const m = messagePlan(plans, name)
  const skip = parsed.get(message)?.filled
  const out: SchemaValue = {}
  const at = (f: FieldPlan): PathSegment[] => [...path, { field: f.name, tag: f.number }]
  const one = (t: TypePlan, v: unknown, p: PathSegment[]): unknown =>
    t.kind === 'message' && v !== null && typeof v === 'object' && !(v instanceof Uint8Array) ? fromNamed(plans, t.ref, v as NamedMessage, p) : v
  for (const member of m.members) {
    if ('oneof' in member) {
      const set = member.oneof.fields.filter((f) => message[f.name] !== undefined && skip?.has(f.name) !== true)
      if (set.length > 1) {
        throw new ProtoError('invalid-value', `oneof ${member.oneof.name} has more than one member set: ${set.map((f) => f.name).join(', ')}`, undefined, [...path])
      }
      if (set.length === 1) out[member.oneof.name] = { case: set[0]!.name, value: one(set[0]!.type, message[set[0]!.name], at(set[0]!)) }
      continue
    }
    const f = member.field
    const v = skip?.has(f.name) === true ? undefined : message[f.name]
    if (v === undefined) {
      const absent = f.cardinality === 'map' ? new Map() : f.cardinality === 'repeated' || f.cardinality === 'packed' ? [] : undefined
      out[f.name] = f.cardinality === 'implicit' ? defaultOf(plans, f) : absent
      if (out[f.name] === undefined) delete out[f.name]
      continue
    }
    if ((f.cardinality === 'repeated' || f.cardinality === 'packed') && Array.isArray(v)) {
      out[f.name] = v.map((x, i) => one(f.type, x, [...at(f), { index: i }]))
    } else if (f.cardinality === 'map' && (v instanceof Map || (typeof v === 'object' && v !== null))) {
      out[f.name] = mapValues(v as Map<unknown, unknown>, (x) => one(f.type, x, at(f)))
    } else out[f.name] = one(f.type, v, at(f))
  }
  const known = fieldNames(m)
  for (const k of Object.keys(message)) {
    if (!known.has(k)) throw new ProtoError('invalid-value', `${name} has no field ${JSON.stringify(k)}`, undefined, [...path])
  }
  if (message[UNKNOWN_KEY] !== undefined) out[UNKNOWN_KEY] = message[UNKNOWN_KEY]
  return out
}

/** What a field absent from the wire reads as: its `[default = …]`, or its type's zero. */
function defaultOf(plans: Plans, f: FieldPlan): unknown {
  const t = f.type
  if (t.kind === 'enum') {
    const e = plans.enums.get(t.ref)!
    return f.default ?? e.values[0]![0]
  }
  if (t.kind !== 'scalar') return undefined
  const d = f.default
  switch (t.scalar) {
    case 'bool':
      return d === 'true'
    case 'string':
      return d ?? ''
    case 'bytes':
      // Descriptors write a bytes default C-escaped, as a .proto literal's body is.
      return d === undefined ? new Uint8Array(0) : stringBytes(`"${d}"`)
    case 'double':
    case 'float':
      return d === undefined ? 0 : d === 'inf' ? Infinity : d === '-inf' ? -Infinity : d === 'nan' ? NaN : Number(d)
    default:
      return t.big ? BigInt(d ?? 0) : Number(d ?? 0)
  }
}
