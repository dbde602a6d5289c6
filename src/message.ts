/**
 * The message engine, a message's interpreter: its fields made, when the
 * template is built, into a dispatch from field number to field; decoding
 * in any field order, encoding in template order, unknown fields skipped or
 * captured, prefix reads. Message types as host types (embedded, group)
 * are in combinators/messages.ts.
 *
 * @module
 */
import { fcOf, real } from './arb.js'
import {
  AS_UNKNOWN,
  type AnyTemplate,
  type Arb,
  type ArbCtx,
  type Depth,
  type Difference,
  type FieldImpl,
  type MessageImpl,
  type Problem,
  problem,
  raise,
  show,
} from './core.js'
import { type PathSegment, ProtoError, TemplateError, within } from './errors.js'
import { structuralDiff } from './equal.js'
import { type Reader, WireType, type Writer } from './wire.js'

/** Marks the field that captures unknown fields (see `unknownFields`). */
export interface UnknownSink {
  readonly unknownSink: true
}

export function isSink(f: FieldImpl): boolean {
  return (f as Partial<UnknownSink>).unknownSink === true
}

/** An occurrence of a known field number whose wire type its field does not accept, skipped as unknown. */
interface Skipped {
  readonly fieldNumber: number
  readonly wireType: number
  /** Where its tag starts. */
  readonly offset: number
}

/**
 * The first such occurrence of each field, by the slots of the message it
 * was read into: recorded only on that rare path, and read only when the
 * field turns out to be missing, to say why.
 */
const skippedBySlots = new WeakMap<unknown[], Map<number, Skipped>>()

const WIRE_TYPE_NAMES = ['VARINT', 'I64', 'LEN', 'SGROUP', 'EGROUP', 'I32']

function noteSkipped(slots: unknown[], i: number, fieldNumber: number, wireType: number, offset: number): void {
  let m = skippedBySlots.get(slots)
  if (m === undefined) skippedBySlots.set(slots, (m = new Map()))
  if (!m.has(i)) m.set(i, { fieldNumber, wireType, offset })
}

/** A field's missing-field error, told of an occurrence of it that was skipped for its wire type. */
function withSkipped(e: ProtoError, s: Skipped, f: FieldImpl): ProtoError {
  const which = f.tags.length > 1 ? ` of field ${s.fieldNumber}` : ''
  const detail = `${e.detail}: an occurrence${which} with wire type ${WIRE_TYPE_NAMES[s.wireType]} (${s.wireType}) was skipped at byte ${s.offset}`
  return new ProtoError(e.kind, detail, e.offset, e.path)
}

/** Field numbers up to this are dispatched through an array, beyond it a Map. */
const DENSE_LIMIT = 1024

/**
 * Build a message from its fields. `keys` are the record keys (the record
 * form) or undefined (the tuple form). Throws `TemplateError` for a tag used
 * twice or more than one unknown-field capture.
 */
export function buildMessage(fields: readonly FieldImpl[], keys: readonly string[] | undefined): MessageImpl {
  return new Message(fields, keys)
}

/** A message's interpreter: its fields, and the dispatch from field number to field, decided when it is built. */
class Message implements MessageImpl {
  readonly hasHoles: boolean
  private readonly n: number
  private readonly labels: readonly string[]
  private readonly holes: number
  private readonly tuple: boolean
  /** The field of each field number: up to DENSE_LIMIT by an array, beyond it by a Map. */
  private readonly dense: number[] = []
  private readonly sparse = new Map<number, number>()
  private readonly usedTags: ReadonlySet<number>
  /** The field that captures unknown fields, or −1. */
  private sink = -1

  constructor(
    readonly fields: readonly FieldImpl[],
    readonly keys: readonly string[] | undefined,
  ) {
    this.n = fields.length
    this.labels = fields.map((f, i) => keys?.[i] ?? f.label)
    const owner = new Map<number, string>()
    fields.forEach((f, i) => {
      if (isSink(f)) {
        if (this.sink >= 0) throw new TemplateError(`${this.labels[i]}: a message can capture unknown fields only once`)
        this.sink = i
      }
      for (const tag of f.tags) {
        const other = owner.get(tag)
        if (other !== undefined) throw new TemplateError(`tag ${tag} is used twice in one message (${other} and ${this.labels[i]})`)
        owner.set(tag, this.labels[i]!)
        if (tag <= DENSE_LIMIT) this.dense[tag] = i
        else this.sparse.set(tag, i)
      }
    })
    this.usedTags = new Set(owner.keys())
    this.holes = fields.filter((f) => f.presence !== 'constant').length
    this.hasHoles = this.holes > 0
    this.tuple = keys === undefined
  }

  private lookup(fieldNumber: number): number | undefined {
    return fieldNumber <= DENSE_LIMIT ? this.dense[fieldNumber] : this.sparse.get(fieldNumber)
  }

  private segment(i: number, tag: number | undefined): PathSegment {
    return tag === undefined ? { field: this.labels[i]! } : { field: this.labels[i]!, tag }
  }

  /** The value of hole `i` of a message value of the right form; `k` counts the holes before it. */
  private valueOf(v: unknown, i: number, k: number): unknown {
    return this.tuple ? (v as unknown[])[k] : (v as Record<string, unknown>)[this.keys![i]!]
  }

  write(w: Writer, v: unknown, ctx: Depth): void {
    const values = shape(v, this.tuple, this.holes)
    const { fields, keys, n } = this
    let k = 0
    for (let i = 0; i < n; i++) {
      const f = fields[i]!
      const x = f.presence === 'constant' ? undefined : keys === undefined ? (values as unknown[])[k++] : (values as Record<string, unknown>)[keys[i]!]
      try {
        f.write(w, x, ctx)
      } catch (e) {
        within(e, this.segment(i, f.pathTag))
      }
    }
  }

  init(): unknown[] {
    const slots = new Array<unknown>(this.n)
    for (let i = 0; i < this.n; i++) slots[i] = this.fields[i]!.init()
    return slots
  }

  readInto(r: Reader, slots: unknown[], ctx: Depth, group: number | undefined, prefix: boolean): void {
    // Values read as unknown go to this message's unknown fields, not an
    // enclosing one's, until it ends. (On an error the operation ends; the
    // next message read sets its own.)
    const outer = ctx.unknown
    ctx.unknown = this.sink >= 0 ? (slots[this.sink] as Uint8Array[]) : undefined
    const start = r.pos
    const end = r.end
    const seen = prefix ? new Uint8Array(this.n) : undefined
    while (r.pos < end) {
      const tagStart = r.pos
      const tag = r.tag()
      const fieldNumber = tag >>> 3
      const wireType = tag & 7
      if (wireType === WireType.EGROUP) {
        if (fieldNumber === group) {
          ctx.unknown = outer
          return
        }
        if (prefix && group === undefined) {
          r.pos = tagStart
          ctx.unknown = outer
          return
        }
        throw new ProtoError(
          'group-mismatch',
          group === undefined ? `end of group ${fieldNumber} with no group open` : `end of group ${fieldNumber} closes group ${group}`,
          tagStart,
        )
      }
      const i = this.lookup(fieldNumber)
      if (i !== undefined) {
        const f = this.fields[i]!
        if (f.accepts(fieldNumber, wireType)) {
          if (seen !== undefined) {
            if (seen[i] === 1 && f.singular) {
              r.pos = tagStart
              ctx.unknown = outer
              return
            }
            seen[i] = 1
          }
          try {
            const next = f.read(r, slots[i], tag, ctx)
            if (next !== AS_UNKNOWN) slots[i] = next
            else if (this.sink >= 0) (slots[this.sink] as Uint8Array[]).push(r.buf.subarray(tagStart, r.pos))
          } catch (e) {
            within(e, this.segment(i, f.pathTag))
          }
          continue
        }
      }
      // A prefix ends at a field it does not know, unless it captures them.
      if (prefix && this.sink < 0) {
        r.pos = tagStart
        ctx.unknown = outer
        return
      }
      // A known field number with a wire type its field does not take: kept, to explain a missing field.
      if (i !== undefined) noteSkipped(slots, i, fieldNumber, wireType, tagStart)
      r.skip(tag, tagStart, ctx.maxDepth - ctx.depth)
      if (this.sink >= 0) (slots[this.sink] as Uint8Array[]).push(r.buf.subarray(tagStart, r.pos))
    }
    if (group !== undefined) throw new ProtoError('truncated', `input ends inside group ${group}`, start)
    ctx.unknown = outer
  }

  finish(slots: unknown[], ctx: Depth, end: number): unknown {
    const out: unknown[] | Record<string, unknown> = this.tuple ? [] : {}
    for (let i = 0; i < this.n; i++) {
      const f = this.fields[i]!
      let v: unknown
      try {
        v = f.finish(slots[i], ctx, end)
      } catch (e) {
        // The field's own missing-field error (not one from inside it), when an occurrence was skipped.
        const s = e instanceof ProtoError && e.kind === 'missing-field' && e.path.length === 0 ? skippedBySlots.get(slots)?.get(i) : undefined
        within(s === undefined ? e : withSkipped(e as ProtoError, s, f), this.segment(i, f.pathTag))
      }
      if (f.presence === 'constant') continue
      if (this.tuple) (out as unknown[]).push(v)
      else if (v !== undefined || f.presence !== 'optional') (out as Record<string, unknown>)[this.keys![i]!] = v
    }
    return out
  }

  check(v: unknown, depth: number): Problem | undefined {
    if (!isShaped(v, this.tuple, this.holes)) {
      try {
        shape(v, this.tuple, this.holes)
      } catch (e) {
        return problem((e as ProtoError).kind, (e as ProtoError).detail)
      }
    }
    let k = 0
    for (let i = 0; i < this.n; i++) {
      const f = this.fields[i]!
      if (f.presence === 'constant') continue
      const p = f.check(this.valueOf(v, i, k++), depth)
      if (p !== undefined) return problem(p.kind, `${this.labels[i]}: ${p.detail}`)
    }
    return undefined
  }

  diff(a: unknown, b: unknown): Difference | undefined {
    if (!isShaped(a, this.tuple, this.holes) || !isShaped(b, this.tuple, this.holes)) return structuralDiff(a, b)
    let k = 0
    for (let i = 0; i < this.n; i++) {
      const f = this.fields[i]!
      if (f.presence === 'constant') continue
      const x = this.valueOf(a, i, k)
      const y = this.valueOf(b, i, k++)
      const d = f.diff !== undefined ? f.diff(x, y) : structuralDiff(x, y)
      if (d !== undefined) {
        d.path.unshift(this.segment(i, f.pathTag))
        return d
      }
    }
    return undefined
  }

  arbitrary(outer: ArbCtx): Arb<unknown> | null {
    const ctx: ArbCtx = { fc: outer.fc, depth: outer.depth, usedTags: this.usedTags }
    const fc = fcOf(ctx)
    const arbs = []
    for (const f of this.fields) {
      if (f.presence === 'constant') continue
      const a = f.arbitrary(ctx)
      if (a === null) return null
      arbs.push(real(a))
    }
    if (this.keys === undefined) return fc.tuple(...arbs)
    const holeKeys = this.keys.filter((_, i) => this.fields[i]!.presence !== 'constant')
    return fc.tuple(...arbs).map((vs) => {
      const o: Record<string, unknown> = {}
      vs.forEach((x, j) => {
        // An absent optional field decodes to an absent key.
        if (x !== undefined) o[holeKeys[j]!] = x
      })
      return o
    })
  }

}

/** Whether a value has the form of a message's value (as `shape` checks it). */
function isShaped(v: unknown, tuple: boolean, holes: number): boolean {
  return tuple
    ? Array.isArray(v) && v.length === holes
    : typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)
}

/** The value of a message, checked for its form: a tuple of `holes` values, or an object. */
function shape(v: unknown, tuple: boolean, holes: number): unknown {
  if (tuple) {
    if (!Array.isArray(v)) raise(problem('invalid-value', `expected an array of ${holes} values, got ${show(v)}`))
    if (v.length !== holes) raise(problem('invalid-value', `expected ${holes} values, got ${v.length}`))
  } else if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) {
    raise(problem('invalid-value', `expected an object, got ${show(v)}`))
  }
  return v
}

/** The value of a template with no holes: what `encode` and constants use. */
export function emptyValue(template: AnyTemplate): unknown {
  return template.impl.keys === undefined ? [] : {}
}
