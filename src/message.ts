/**
 * The message engine: a list of fields compiled, when the template is built,
 * into a dispatch from field number to field; decoding in any field order;
 * encoding in template order; and message types as host types (embedded and
 * group).
 *
 * @module
 */
import { fcOf, real } from './arb.js'
import {
  type AnyTemplate,
  type Arb,
  type ArbCtx,
  type DecodeCtx,
  type EncodeCtx,
  type FieldImpl,
  type HostImpl,
  type MessageImpl,
  type Mergeable,
  type Problem,
  type Template,
  problem,
  raise,
  show,
} from './core.js'
import { type PathSegment, ProtoError, TemplateError, within } from './errors.js'
import { deepEqual } from './equal.js'
import { type Reader, WireType, type Writer } from './wire.js'

/** Marks the field that captures unknown fields (see `unknownFields`). */
export interface UnknownSink {
  readonly unknownSink: true
}

export function isSink(f: FieldImpl): boolean {
  return (f as Partial<UnknownSink>).unknownSink === true
}

/** Field numbers up to this are dispatched through an array, beyond it a Map. */
const DENSE_LIMIT = 1024

/**
 * Build a message from its fields. `keys` are the record keys (the record
 * form) or undefined (the tuple form). Throws `TemplateError` for a tag used
 * twice or more than one unknown-field capture.
 */
export function buildMessage(fields: readonly FieldImpl[], keys: readonly string[] | undefined): MessageImpl {
  const n = fields.length
  const labels = fields.map((f, i) => keys?.[i] ?? f.label)
  const dense: number[] = []
  const sparse = new Map<number, number>()
  const owner = new Map<number, string>()
  let sink = -1
  for (let i = 0; i < n; i++) {
    const f = fields[i]!
    if (isSink(f)) {
      if (sink >= 0) throw new TemplateError(`${labels[i]}: a message can capture unknown fields only once`)
      sink = i
    }
    for (const tag of f.tags) {
      const other = owner.get(tag)
      if (other !== undefined) throw new TemplateError(`tag ${tag} is used twice in one message (${other} and ${labels[i]})`)
      owner.set(tag, labels[i]!)
      if (tag <= DENSE_LIMIT) dense[tag] = i
      else sparse.set(tag, i)
    }
  }
  const usedTags: ReadonlySet<number> = new Set(owner.keys())
  const lookup = (fieldNumber: number): number | undefined =>
    fieldNumber <= DENSE_LIMIT ? dense[fieldNumber] : sparse.get(fieldNumber)
  const holes = fields.filter((f) => f.presence !== 'constant').length
  const tuple = keys === undefined
  const segment = (i: number, tag: number | undefined): PathSegment =>
    tag === undefined ? { field: labels[i]! } : { field: labels[i]!, tag }

  return {
    fields,
    keys,
    hasHoles: holes > 0,

    write(w: Writer, v: unknown, ctx: EncodeCtx): void {
      const values = shape(v, tuple, holes)
      let k = 0
      for (let i = 0; i < n; i++) {
        const f = fields[i]!
        let x: unknown
        if (f.presence !== 'constant') x = tuple ? (values as unknown[])[k++] : (values as Record<string, unknown>)[keys[i]!]
        try {
          f.write(w, x, ctx)
        } catch (e) {
          within(e, segment(i, f.pathTag))
        }
      }
    },

    init(): unknown[] {
      const slots = new Array<unknown>(n)
      for (let i = 0; i < n; i++) slots[i] = fields[i]!.init()
      return slots
    },

    readInto(r: Reader, slots: unknown[], ctx: DecodeCtx, group: number | undefined, prefix: boolean): void {
      const start = r.pos
      const end = r.end
      const seen = prefix ? new Uint8Array(n) : undefined
      while (r.pos < end) {
        const tagStart = r.pos
        const tag = r.tag()
        const fieldNumber = tag >>> 3
        const wireType = tag & 7
        if (wireType === WireType.EGROUP) {
          if (fieldNumber === group) return
          if (prefix && group === undefined) {
            r.pos = tagStart
            return
          }
          throw new ProtoError(
            'group-mismatch',
            group === undefined
              ? `end of group ${fieldNumber} with no group open`
              : `end of group ${fieldNumber} closes group ${group}`,
            tagStart,
          )
        }
        const i = lookup(fieldNumber)
        if (i !== undefined) {
          const f = fields[i]!
          if (f.accepts(fieldNumber, wireType)) {
            if (seen !== undefined) {
              if (seen[i] === 1 && f.singular) {
                r.pos = tagStart
                return
              }
              seen[i] = 1
            }
            try {
              slots[i] = f.read(r, slots[i], tag, ctx)
            } catch (e) {
              within(e, segment(i, f.pathTag))
            }
            continue
          }
        }
        // A prefix ends at a field it does not know, unless it captures them.
        if (prefix && sink < 0) {
          r.pos = tagStart
          return
        }
        r.skip(tag, tagStart, ctx.maxDepth - ctx.depth)
        if (sink >= 0) (slots[sink] as Uint8Array[]).push(r.buf.subarray(tagStart, r.pos))
      }
      if (group !== undefined) throw new ProtoError('truncated', `input ends inside group ${group}`, start)
    },

    finish(slots: unknown[], ctx: DecodeCtx, end: number): unknown {
      const out: unknown[] | Record<string, unknown> = tuple ? [] : {}
      for (let i = 0; i < n; i++) {
        const f = fields[i]!
        let v: unknown
        try {
          v = f.finish(slots[i], ctx, end)
        } catch (e) {
          within(e, segment(i, f.pathTag))
        }
        if (f.presence === 'constant') continue
        if (tuple) (out as unknown[]).push(v)
        else if (v !== undefined || f.presence !== 'optional') (out as Record<string, unknown>)[keys[i]!] = v
      }
      return out
    },

    check(v: unknown, depth: number): Problem | undefined {
      let values: unknown
      try {
        values = shape(v, tuple, holes)
      } catch (e) {
        return e instanceof ProtoError ? problem(e.kind, e.detail) : problem('invalid-value', String(e))
      }
      let k = 0
      for (let i = 0; i < n; i++) {
        const f = fields[i]!
        if (f.presence === 'constant') continue
        const x = tuple ? (values as unknown[])[k++] : (values as Record<string, unknown>)[keys[i]!]
        const p = f.check(x, depth)
        if (p !== undefined) return problem(p.kind, `${labels[i]}: ${p.detail}`)
      }
      return undefined
    },

    arbitrary(outer: ArbCtx): Arb<unknown> | null {
      const ctx: ArbCtx = { fc: outer.fc, depth: outer.depth, usedTags }
      const fc = fcOf(ctx)
      const arbs = []
      for (const f of fields) {
        if (f.presence === 'constant') continue
        const a = f.arbitrary(ctx)
        if (a === null) return null
        arbs.push(real(a))
      }
      if (tuple) return fc.tuple(...arbs)
      const holeKeys = keys.filter((_, i) => fields[i]!.presence !== 'constant')
      return fc.tuple(...arbs).map((vs) => {
        const o: Record<string, unknown> = {}
        vs.forEach((x, j) => {
          // An absent optional field decodes to an absent key.
          if (x !== undefined) o[holeKeys[j]!] = x
        })
        return o
      })
    },
  }
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

// ---------------------------------------------------------------------------
// Message types as host types

/** The state of a message read from one or more occurrences. */
export interface MessageState {
  readonly slots: unknown[]
  /** Where the first occurrence's payload starts (for errors about the whole value). */
  start: number
  /** Where the last occurrence ended (for errors about missing fields). */
  end: number
}

function enter(ctx: { depth: number; maxDepth: number }, offset: number | undefined): void {
  if (++ctx.depth > ctx.maxDepth) {
    throw new ProtoError(
      'depth-limit',
      offset === undefined
        ? `value nested deeper than ${ctx.maxDepth} levels (a cycle?)`
        : `messages nested deeper than ${ctx.maxDepth} levels`,
      offset,
    )
  }
}

/** The value of a template with no holes: what `encode` and constants use. */
export function emptyValue(template: AnyTemplate): unknown {
  return template.impl.keys === undefined ? [] : {}
}

/**
 * A message type as a host type: `embedded(template)` (length-delimited) or
 * `group(template)` (start and end tags). Occurrences of a singular field of
 * such a type merge, as the specification says.
 */
export function messageHost<A>(template: Template<A>, form: 'embedded' | 'group', name: string = form): HostImpl<A> {
  const group = form === 'group'
  const merge: Mergeable<A> = {
    init: (): MessageState => ({ slots: template.impl.init(), start: -1, end: 0 }),
    readInto(r: Reader, fieldNumber: number, ctx: DecodeCtx, state: unknown): void {
      const s = state as MessageState
      const start = r.pos
      if (s.start < 0) s.start = start
      enter(ctx, start)
      if (group) {
        template.impl.readInto(r, s.slots, ctx, fieldNumber, false)
      } else {
        const end = r.length()
        const outer = r.end
        r.end = end
        template.impl.readInto(r, s.slots, ctx, undefined, false)
        r.end = outer
      }
      s.end = r.pos
      ctx.depth--
    },
    finish: (state: unknown, ctx: DecodeCtx): A => {
      const s = state as MessageState
      return template.impl.finish(s.slots, ctx, s.end) as A
    },
  }
  return {
    name,
    wireType: group ? WireType.SGROUP : WireType.LEN,
    packable: false,
    check(v: unknown, depth: number): Problem | undefined {
      if (depth > 1000) return problem('depth-limit', 'value nested too deeply (a cycle?)')
      return template.impl.check(v, depth + 1)
    },
    write(w: Writer, v: A, fieldNumber: number, ctx: EncodeCtx): void {
      enter(ctx, undefined)
      if (group) {
        template.impl.write(w, v, ctx)
        w.tag(fieldNumber, WireType.EGROUP)
      } else {
        const mark = w.fork()
        template.impl.write(w, v, ctx)
        w.join(mark)
      }
      ctx.depth--
    },
    read(r: Reader, fieldNumber: number, ctx: DecodeCtx): A {
      const s = merge.init()
      merge.readInto(r, fieldNumber, ctx, s)
      return merge.finish(s, ctx, r.pos)
    },
    equals: deepEqual,
    arbitrary: (ctx) => template.impl.arbitrary(ctx) as Arb<A> | null,
    merge,
    message: { template, group },
  }
}
