/**
 * ProtoJSON of a schema's messages, interpreted from its plans: each field
 * by its `json_name` (or its .proto name, if asked), as its cardinality
 * says — a field of explicit presence when set, one of implicit presence
 * when not its zero (or always, with `emitDefaults`), lists and maps when
 * not empty, a oneof's member when one is set — and each value as its type
 * says (formats/scalars.ts, and formats/wkt.ts for the well-known types).
 *
 * Reading takes either name of a field, `null` as "not set", and builds
 * the value the message's template would decode: absent implicit fields
 * are their zeros, absent lists and maps empty.
 *
 * @module
 */
import { ProtoError, type PathSegment } from '../src/index.js'
import { type EnumPlan, type FieldPlan, isTyped, type MessagePlan, type Schema, type SchemaValue, type TypePlan } from '../schema/index.js'
import { scalarFromJson, scalarToJson, show } from './scalars.js'
import { wellKnown } from './wkt.js'

/** How a value is written as JSON. */
export interface JsonWriteOptions {
  /** Write fields of implicit presence at their zero, and empty lists and maps (Google's `always_print_fields_with_no_presence`). */
  readonly emitDefaults?: boolean
  /** Enumeration values as their numbers, not their names. */
  readonly enumAsNumber?: boolean
  /** Keys as the .proto field names, not their JSON names. */
  readonly protoNames?: boolean
  /** Where `Any` finds the messages it holds, by full name; the template's own schema by default. */
  readonly registry?: Schema
}

/** How JSON is read. */
export interface JsonReadOptions {
  /** Skip keys the message has no field of, and enumeration names it has no member of, instead of failing. */
  readonly ignoreUnknownFields?: boolean
  /** Where `Any` finds the messages it holds, by full name; the template's own schema by default. */
  readonly registry?: Schema
}

/** What a conversion carries through the message tree. */
export interface Ctx {
  readonly schema: Schema
  readonly registry: Schema
  readonly write: JsonWriteOptions
  readonly read: JsonReadOptions
  depth: number
  /** Reading: how many keys the objects read so far had (to tell, against the text, whether a key came twice). */
  keys: number
  /** The text format: print unknown fields, by number. */
  readonly unknownFields?: boolean
}

/**
 * `o[k] = v` as an own property whatever `k` is: a key `__proto__` (a map
 * key, a field name) would otherwise set the object's prototype.
 */
export function put(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
  else o[k] = v
}

/** The keys of an object of the JSON being read, counted. */
export function keysOf(ctx: Ctx, o: object): string[] {
  const keys = Object.keys(o)
  ctx.keys += keys.length
  return keys
}

/** The keys of a JSON value that reading skips (under an unknown field), counted. */
function countSkipped(ctx: Ctx, x: unknown): void {
  if (typeof x !== 'object' || x === null) return
  if (Array.isArray(x)) for (const y of x) countSkipped(ctx, y)
  else for (const k of keysOf(ctx, x)) countSkipped(ctx, (x as Record<string, unknown>)[k])
}

const MAX_DEPTH = 100

/** A JSON error at a step of the path: the step is added as the error unwinds. */
export function at<A>(seg: PathSegment, f: () => A): A {
  try {
    return f()
  } catch (e) {
    if (e instanceof ProtoError) e.path.unshift(seg)
    throw e
  }
}

function deeper<A>(ctx: Ctx, f: () => A): A {
  if (++ctx.depth > MAX_DEPTH) throw new ProtoError('depth-limit', `messages nested deeper than ${MAX_DEPTH}`)
  try {
    return f()
  } finally {
    ctx.depth--
  }
}

export function plansOf(ctx: Ctx, name: string): MessagePlan {
  const p = ctx.schema.plans.messages.get(name) ?? ctx.registry.plans.messages.get(name)
  if (p === undefined) throw new ProtoError('invalid-argument', `no message ${name} in the schema`)
  return p
}

function enumPlan(ctx: Ctx, ref: string): EnumPlan {
  const p = ctx.schema.plans.enums.get(ref) ?? ctx.registry.plans.enums.get(ref)
  if (p === undefined) throw new ProtoError('invalid-argument', `no enum ${ref} in the schema`)
  return p
}

// ---------------------------------------------------------------------------
// To JSON

/** The JSON of a message's value. */
export function messageToJson(ctx: Ctx, name: string, value: SchemaValue): unknown {
  return deeper(ctx, () => {
    const special = wellKnown.get(name)
    if (special !== undefined) return special.toJson(ctx, value)
    const plan = plansOf(ctx, name)
    const out: Record<string, unknown> = {}
    for (const member of plan.members) {
      if ('field' in member) {
        const f = member.field
        const v = value[f.name]
        if (!shown(ctx, f, v)) continue
        put(out, keyOf(ctx, f), at({ field: f.name }, () => fieldToJson(ctx, f, v)))
      } else {
        const set = value[member.oneof.name] as { case: string; value: unknown } | undefined
        if (set === undefined) continue
        const f = member.oneof.fields.find((m) => m.name === set.case)
        if (f === undefined) throw new ProtoError('invalid-value', `${member.oneof.name} has no member ${show(set.case)}`)
        put(out, keyOf(ctx, f), at({ field: f.name }, () => valueToJson(ctx, f.type, set.value)))
      }
    }
    return out
  })
}

const keyOf = (ctx: Ctx, f: FieldPlan): string => (ctx.write.protoNames === true ? f.name : f.jsonName)

function shown(ctx: Ctx, f: FieldPlan, v: unknown): boolean {
  if (v === undefined) return false
  const all = ctx.write.emitDefaults === true
  switch (f.cardinality) {
    case 'explicit':
    case 'required':
      return true
    case 'implicit':
      return all || !isZero(ctx, f.type, v)
    case 'map':
      return all || (v instanceof Map ? v.size > 0 : Object.keys(v as object).length > 0)
    default:
      return all || (v as ArrayLike<unknown>).length > 0
  }
}

function isZero(ctx: Ctx, t: TypePlan, v: unknown): boolean {
  if (t.kind === 'enum') return v === 0 || v === enumPlan(ctx, t.ref).values.find(([, n]) => n === 0)?.[0]
  if (v instanceof Uint8Array) return v.length === 0
  return Object.is(v, 0) || v === 0n || v === '' || v === false
}

function fieldToJson(ctx: Ctx, f: FieldPlan, v: unknown): unknown {
  switch (f.cardinality) {
    case 'map': {
      const out: Record<string, unknown> = {}
      const entries = v instanceof Map ? v.entries() : Object.entries(v as object)
      for (const [k, x] of entries) put(out, String(k), at({ field: String(k) }, () => valueToJson(ctx, f.type, x)))
      return out
    }
    case 'repeated':
    case 'packed':
      return Array.from(v as ArrayLike<unknown>, (x, i) => at({ index: i }, () => valueToJson(ctx, f.type, x)))
    default:
      return valueToJson(ctx, f.type, v)
  }
}

function valueToJson(ctx: Ctx, t: TypePlan, v: unknown): unknown {
  switch (t.kind) {
    case 'scalar':
      return scalarToJson(t, v)
    case 'message':
      return messageToJson(ctx, t.ref, v as SchemaValue)
    case 'enum': {
      if (t.ref === 'google.protobuf.NullValue') return null
      const e = enumPlan(ctx, t.ref)
      const number = typeof v === 'number' ? v : e.values.find(([k]) => k === v)?.[1]
      if (number === undefined) throw new ProtoError('unknown-enum', `${t.ref} has no member ${show(v)}`)
      if (ctx.write.enumAsNumber === true) return number
      return typeof v === 'string' ? v : (e.values.find(([, n]) => n === number)?.[0] ?? number)
    }
  }
}

// ---------------------------------------------------------------------------
// From JSON

interface Slot {
  readonly field: FieldPlan
  /** The oneof the field is a member of. */
  readonly oneof?: string
}

const slotsByPlan = new WeakMap<MessagePlan, ReadonlyMap<string, Slot>>()

/** A message's fields by both their names. */
function slots(plan: MessagePlan): ReadonlyMap<string, Slot> {
  let m = slotsByPlan.get(plan)
  if (m !== undefined) return m
  const made = new Map<string, Slot>()
  for (const member of plan.members) {
    const entries: Slot[] = 'field' in member ? [{ field: member.field }] : member.oneof.fields.map((field) => ({ field, oneof: member.oneof.name }))
    for (const s of entries) {
      made.set(s.field.jsonName, s)
      made.set(s.field.name, s)
    }
  }
  m = made
  slotsByPlan.set(plan, m)
  return m
}

/** The value of a message from its JSON (but the key `except`: an `Any`'s `@type`). */
export function messageFromJson(ctx: Ctx, name: string, j: unknown, except?: string): SchemaValue {
  return deeper(ctx, () => {
    const special = wellKnown.get(name)
    if (special !== undefined) return special.fromJson(ctx, j)
    if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new ProtoError('invalid-json', `expected an object for ${name}, not ${show(j)}`)
    const plan = plansOf(ctx, name)
    const out: SchemaValue = {}
    const seen = new Set<string>()
    const byName = slots(plan)
    for (const key of keysOf(ctx, j)) {
      if (key === except) continue
      const s = byName.get(key)
      if (s === undefined) {
        if (ctx.read.ignoreUnknownFields === true) {
          countSkipped(ctx, (j as Record<string, unknown>)[key])
          continue
        }
        throw new ProtoError('unknown-field', `${name} has no field ${show(key)}`, undefined, [{ field: key }])
      }
      const x = (j as Record<string, unknown>)[key]
      const f = s.field
      if (seen.has(f.name)) throw new ProtoError('invalid-json', `${f.name} is given twice (as ${f.name} and as ${f.jsonName})`, undefined, [{ field: key }])
      seen.add(f.name)
      if (x === null && !takesNull(f.type)) continue
      const v = at({ field: key }, () => fieldFromJson(ctx, plan, f, x))
      if (v === SKIP) continue
      if (s.oneof === undefined) put(out, f.name, v)
      else {
        if (out[s.oneof] !== undefined) throw new ProtoError('invalid-json', `${s.oneof} has two members set`, undefined, [{ field: key }])
        out[s.oneof] = { case: f.name, value: v }
      }
    }
    zeroFill(ctx, plan, out)
    return out
  })
}

/** Only google.protobuf.Value (and NullValue) reads `null` as a value; for other fields it is "not set". */
const takesNull = (t: TypePlan): boolean => t.kind !== 'scalar' && (t.ref === 'google.protobuf.Value' || t.ref === 'google.protobuf.NullValue')

/** An enumeration name the enumeration does not have, skipped by `ignoreUnknownFields`. */
const SKIP: unique symbol = Symbol('skip')

function fieldFromJson(ctx: Ctx, owner: MessagePlan, f: FieldPlan, x: unknown): unknown {
  switch (f.cardinality) {
    case 'map': {
      if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new ProtoError('invalid-json', `expected an object for a map, not ${show(x)}`)
      const record = !isMap(ctx, f)
      const out = record ? ({} as Record<string, unknown>) : new Map<unknown, unknown>()
      for (const k of keysOf(ctx, x)) {
        const y = (x as Record<string, unknown>)[k]
        at({ field: k }, () => {
          const key = scalarFromJson(f.key!, mapKey(f.key!.scalar, k))
          if (y === null && !takesNull(f.type)) throw new ProtoError('invalid-json', 'a map value cannot be null')
          const v = valueFromJson(ctx, f.type, y)
          if (v === SKIP) return
          if (out instanceof Map) out.set(key, v)
          else put(out, k, v)
        })
      }
      return out
    }
    case 'repeated':
    case 'packed': {
      if (!Array.isArray(x)) throw new ProtoError('invalid-json', `expected an array, not ${show(x)}`)
      const list: unknown[] = []
      x.forEach((y, i) =>
        at({ index: i }, () => {
          if (y === null && !takesNull(f.type)) throw new ProtoError('invalid-json', 'an element of a list cannot be null')
          const v = valueFromJson(ctx, f.type, y)
          if (v !== SKIP) list.push(v)
        }),
      )
      return typedList(ctx, owner, f, list)
    }
    default:
      return valueFromJson(ctx, f.type, x)
  }
}

/** A map key as the key type reads it: the JSON key is always a string. */
function mapKey(scalar: string, k: string): unknown {
  if (scalar === 'bool') {
    if (k === 'true' || k === 'false') return k === 'true'
    throw new ProtoError('invalid-json', `a bool map key is "true" or "false", not ${show(k)}`)
  }
  return k
}

function valueFromJson(ctx: Ctx, t: TypePlan, x: unknown): unknown {
  switch (t.kind) {
    case 'scalar':
      return scalarFromJson(t, x)
    case 'message':
      return messageFromJson(ctx, t.ref, x)
    case 'enum':
      return enumFromJson(ctx, t.ref, x)
  }
}

function enumFromJson(ctx: Ctx, ref: string, x: unknown): unknown {
  const e = enumPlan(ctx, ref)
  if (ref === 'google.protobuf.NullValue' && x === null) return e.values[0]![0]
  if (typeof x === 'string') {
    if (e.values.some(([k]) => k === x)) return x
    if (ctx.read.ignoreUnknownFields === true) return SKIP
    throw new ProtoError('unknown-enum', `${ref} has no member ${show(x)}`)
  }
  if (typeof x === 'number' && Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31) {
    const named = e.values.find(([, n]) => n === x)
    if (named !== undefined) return named[0]
    if (!e.closed) return x
    if (ctx.read.ignoreUnknownFields === true) return SKIP
    throw new ProtoError('unknown-enum', `the closed enum ${ref} has no member numbered ${x}`)
  }
  throw new ProtoError('invalid-json', `expected a name or number of ${ref}, not ${show(x)}`)
}

function isMap(ctx: Ctx, f: FieldPlan): boolean {
  return !(ctx.schema.options.maps === 'record' && f.key!.scalar === 'string')
}

/** A list as the template has it: an array, or the typed array the schema's options choose. */
export function typedList(ctx: Ctx, owner: MessagePlan, f: FieldPlan, list: unknown[]): unknown {
  return isTyped(f, `${owner.fullName}.${f.name}`, ctx.schema.options) ? arrayOf(f)(list) : list
}

function arrayOf(f: FieldPlan): (xs: unknown[]) => ArrayLike<unknown> {
  const t = f.type as TypePlan & { kind: 'scalar' }
  switch (t.scalar) {
    case 'double':
      return (xs) => Float64Array.from(xs as number[])
    case 'float':
      return (xs) => Float32Array.from(xs as number[])
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return (xs) => Int32Array.from(xs as number[])
    case 'uint32':
    case 'fixed32':
      return (xs) => Uint32Array.from(xs as number[])
    case 'uint64':
    case 'fixed64':
      return t.big ? (xs) => BigUint64Array.from(xs as bigint[]) : (xs) => Float64Array.from(xs as number[])
    default:
      return t.big ? (xs) => BigInt64Array.from(xs as bigint[]) : (xs) => Float64Array.from(xs as number[])
  }
}

/** What the template's decode gives for fields the JSON did not set. */
export function zeroFill(ctx: Ctx, plan: MessagePlan, out: SchemaValue): void {
  for (const member of plan.members) {
    if (!('field' in member)) continue
    const f = member.field
    if (out[f.name] !== undefined) continue
    switch (f.cardinality) {
      case 'implicit':
        put(out, f.name, zeroOf(ctx, f.type))
        break
      case 'map':
        put(out, f.name, isMap(ctx, f) ? new Map() : {})
        break
      case 'repeated':
      case 'packed':
        put(out, f.name, typedList(ctx, plan, f, []))
        break
      default:
    }
  }
}

export function zeroOf(ctx: Ctx, t: TypePlan): unknown {
  if (t.kind === 'enum') return enumPlan(ctx, t.ref).values.find(([, n]) => n === 0)?.[0] ?? 0
  if (t.kind === 'message') return undefined
  switch (t.scalar) {
    case 'bool':
      return false
    case 'string':
      return ''
    case 'bytes':
      return new Uint8Array(0)
    default:
      return t.big ? 0n : 0
  }
}
