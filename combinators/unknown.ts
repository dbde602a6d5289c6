/**
 * Capturing unknown fields, so that a message read by an older template is
 * written back whole.
 *
 * @module
 */
import { fcOf } from '../src/arb.js'
import { type Field, type FieldImpl, problem, type Problem, raise, show } from '../src/core.js'
import { ProtoError } from '../src/errors.js'
import { makeField } from './host.js'
import type { UnknownSink } from '../src/message.js'
import { MAX_FIELD_NUMBER, Reader, WireType, Writer } from '../src/wire.js'

/**
 * A field that captures every field of its message that the template does
 * not know (or knows with another wire type), as their raw bytes in wire
 * order, and writes them back where it stands:
 *
 * ```ts
 * const v1 = message({ id: unsigned(1), rest: unknownFields() })
 * decode(v1, bytes) // { id: 1, rest: Uint8Array [0x12, 0x01, 0x78] } for 08 01 12 01 78
 * ```
 *
 * Its value is absent (`undefined`) when there are none. Without it,
 * unknown fields are skipped.
 */
export function unknownFields(): Field<Uint8Array | undefined, 'optional'> {
  const impl: FieldImpl & UnknownSink = {
    shape: { kind: 'unknown' },
    unknownSink: true,
    tags: [],
    presence: 'optional',
    label: 'unknownFields',
    pathTag: undefined,
    singular: false,
    accepts: () => false,
    init: () => [],
    read: () => {
      throw new Error('unreachable: unknownFields claims no tag')
    },
    finish(slot: unknown): Uint8Array | undefined {
      const chunks = slot as Uint8Array[]
      if (chunks.length === 0) return undefined
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
      let at = 0
      for (const c of chunks) {
        out.set(c, at)
        at += c.length
      }
      return out
    },
    write(w: Writer, v: unknown): void {
      const p = check(v)
      if (p !== undefined) raise(p)
      if (v !== undefined) w.raw(v as Uint8Array)
    },
    check,
    arbitrary(ctx) {
      const fc = fcOf(ctx)
      const used = ctx.usedTags ?? new Set<number>()
      const fieldNumber = fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 20000, max: MAX_FIELD_NUMBER }))
        .filter((n) => !used.has(n))
      const one = fc.tuple(fieldNumber, fc.constantFrom(0, 1, 2, 3, 5), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.uint8Array({ maxLength: 8 }))
        .map(([n, wt, big, bytes]) => {
          const w = new Writer(16)
          w.tag(n, wt as WireType)
          if (wt === WireType.VARINT) w.varint64(Number(big & 0xffffffffn), Number(big >> 32n))
          else if (wt === WireType.I64) w.fixed64(Number(big & 0xffffffffn), Number(big >> 32n))
          else if (wt === WireType.I32) w.fixed32(Number(big & 0xffffffffn))
          else if (wt === WireType.LEN) w.bytes(bytes)
          else {
            w.tag(1, WireType.VARINT)
            w.uint32(bytes.length)
            w.tag(n, WireType.EGROUP)
          }
          return w.finish()
        })
      return fc.option(
        fc.array(one, { minLength: 1, maxLength: 3 }).map((cs) => {
          const w = new Writer(64)
          for (const c of cs) w.raw(c)
          return w.finish()
        }),
        { nil: undefined },
      )
    },
  }
  return makeField<Uint8Array | undefined, 'optional'>(impl as typeof impl & { presence: 'optional' })
}

/** Captured bytes must be whole fields, or they would corrupt what follows them. */
function check(v: unknown): Problem | undefined {
  if (v === undefined) return undefined
  if (!(v instanceof Uint8Array)) return problem('invalid-value', `expected a Uint8Array of fields, got ${show(v)}`)
  const r = new Reader(v)
  try {
    while (r.pos < r.end) {
      const at = r.pos
      const tag = r.tag()
      r.skip(tag, at, 100)
    }
  } catch (e) {
    if (e instanceof ProtoError) return problem('invalid-value', `captured unknown fields are not whole fields: ${e.message}`)
    throw e
  }
  return undefined
}
