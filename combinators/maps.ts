/**
 * Maps: `map(tag, key, value)`, protobuf's `map<K, V>`, as a JavaScript
 * `Map` (or a record, for string keys). On the wire a map is what
 * protobuf says it is: a repeated message of two fields, the key (1) and
 * the value (2), one per entry. So this field kind is made of others: a
 * list of entry messages, which the map turns into a `Map` and back. Its
 * interpreter and its emitter both delegate to the list's, around that
 * conversion.
 *
 * @module
 */
import { fcOf, real } from '../src/arb.js'
import {
  type AnyHostType,
  type Arb,
  AS_UNKNOWN,
  type Field,
  type FieldEmitter,
  type FieldImpl,
  type HostType,
  isLazy,
  type Problem,
  problem,
  raise,
  show,
  validateTag,
} from '../src/core.js'
import { structuralDiff } from '../src/equal.js'
import { ProtoError, TemplateError } from '../src/errors.js'
import { WireType } from '../src/wire.js'
import { repeated } from './collections.js'
import { defaulted, optional } from './fields.js'
import { defineHostType, makeField } from './host.js'
import { embedded, protobuf } from './messages.js'
import * as S from './scalars.js'

/** The key types protobuf allows: integers, booleans and strings (not floating point, bytes, enums or messages). */
const KEY_TYPES: ReadonlySet<AnyHostType> = new Set<AnyHostType>([
  S.integer, S.sint32, S.unsigned, S.uint32, S.signed64, S.signed32, S.integer64, S.integer32, S.unsigned64, S.unsigned32,
  S.integerBig, S.unsignedBig, S.signed64Big, S.integer64Big, S.unsigned64Big, S.boolean, S.atom, S.string, S.unvalidatedString,
])

export interface MapOptions {
  /** The value is a record of the entries, not a `Map`: for string keys only. */
  readonly record?: true
}

/**
 * A map field: zero or more entries of a key and a value, as protobuf's
 * `map<K, V>`.
 *
 * ```ts
 * map(5, string, unsigned)                   // Map<string, number>
 * encode(protobuf([map(5, string, unsigned)]), [new Map([['a', 1]])]) // 2a 05 0a 01 61 10 01
 * map(5, string, unsigned, { record: true }) // Record<string, number>
 * ```
 *
 * Encode writes the entries in the map's order, each with its key and its
 * value (as protoc's runtimes do, the zero too); decode takes the last of
 * equal keys, and a key or value missing from an entry as its type's zero
 * (a message value as the message of no fields). An entry whose value is a
 * number a closed enumeration keeps as an unknown field (`{ unknown:
 * 'field' }`) is an unknown field of the message, the whole entry.
 *
 * @throws TemplateError for a key type protobuf does not allow, a record
 * of keys that are not strings, or a value that is not a host type.
 */
export function map<K, V>(tag: number, key: HostType<K>, value: HostType<V>): Field<Map<K, V>, 'required'>
export function map<V>(tag: number, key: HostType<string>, value: HostType<V>, options: MapOptions & { readonly record: true }): Field<Record<string, V>, 'required'>
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function map(tag: number, key: AnyHostType, value: AnyHostType, options: MapOptions = {}): Field<any, 'required'> {
  const where = `map(${tag}, ${key?.typeName}, ${value?.typeName})`
  validateTag(tag, where)
  if (!KEY_TYPES.has(key)) throw new TemplateError(`${where}: a map's key is an integer, boolean or string type, not ${String(key?.typeName)}`)
  // A lazy value is not looked into (its kind would force it): a recursive message is being defined.
  if (!(typeof value === 'function' && isLazy(value)) && value?.kind !== 'hostType') {
    throw new TemplateError(`${where}: the value is a host type (use embedded(template) for a message)`)
  }
  const record = options.record === true
  if (record && key !== (S.string as AnyHostType) && key !== (S.atom as AnyHostType) && key !== (S.unvalidatedString as AnyHostType)) throw new TemplateError(`${where}: a record's keys are strings; use a Map for ${key.typeName} keys`)
  // Written: both fields, always. Read: a missing key or value is its zero.
  const write = repeated(tag, embedded(protobuf([key(1), value(2)]))).impl
  const reading = readingValue(value)
  const read = repeated(tag, embedded(protobuf([defaulted(key(1)), missingValue(reading)]))).impl
  const conversions = record ? asRecord : asMap
  return makeField(mapField(tag, write, entriesKeepingUnknown(read, reading !== value), key, value, conversions) as FieldImpl & { presence: 'required' })
}

/** The value of an entry whose value a closed enumeration keeps as unknown (see `readingValue`). */
const UNKNOWN_VALUE: unique symbol = Symbol('protoplate: a map entry of an unknown value')

/**
 * The value type as an entry is read. A closed enumeration that keeps
 * unknown numbers as unknown fields reads one as UNKNOWN_VALUE instead, for
 * the map to make the whole entry an unknown field, as protobuf says of
 * maps with closed enum values: the entry has no unknown fields of its own
 * to keep it in, and the last value of the entry is the one that counts.
 * Its emitter is the enumeration's, whose compiled code bails on such a
 * number as before, and the interpreter places the entry.
 */
function readingValue<V>(value: HostType<V>): HostType<V> {
  if (isLazy(value) || value.impl.keepsUnknown !== true) return value
  const impl = value.impl
  return defineHostType<V>({
    ...impl,
    keepsUnknown: false,
    read(r, fieldNumber, ctx) {
      const v = impl.read(r, fieldNumber, ctx)
      return (v as unknown) === AS_UNKNOWN ? (UNKNOWN_VALUE as V) : v
    },
  })
}

/** The list of entries, an entry of an unknown value taken out of it and made an unknown field of the message. */
function entriesKeepingUnknown(read: FieldImpl, keeps: boolean): FieldImpl {
  if (!keeps) return read
  return {
    ...read,
    read(r, slot, t, ctx) {
      const list = read.read(r, slot, t, ctx) as [unknown, unknown][]
      if (list.at(-1)?.[1] !== UNKNOWN_VALUE) return list
      list.pop()
      return AS_UNKNOWN
    },
  }
}

/**
 * The value field of an entry as it is read: its zero where the entry has
 * none, or a message of no fields. A `lazy` value (a recursive message) is
 * not looked into before its first use, and has no zero.
 */
function missingValue<V>(value: HostType<V>): Field<V, 'required'> | Field<V | undefined, 'optional'> {
  return isLazy(value) || value.impl.zero === undefined ? optional(value(2)) : defaulted(value(2))
}

/** How a map value is turned into entries and back. */
interface Conversions {
  readonly is: (v: unknown) => boolean
  readonly what: string
  /** The entries, as the tuples an entry message takes. */
  readonly entries: (v: unknown) => [unknown, unknown][]
  readonly fromEntries: (entries: readonly (readonly [unknown, unknown])[]) => unknown
}

const asMap: Conversions = {
  is: (v) => v instanceof Map,
  what: 'a Map',
  entries: (v) => Array.from(v as Map<unknown, unknown>),
  fromEntries: (entries) => new Map(entries),
}

const asRecord: Conversions = {
  is: (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Uint8Array),
  what: 'a record',
  entries: (v) => Object.entries(v as Record<string, unknown>),
  // Object.fromEntries defines its keys: __proto__ is data here, not the prototype; the last of equal keys wins.
  fromEntries: (entries) => Object.fromEntries(entries),
}

function mapField<K, V>(
  tag: number,
  write: FieldImpl,
  read: FieldImpl,
  key: HostType<K>,
  value: HostType<V>,
  c: Conversions,
): FieldImpl {
  /** A message value missing from an entry is decoded from no bytes: the message of no fields. */
  const filled = (entries: readonly (readonly [unknown, unknown])[]): unknown =>
    c.fromEntries(value.impl.zero !== undefined ? entries : entries.map(([k, v]) => [k, v === undefined ? emptyValueOf(value) : v] as const))
  const check = (v: unknown, depth: number): Problem | undefined => {
    if (!c.is(v)) return problem('invalid-value', `expected ${c.what}, got ${show(v)}`)
    for (const [k, x] of c.entries(v)) {
      const p = key.impl.check(k, depth) ?? value.impl.check(x, depth)
      if (p !== undefined) return problem(p.kind, `[${show(k)}]: ${p.detail}`)
    }
    return undefined
  }
  const emit = mapEmitter(write, read, c, filled)
  return {
    ...(emit === undefined ? {} : { emit }),
    shape: { kind: 'map', tag, key, value },
    tags: [tag],
    presence: 'required',
    label: 'map',
    pathTag: tag,
    singular: false,
    accepts: (_, wireType) => wireType === WireType.LEN,
    init: () => read.init(),
    read: (r, slot, t, ctx) => read.read(r, slot, t, ctx),
    finish: (slot, ctx, end) => filled(read.finish(slot, ctx, end) as [unknown, unknown][]),
    write(w, v, ctx) {
      if (!c.is(v)) raise(problem('invalid-value', `expected ${c.what}, got ${show(v)}`))
      write.write(w, c.entries(v), ctx)
    },
    check,
    diff: (a, b) => structuralDiff(c.is(a) ? c.entries(a) : a, c.is(b) ? c.entries(b) : b),
    arbitrary(ctx): Arb<unknown> | null {
      const fc = fcOf(ctx)
      const k = key.impl.arbitrary(ctx)
      const v = value.impl.arbitrary(ctx)
      if (k === null || v === null) return fc.constant(c.fromEntries([]))
      return fc.uniqueArray(fc.tuple(real(k), real(v)), { maxLength: 5, selector: (e) => e[0] }).map((es) => c.fromEntries(es))
    },
  }
}

/** The value of an entry that has none, for a type without a zero: a message of no fields, or an error (an enumeration without a member numbered 0). */
function emptyValueOf(value: AnyHostType): unknown {
  const m = value.impl.merge
  if (m === undefined) throw new ProtoError('missing-field', `a map entry has no value, and ${value.typeName} has no zero`)
  return m.finish(m.init(), { depth: 0, maxDepth: 100 }, 0)
}

/**
 * Compiled code of a map: the list of entries' own code, the value turned
 * into entries before it and the entries into the value after it.
 */
function mapEmitter(write: FieldImpl, read: FieldImpl, c: Conversions, filled: (entries: readonly (readonly [unknown, unknown])[]) => unknown): FieldEmitter | undefined {
  if (write.emit?.encode === undefined || read.emit === undefined) return undefined
  const encodeList = write.emit.encode
  const decodeList = read.emit
  return {
    encode(g, x) {
      const e = g.local('entries')
      return `if (!${g.ref(c.is)}(${x})) ${g.bail} { const ${e} = ${g.ref(c.entries)}(${x}); ${encodeList(g, e)} }`
    },
    decode(g, s) {
      const o = decodeList.decode(g, s)
      return { ...o, result: `${g.ref(filled)}(${o.result})` }
    },
  }
}
