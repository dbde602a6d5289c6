/**
 * An annotated hex dump of protobuf bytes: each item (a field's tag with
 * its value, or with the length of what it holds) on a row of its offset,
 * bytes, field path, wire type and value, read against a message type of
 * a schema or, without one, as the raw reading (scan.ts) guesses. The
 * first error is marked under the byte where it is: the error protoplate's
 * decode gives, with its kind and path, or without a schema the first
 * place the bytes stop being fields.
 *
 * @module
 */
import { decodeOrThrow, ProtoError, Reader, type Template } from '../src/index.js'
import { type FieldPlan, mapEntryPlan, type MessagePlan, type Plans, type ScalarName, type SchemaValue, type TypePlan } from '../schema/index.js'
import type { Style } from './io.js'
import { quote } from './raw.js'
import { guessPayload, MAX_NESTING, readVarint, textOf } from './scan.js'

/** One item of the dump. */
export interface Row {
  readonly start: number
  readonly end: number
  readonly path: string
  readonly wire: string
  readonly value: string
}

/** What the bytes are read as: a message type of a schema (its plans and template), or nothing. */
export type Against = { readonly plans: Plans; readonly type: string; readonly template: Template<SchemaValue> } | undefined

const WIRE_NAMES = ['varint', 'i64', 'len', 'sgroup', 'egroup', 'i32', 'wire type 6', 'wire type 7']

const wireOf = (t: TypePlan): number =>
  t.kind === 'enum'
    ? 0
    : t.kind === 'message'
      ? t.delimited
        ? 3
        : 2
      : ({ double: 1, fixed64: 1, sfixed64: 1, float: 5, fixed32: 5, sfixed32: 5, string: 2, bytes: 2 } as Partial<Record<ScalarName, number>>)[t.scalar] ?? 0

const fieldsOf = (m: MessagePlan): FieldPlan[] => m.members.flatMap((x) => ('field' in x ? [x.field] : x.oneof.fields))

/** A message's fields by number, made once a message. */
const byNumber = new WeakMap<MessagePlan, Map<number, FieldPlan>>()
function fieldOf(m: MessagePlan, n: number): FieldPlan | undefined {
  let fields = byNumber.get(m)
  if (fields === undefined) byNumber.set(m, (fields = new Map(fieldsOf(m).map((f) => [f.number, f]))))
  return fields.get(n)
}


const hex = (buf: Uint8Array, at: number, end: number): string => [...buf.subarray(at, end)].map((b) => b.toString(16).padStart(2, '0')).join(' ')

/** Long strings and bytes are cut in the value column (the bytes column has them all). */
const cut = (s: string, max = 60): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s)

/** A thrown stop: the walk met an error, already on its rows. */
class Stop {
  constructor(readonly error: ProtoError) {}
}

class Walker {
  readonly rows: Row[] = []
  readonly r: Reader

  constructor(
    readonly buf: Uint8Array,
    readonly plans: Plans | undefined,
    /** Called with the offset reached at each field of the top level. */
    readonly onProgress?: (offset: number) => void,
  ) {
    this.r = new Reader(buf)
  }

  /** The fields of a message in `[at, end)` (of a group, up to its end, when `group` is its number). */
  message(at: number, end: number, plan: MessagePlan | undefined, path: string, depth: number, group?: number): void {
    const r = this.r
    const outer = r.end
    r.pos = at
    r.end = end
    const seen = new Map<number, number>()
    try {
      while (r.pos < end) {
        const start = r.pos
        if (depth === 0) this.onProgress?.(start)
        let tag: number
        try {
          tag = r.tag()
        } catch (e) {
          throw this.fail(start, `${path}${path === '' ? '' : '.'}?`, '', e)
        }
        const n = tag >>> 3
        const wt = tag & 7
        if (wt === 4) {
          if (n === group) {
            this.rows.push({ start, end: r.pos, path, wire: 'egroup', value: 'end of group' })
            return
          }
          throw this.fail(start, path, 'egroup', new ProtoError('group-mismatch', group === undefined ? `end of group ${n} with no group open` : `end of group ${n} closes group ${group}`, start))
        }
        const f = plan === undefined ? undefined : fieldOf(plan, n)
        const known = f !== undefined && (f.cardinality === 'map' ? wt === 2 : wt === wireOf(f.type) || (wt === 2 && (f.cardinality === 'repeated' || f.cardinality === 'packed') && wireOf(f.type) !== 2 && wireOf(f.type) !== 3))
        const name = f === undefined || !known ? (this.plans === undefined ? `${n}` : `(${n})`) : `${f.name}(${n})`
        const many = f !== undefined && (f.cardinality === 'repeated' || f.cardinality === 'packed' || f.cardinality === 'map')
        const index = seen.get(n) ?? 0
        const here = `${path}${path === '' ? '' : '.'}${name}${known && many && !(wt === 2 && wireOf(f.type) !== 2 && f.cardinality !== 'map') ? `[${index}]` : ''}`
        if (known) seen.set(n, index + 1)
        try {
          if (known) this.known(start, wt, f, here, depth, index, (k) => seen.set(n, k))
          else this.unknown(start, wt, here, depth)
        } catch (e) {
          if (e instanceof Stop) throw e
          throw this.fail(start, here, WIRE_NAMES[wt]!, e)
        }
      }
      // Where the group's payload starts, as decode has it.
      if (group !== undefined) throw new Stop(new ProtoError('truncated', `input ends inside group ${group}`, at))
    } finally {
      r.end = outer
    }
  }

  /** The row of an item that failed, up to the byte the error is at, and the stop. */
  fail(start: number, path: string, wire: string, e: unknown): Stop {
    if (e instanceof Stop) return e
    if (!(e instanceof ProtoError)) throw e
    const upTo = Math.min(this.r.end, Math.max(this.r.pos, (e.offset ?? start) + 1, start + 1))
    if (this.rows.at(-1)?.start !== start) this.rows.push({ start, end: upTo, path, wire, value: '' })
    return new Stop(e)
  }

  /** A field of the schema, of a wire type it takes. */
  known(start: number, wt: number, f: FieldPlan, path: string, depth: number, index: number, setCount: (n: number) => void): void {
    const r = this.r
    const t = f.type
    if (f.cardinality === 'map') return this.nested(start, mapEntryPlan(f), path, depth, 'map entry')
    if (t.kind === 'message') {
      if (wt === 3) return this.group(start, this.plans!.messages.get(t.ref), path, depth)
      return this.nested(start, this.plans!.messages.get(t.ref), path, depth, t.ref)
    }
    if (wt === 2 && wireOf(t) !== 2) {
      // A packed run: its length, then each element.
      const end = r.length()
      this.rows.push({ start, end: r.pos, path, wire: 'len', value: `packed ${typeName(t)}, ${end - r.pos} bytes` })
      let i = index
      const outer = r.end
      r.end = end
      try {
        while (r.pos < end) {
          const at = r.pos
          const elem = `${path}[${i++}]`
          let value: string
          try {
            value = this.scalar(t)
          } catch (e) {
            throw this.fail(at, elem, WIRE_NAMES[wireOf(t)]!, e)
          }
          this.rows.push({ start: at, end: r.pos, path: elem, wire: WIRE_NAMES[wireOf(t)]!, value })
        }
      } finally {
        r.end = outer
      }
      setCount(i)
      return
    }
    const value = this.scalar(t)
    this.rows.push({ start, end: r.pos, path, wire: WIRE_NAMES[wt]!, value })
  }

  /** A length-delimited message: its tag and length on a row, then its fields. */
  nested(start: number, plan: MessagePlan | undefined, path: string, depth: number, what: string): void {
    const r = this.r
    const end = r.length()
    if (depth + 1 > MAX_NESTING) throw new ProtoError('depth-limit', 'messages nested beyond the depth limit', start)
    this.rows.push({ start, end: r.pos, path, wire: 'len', value: `${what}, ${end - r.pos} bytes` })
    this.message(r.pos, end, plan, path, depth + 1)
    r.pos = end
  }

  /** A group: its start on a row, its fields, and its end on a row. */
  group(start: number, plan: MessagePlan | undefined, path: string, depth: number): void {
    const r = this.r
    if (depth + 1 > MAX_NESTING) throw new ProtoError('depth-limit', 'groups nested beyond the depth limit', r.pos)
    this.rows.push({ start, end: r.pos, path, wire: 'sgroup', value: plan === undefined ? 'group' : `group ${plan.fullName}` })
    const n = readTagNumber(this.buf, start)
    this.message(r.pos, r.end, plan, path, depth + 1, n)
  }

  /** A field the schema does not know (or all of them, without a schema): its raw reading. */
  unknown(start: number, wt: number, path: string, depth: number): void {
    const r = this.r
    const row = (value: string) => this.rows.push({ start, end: r.pos, path, wire: WIRE_NAMES[wt]!, value: this.plans === undefined ? value : `${value} (unknown field)` })
    switch (wt) {
      case 0: {
        const v = readVarint(r).value
        return void row(v >= 1n << 63n ? `${v} (int64 ${BigInt.asIntN(64, v)})` : `${v}`)
      }
      case 1:
        r.fixed64()
        return void row(`0x${((BigInt(r.hi) << 32n) | BigInt(r.lo)).toString(16).padStart(16, '0')} (${r.view.getFloat64(r.pos - 8, true)} as a double)`)
      case 5: {
        const v = r.fixed32()
        return void row(`${v} (${r.view.getFloat32(r.pos - 4, true)} as a float)`)
      }
      case 3:
        return this.group(start, undefined, path, depth)
      default: {
        const end = r.length()
        const at = r.pos
        const g = this.plans === undefined ? guessPayload(r, at, end, depth) : { guess: textOf(this.buf, at, end) === undefined ? 'bytes' : 'text' }
        r.pos = at
        if (g.guess === 'message') {
          this.rows.push({ start, end: at, path, wire: 'len', value: `a message? (a guess), ${end - at} bytes` })
          this.message(at, end, undefined, path, depth + 1)
        } else {
          r.pos = end
          row(g.guess === 'text' ? cut(quote(textOf(this.buf, at, end)!)) : `${end - at} bytes`)
        }
        r.pos = end
      }
    }
  }

  /** One value of a scalar or enum type, read at `r.pos`. */
  scalar(t: TypePlan): string {
    const r = this.r
    if (t.kind === 'enum') {
      const v = Number(BigInt.asIntN(32, readVarint(r).value))
      const name = this.plans!.enums.get(t.ref)?.values.find(([, n]) => n === v)?.[0]
      return name === undefined ? `${v} (not a value of ${t.ref})` : `${name} (${v})`
    }
    if (t.kind === 'message') throw new Error('unreachable: a message is no scalar')
    return scalarText(r, t.scalar, this.buf)
  }
}

function scalarText(r: Reader, s: ScalarName, buf: Uint8Array): string {
  switch (s) {
    case 'int32': return `${BigInt.asIntN(32, readVarint(r).value)}`
    case 'uint32': return `${BigInt.asUintN(32, readVarint(r).value)}`
    case 'int64': return `${BigInt.asIntN(64, readVarint(r).value)}`
    case 'uint64': return `${readVarint(r).value}`
    case 'sint32': return `${unzigzag(BigInt.asUintN(32, readVarint(r).value))}`
    case 'sint64': return `${unzigzag(readVarint(r).value)}`
    case 'bool': {
      const v = readVarint(r).value
      return v === 0n ? 'false' : v === 1n ? 'true' : `true (${v})`
    }
    case 'fixed32': return `${r.fixed32()}`
    case 'sfixed32': return `${r.fixed32() | 0}`
    case 'float': return floatShown(r.float())
    case 'fixed64':
      r.fixed64()
      return `${(BigInt(r.hi) << 32n) | BigInt(r.lo)}`
    case 'sfixed64':
      r.fixed64()
      return `${BigInt.asIntN(64, (BigInt(r.hi) << 32n) | BigInt(r.lo))}`
    case 'double': return floatShown(r.double())
    case 'string':
    case 'bytes': {
      const end = r.length()
      const at = r.pos
      r.pos = end
      const text = s === 'string' ? textOf(buf, at, end) : undefined
      if (text !== undefined) return cut(quote(text))
      return `${cut(hex(buf, at, Math.min(end, at + 17)), 48)}${s === 'string' ? ' (not UTF-8 text)' : ''}`
    }
  }
}

const unzigzag = (v: bigint): bigint => (v >> 1n) ^ -(v & 1n)
const floatShown = (v: number): string => (Object.is(v, -0) ? '-0' : String(v))
const typeName = (t: TypePlan): string => (t.kind === 'scalar' ? t.scalar : t.ref)

function readTagNumber(buf: Uint8Array, at: number): number {
  return new Reader(buf, at).tag() >>> 3
}

/** The rows of a message (or of each message of a stream), and its first error. */
export function explainRows(buf: Uint8Array, against: Against, delimited: boolean, onProgress?: (offset: number) => void): { rows: Row[]; error?: ProtoError } {
  const w = new Walker(buf, against?.plans, onProgress)
  const plan = against === undefined ? undefined : against.plans.messages.get(against.type)
  /** decode's error for the message in `[at, end)`, placed in the whole input. */
  const check = (at: number, end: number, index?: number): ProtoError | undefined => {
    if (against === undefined) return undefined
    try {
      decodeOrThrow(against.template, buf.subarray(at, end))
      return undefined
    } catch (x) {
      if (!(x instanceof ProtoError)) throw x
      return placed(x, at, index)
    }
  }
  const placed = (e: ProtoError, at: number, index: number | undefined): ProtoError => new ProtoError(e.kind, e.detail, e.offset === undefined ? undefined : e.offset + at, index === undefined ? e.path : [{ index }, ...e.path])
  /** The walk's error, if it met one. */
  const walk = (at: number, end: number, path: string): ProtoError | undefined => {
    try {
      w.message(at, end, plan, path, 0)
      return undefined
    } catch (e) {
      if (!(e instanceof Stop)) throw e
      return e.error
    }
  }
  let error: ProtoError | undefined
  if (delimited) error = stream(w, plan, check, walk)
  else {
    const walked = walk(0, buf.length, '')
    error = check(0, buf.length) ?? walked
  }
  // decode's error comes first; the walk's, where decode found none, is one of the raw reading.
  return error === undefined ? { rows: w.rows } : { rows: w.rows, error }
}

/** Each message of a stream behind its length; the first error. */
function stream(
  w: Walker,
  plan: MessagePlan | undefined,
  check: (at: number, end: number, index: number) => ProtoError | undefined,
  walk: (at: number, end: number, path: string) => ProtoError | undefined,
): ProtoError | undefined {
  const r = w.r
  r.pos = 0
  for (let i = 0; r.pos < w.buf.length; i++) {
    const start = r.pos
    let end: number
    try {
      end = r.length()
    } catch (e) {
      return w.fail(start, `[${i}]`, 'len', e).error
    }
    const at = r.pos
    w.rows.push({ start, end: at, path: `[${i}]`, wire: 'len', value: `${plan === undefined ? 'a message' : `message ${plan.fullName}`}, ${end - at} bytes` })
    const walked = walk(at, end, `[${i}]`)
    const error = check(at, end, i) ?? walked
    if (error !== undefined) return error
    r.pos = end
    r.end = w.buf.length
  }
  return undefined
}

const BYTES_A_LINE = 8
/** Rows show this many bytes at most; the rest are counted. */
const BYTES_A_ROW = 64

/**
 * The dump: a row an item, up to the first error, which is marked under
 * its byte with its message; then the bytes not read, and a last line.
 */
export function dump(buf: Uint8Array, rows: readonly Row[], error: ProtoError | undefined, what: string, c: Style): string {
  const at = error?.offset
  const shown = at === undefined ? rows : rows.filter((r) => r.start <= at)
  const offW = Math.max(6, String(buf.length).length)
  const pathW = Math.min(40, shown.reduce((w, r) => Math.max(w, r.path.length), 5))
  const bytesW = BYTES_A_LINE * 3 - 1
  const out: string[] = [c.dim(`${'offset'.padStart(offW)}  ${'bytes'.padEnd(bytesW)}  ${'field'.padEnd(pathW)}  ${'wire'.padEnd(6)}  value`)]
  const marker = (col: number) => `${' '.repeat(offW + 2 + col * 3)}${c.bad(`^^ ${error!.message}`)}`
  let marked = false
  shown.forEach((row, k) => {
    const last = Math.min(row.end, row.start + BYTES_A_ROW)
    for (let from = row.start, first = true; first || from < last; from += BYTES_A_LINE, first = false) {
      const to = Math.min(last, from + BYTES_A_LINE)
      const text = hex(buf, from, to).padEnd(bytesW)
      out.push(first ? `${c.dim(String(from).padStart(offW))}  ${text}  ${c.key(row.path.padEnd(pathW))}  ${c.wire(row.wire.padEnd(6))}  ${c.value(row.value)}`.trimEnd() : `${c.dim(String(from).padStart(offW))}  ${text}`.trimEnd())
      if (at !== undefined && !marked && k === shown.length - 1 && at >= from && (at < to || to === last)) {
        out.push(marker(Math.min(at - from, BYTES_A_LINE)))
        marked = true
      }
    }
    if (row.end > last) out.push(`${' '.repeat(offW + 2)}${c.dim(`… ${row.end - last} more ${row.end - last === 1 ? 'byte' : 'bytes'}`)}`)
  })
  if (error !== undefined && !marked) {
    // Nothing read before the error (an empty input): its offset alone.
    if (shown.length === 0) out.push(c.dim(String(at ?? 0).padStart(offW)))
    out.push(marker(0))
  }
  if (error === undefined) out.push(`ok: ${buf.length} bytes, all read${what === '' ? '' : ` as ${what}`}`)
  else {
    const from = shown.reduce((m, r) => Math.max(m, r.end), at ?? 0)
    if (from < buf.length) out.push(`${c.dim(String(from).padStart(offW))}  ${hex(buf, from, Math.min(buf.length, from + BYTES_A_LINE))}${buf.length - from > BYTES_A_LINE ? ' …' : ''}  ${c.dim(`(${buf.length - from} ${buf.length - from === 1 ? 'byte' : 'bytes'} after the error, not read)`)}`)
  }
  return `${out.join('\n')}\n`
}
