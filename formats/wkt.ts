/**
 * The well-known types that ProtoJSON writes in forms of their own:
 * `Timestamp` as RFC 3339 text, `Duration` as seconds with an `s`,
 * `FieldMask` as its paths in lowerCamel joined by commas, `Struct`,
 * `Value` and `ListValue` as the JSON they hold, the wrappers as their
 * value, and `Any` as the message it holds with an `@type` (or, for these
 * types, its special form under `value`). Every other message, `Empty`
 * included, is an object of its fields.
 *
 * @module
 */
import { decodeOrThrow, encodeOrThrow, ProtoError } from '../src/index.js'
import type { SchemaValue, TypePlan } from '../schema/index.js'
import { at, type Ctx, keysOf, messageFromJson, messageToJson, plansOf, put } from './messages.js'
import { scalarFromJson, scalarToJson, show } from './scalars.js'

export interface Special {
  toJson(ctx: Ctx, v: SchemaValue): unknown
  fromJson(ctx: Ctx, j: unknown): SchemaValue
}

const bad = (detail: string): ProtoError => new ProtoError('invalid-json', detail)
const invalid = (detail: string): ProtoError => new ProtoError('invalid-value', detail)

/** A 64-bit field's value (seconds) in the representation its plan chose. */
function int64Of(ctx: Ctx, message: string, n: number): number | bigint {
  const t = plansOf(ctx, message).members.map((m) => ('field' in m ? m.field : undefined)).find((f) => f?.name === 'seconds')!.type
  return t.kind === 'scalar' && t.big ? BigInt(n) : n
}

// Timestamp: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
const MIN_SECONDS = -62135596800
const MAX_SECONDS = 253402300799

/** Nanoseconds as a fraction of 0, 3, 6 or 9 digits, as Google's runtimes write them. */
function fraction(nanos: number): string {
  if (nanos === 0) return ''
  const nine = String(nanos).padStart(9, '0')
  return `.${nine.endsWith('000000') ? nine.slice(0, 3) : nine.endsWith('000') ? nine.slice(0, 6) : nine}`
}

const timestamp: Special = {
  toJson(_ctx, v) {
    const seconds = Number(v['seconds'])
    const nanos = v['nanos'] as number
    if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw invalid(`a Timestamp's seconds, ${seconds}, are beyond years 1 to 9999`)
    if (nanos < 0 || nanos > 999_999_999) throw invalid(`a Timestamp's nanos, ${nanos}, are not in 0 to 999999999`)
    return `${new Date(seconds * 1000).toISOString().slice(0, 19)}${fraction(nanos)}Z`
  },
  fromJson(ctx, j) {
    if (typeof j !== 'string') throw bad(`expected a Timestamp's RFC 3339 text, not ${show(j)}`)
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(j)
    if (m === null) throw bad(`${show(j)} is not an RFC 3339 timestamp`)
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
    const date = new Date(0)
    date.setUTCFullYear(y, mo - 1, d)
    date.setUTCHours(h, mi, s, 0)
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw bad(`${show(j)} is not a date and time`)
    const offset = m[8] === undefined ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) * 60
    const seconds = date.getTime() / 1000 - offset
    if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw new ProtoError('out-of-range', `${show(j)} is beyond years 1 to 9999`)
    return { seconds: int64Of(ctx, 'google.protobuf.Timestamp', seconds), nanos: Number((m[7] ?? '').padEnd(9, '0')) }
  },
}

const MAX_DURATION = 315_576_000_000

const duration: Special = {
  toJson(_ctx, v) {
    const seconds = Number(v['seconds'])
    const nanos = v['nanos'] as number
    if (Math.abs(seconds) > MAX_DURATION) throw invalid(`a Duration's seconds, ${seconds}, are beyond ±${MAX_DURATION}`)
    if (Math.abs(nanos) > 999_999_999 || (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0)) throw invalid(`a Duration's nanos, ${nanos}, do not go with its seconds, ${seconds}`)
    const negative = seconds < 0 || nanos < 0
    return `${negative ? '-' : ''}${Math.abs(seconds)}${fraction(Math.abs(nanos))}s`
  },
  fromJson(ctx, j) {
    if (typeof j !== 'string') throw bad(`expected a Duration's text ("1.5s"), not ${show(j)}`)
    const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(j)
    if (m === null) throw bad(`${show(j)} is not a Duration ("1.5s")`)
    const sign = m[1] === '-' ? -1 : 1
    const seconds = Number(m[2])
    if (seconds > MAX_DURATION) throw new ProtoError('out-of-range', `${show(j)} is beyond ±${MAX_DURATION} seconds`)
    const nanos = Number((m[3] ?? '').padEnd(9, '0'))
    return { seconds: int64Of(ctx, 'google.protobuf.Duration', sign * seconds + 0), nanos: sign * nanos + 0 }
  },
}

const fieldMask: Special = {
  toJson(_ctx, v) {
    return (v['paths'] as string[])
      .map((p) => {
        if (/[A-Z]/.test(p) || /_(?![a-z])/.test(p)) throw invalid(`the FieldMask path ${show(p)} has no lowerCamel form that reads back as itself`)
        return p.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
      })
      .join(',')
  },
  fromJson(_ctx, j) {
    if (typeof j !== 'string') throw bad(`expected a FieldMask's paths in a string, not ${show(j)}`)
    const paths = j === '' ? [] : j.split(',')
    for (const p of paths) if (!/^[A-Za-z0-9.]+$/.test(p)) throw bad(`the FieldMask path ${show(p)} is not lowerCamel`)
    return { paths: paths.map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)) }
  },
}

/** A map field of Values as the schema's options have maps. */
const asMap = (ctx: Ctx, entries: [string, unknown][]): unknown => (ctx.schema.options.maps === 'record' ? Object.fromEntries(entries) : new Map(entries))

const struct: Special = {
  toJson(ctx, v) {
    const fields = v['fields'] as Map<string, SchemaValue> | Record<string, SchemaValue>
    const out: Record<string, unknown> = {}
    for (const [k, x] of fields instanceof Map ? fields : Object.entries(fields)) put(out, k, at({ field: k }, () => value.toJson(ctx, x)))
    return out
  },
  fromJson(ctx, j) {
    if (typeof j !== 'object' || j === null || Array.isArray(j)) throw bad(`expected an object for a Struct, not ${show(j)}`)
    return { fields: asMap(ctx, keysOf(ctx, j).map((k) => [k, at({ field: k }, () => value.fromJson(ctx, (j as Record<string, unknown>)[k]))])) }
  },
}

const listValue: Special = {
  toJson(ctx, v) {
    return (v['values'] as SchemaValue[]).map((x, i) => at({ index: i }, () => value.toJson(ctx, x)))
  },
  fromJson(ctx, j) {
    if (!Array.isArray(j)) throw bad(`expected an array for a ListValue, not ${show(j)}`)
    return { values: j.map((x, i) => at({ index: i }, () => value.fromJson(ctx, x))) }
  },
}

const value: Special = {
  toJson(ctx, v) {
    const kind = v['kind'] as { case: string; value: unknown } | undefined
    switch (kind?.case) {
      case 'null_value':
        return null
      case 'number_value': {
        const n = kind.value as number
        if (!Number.isFinite(n)) throw invalid(`a Value's number_value, ${n}, has no JSON form`)
        return n
      }
      case 'string_value':
      case 'bool_value':
        return kind.value
      case 'struct_value':
        return struct.toJson(ctx, kind.value as SchemaValue)
      case 'list_value':
        return listValue.toJson(ctx, kind.value as SchemaValue)
      default:
        throw invalid('a Value with no kind set has no JSON form')
    }
  },
  fromJson(ctx, j) {
    if (j === null) return { kind: { case: 'null_value', value: 'NULL_VALUE' } }
    if (typeof j === 'number') return { kind: { case: 'number_value', value: j } }
    if (typeof j === 'string') return { kind: { case: 'string_value', value: j } }
    if (typeof j === 'boolean') return { kind: { case: 'bool_value', value: j } }
    if (Array.isArray(j)) return { kind: { case: 'list_value', value: listValue.fromJson(ctx, j) } }
    if (typeof j === 'object') return { kind: { case: 'struct_value', value: struct.fromJson(ctx, j) } }
    throw bad(`${show(j)} is not JSON`)
  },
}

/** A wrapper (`Int64Value`, …): the JSON of its value. */
function wrapper(name: string): Special {
  const type = (ctx: Ctx): TypePlan & { kind: 'scalar' } => {
    const m = plansOf(ctx, name).members[0]!
    return ('field' in m ? m.field.type : undefined) as TypePlan & { kind: 'scalar' }
  }
  return {
    toJson: (ctx, v) => scalarToJson(type(ctx), v['value']),
    fromJson: (ctx, j) => ({ value: scalarFromJson(type(ctx), j) }),
  }
}

const any: Special = {
  toJson(ctx, v) {
    const url = v['type_url'] as string
    const bytes = v['value'] as Uint8Array
    if (url === '' && bytes.length === 0) return {}
    const name = typeName(url, invalid)
    const inner = decodeOrThrow(templateOf(ctx, name), bytes)
    const special = wellKnown.get(name)
    if (special !== undefined) return { '@type': url, value: special.toJson(ctx, inner) }
    return { '@type': url, ...(messageToJson(ctx, name, inner) as object) }
  },
  fromJson(ctx, j) {
    if (typeof j !== 'object' || j === null || Array.isArray(j)) throw bad(`expected an object for an Any, not ${show(j)}`)
    const o = j as Record<string, unknown>
    const url = o['@type']
    if (url === undefined && Object.keys(o).length === 0) return { type_url: '', value: new Uint8Array(0) }
    if (typeof url !== 'string') throw bad('an Any needs its "@type"')
    const name = typeName(url, bad)
    const special = wellKnown.get(name)
    let inner: SchemaValue
    if (special !== undefined) {
      const keys = keysOf(ctx, o)
      const other = keys.find((k) => k !== '@type' && k !== 'value')
      if (other !== undefined) throw new ProtoError('unknown-field', `an Any holding ${name} has only "@type" and "value", not ${show(other)}`, undefined, [{ field: other }])
      inner = at({ field: 'value' }, () => special.fromJson(ctx, o['value']))
    } else inner = messageFromJson(ctx, name, o, '@type')
    return { type_url: url, value: encodeOrThrow(templateOf(ctx, name), inner) }
  },
}

function typeName(url: string, error: (detail: string) => ProtoError): string {
  const slash = url.lastIndexOf('/')
  if (slash < 0 || slash === url.length - 1) throw error(`${show(url)} is not a type URL (type.googleapis.com/full.Name)`)
  return url.slice(slash + 1)
}

function templateOf(ctx: Ctx, name: string) {
  for (const s of [ctx.registry, ctx.schema]) if (s.plans.messages.has(name)) return s.template(name)
  throw new ProtoError('invalid-argument', `an Any holds ${name}, which the registry does not have`)
}

/** The well-known types with a JSON form of their own, by full name. */
export const wellKnown: ReadonlyMap<string, Special> = new Map([
  ['google.protobuf.Any', any],
  ['google.protobuf.Timestamp', timestamp],
  ['google.protobuf.Duration', duration],
  ['google.protobuf.FieldMask', fieldMask],
  ['google.protobuf.Struct', struct],
  ['google.protobuf.ListValue', listValue],
  ['google.protobuf.Value', value],
  ...['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map((k): [string, Special] => [`google.protobuf.${k}Value`, wrapper(`google.protobuf.${k}Value`)]),
])
