/**
 * Laws over generated templates (random nesting of every combinator) and
 * their generated values: decode ∘ encode = id; encode ∘ decode = id on
 * canonical bytes; field order, unknown fields and packing do not change
 * what decodes.
 *
 * PROTOPLATE_RUNS sets the number of generated templates (default 300),
 * PROTOPLATE_SEED the seed (default: chosen once per run, and logged).
 */
import { isDeepStrictEqual } from 'node:util'
import test from 'ava'
import * as fc from 'fast-check'
import * as P from '../src/index.js'
import { ioTsType } from '../src/testing.js'
import type { AnyTemplate } from '../src/core.js'
import { build, captures, type Case, cases, swapPacking } from './gen.js'
import { concat, dec, enc, SEED, toHex } from './helpers.js'

const RUNS = Number(process.env['PROTOPLATE_RUNS'] ?? 300)


const show = (c: Case) => JSON.stringify({ spec: c.spec, seed: c.seed }, (_, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Array.from(v) : v))

/** The top-level fields of a message, each as its raw bytes with its field number. */
function fieldsOf(bytes: Uint8Array): { n: number; bytes: Uint8Array }[] {
  const r = new P.Reader(bytes)
  const out: { n: number; bytes: Uint8Array }[] = []
  while (r.pos < r.end) {
    const start = r.pos
    const tag = r.tag()
    r.skip(tag, start, 1000)
    out.push({ n: tag >>> 3, bytes: bytes.subarray(start, r.pos) })
  }
  return out
}

/** The tags the top level of a template claims. */
const claimed = (t: AnyTemplate): Set<number> => new Set(t.impl.fields.flatMap((f) => [...f.tags]))

test('decode(encode(v)) = v for generated templates and values', (t) => {
  fc.assert(
    fc.property(cases, (c) => {
      const back = dec(c.template, enc(c.template, c.value))
      if (!isDeepStrictEqual(back, c.value)) throw new Error(`${show(c)}\nvalue ${String(c.value)}`)
    }),
    { numRuns: RUNS },
  )
  t.log(`seed ${SEED}, ${RUNS} generated templates`)
  t.pass()
})

test('encode(decode(b)) = b on canonical bytes', (t) => {
  fc.assert(
    fc.property(cases, (c) => {
      const bytes = enc(c.template, c.value)
      return toHex(enc(c.template, dec(c.template, bytes))) === toHex(bytes)
    }),
    { numRuns: RUNS },
  )
  t.log(`seed ${SEED}, ${RUNS} generated templates`)
  t.pass()
})

test('fields in any order decode to the same value', (t) => {
  fc.assert(
    fc.property(cases, fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), (c, choices) => {
      const known = claimed(c.template)
      // Occurrences of one field keep their order (list order, merge order),
      // and so do unknown fields among themselves (a capture keeps wire order).
      const queues = new Map<string, Uint8Array[]>()
      for (const f of fieldsOf(enc(c.template, c.value))) {
        const key = known.has(f.n) ? String(f.n) : 'unknown'
        queues.set(key, [...(queues.get(key) ?? []), f.bytes])
      }
      const parts: Uint8Array[] = []
      let i = 0
      while (queues.size > 0) {
        const keys = [...queues.keys()]
        const key = keys[choices[i++ % choices.length]! % keys.length]!
        const q = queues.get(key)!
        parts.push(q.shift()!)
        if (q.length === 0) queues.delete(key)
      }
      return isDeepStrictEqual(dec(c.template, concat(...parts)), c.value)
    }),
    { numRuns: RUNS },
  )
  t.log(`seed ${SEED}, ${RUNS} generated templates`)
  t.pass()
})

/** An unknown field of each wire type, with a field number the template does not use. */
function unknownField(n: number, wireType: number, payload: Uint8Array): Uint8Array {
  const w = new P.Writer(16)
  w.tag(n, wireType as P.WireType)
  switch (wireType) {
    case 0:
      w.varint64(payload[0] ?? 0, payload[1] ?? 0)
      break
    case 1:
      w.fixed64(payload[0] ?? 0, payload[1] ?? 0)
      break
    case 2:
      w.bytes(payload)
      break
    case 3:
      w.tag(1, 0)
      w.uint32(payload.length)
      w.tag(n, 4)
      break
    default:
      w.fixed32(payload[0] ?? 0)
  }
  return w.finish()
}

test('unknown fields of every wire type, anywhere, do not change the value', (t) => {
  const insertion = fc.record({
    n: fc.integer({ min: 1, max: 2 ** 29 - 1 }).filter((n) => n < 19000 || n > 19999),
    wireType: fc.constantFrom(0, 1, 2, 3, 5),
    payload: fc.uint8Array({ maxLength: 6 }),
    at: fc.nat(),
  })
  fc.assert(
    fc.property(cases, fc.array(insertion, { minLength: 1, maxLength: 4 }), (c, inserts) => {
      if (captures(c.spec)) return true
      const known = claimed(c.template)
      const fields = fieldsOf(enc(c.template, c.value)).map((f) => f.bytes)
      for (const ins of inserts) {
        if (known.has(ins.n)) continue
        fields.splice(ins.at % (fields.length + 1), 0, unknownField(ins.n, ins.wireType, ins.payload))
      }
      return isDeepStrictEqual(dec(c.template, concat(...fields)), c.value)
    }),
    { numRuns: RUNS },
  )
  t.log(`seed ${SEED}, ${RUNS} generated templates`)
  t.pass()
})

test('packed and unpacked encodings decode to the same value', (t) => {
  fc.assert(
    fc.property(cases, (c) => {
      const swapped = build(swapPacking(c.spec), c.seed)
      const bytes = enc(swapped, c.value)
      return isDeepStrictEqual(dec(c.template, bytes), c.value) && isDeepStrictEqual(dec(swapped, enc(c.template, c.value)), c.value)
    }),
    { numRuns: RUNS },
  )
  t.log(`seed ${SEED}, ${RUNS} generated templates`)
  t.pass()
})

test('decodePrefix of an encoding followed by anything reads the value back', (t) => {
  fc.assert(
    fc.property(cases, (c) => {
      const bytes = enc(c.template, c.value)
      const r = P.decodePrefix(c.template, bytes)
      return r._tag === 'Right' && isDeepStrictEqual(r.right.value, c.value) && r.right.rest.length === 0
    }),
    { numRuns: RUNS },
  )
  t.log(`seed ${SEED}, ${RUNS} generated templates`)
  t.pass()
})

test("a template's io-ts codec accepts its generated values", (t) => {
  fc.assert(
    fc.property(cases, (c) => ioTsType(c.template).is(c.value)),
    { numRuns: RUNS },
  )
  t.log(`seed ${SEED}, ${RUNS} generated templates`)
  t.pass()
})
