/**
 * The compiled codecs against the interpreter. For generated templates
 * (every combinator, nested), the compiled encode and decode must take
 * canonical values and bytes without handing them to the interpreter, and
 * give exactly what the interpreter gives. On malformed and mutated input,
 * decode with code generation on and off must give the same value or the
 * same error. And the guards by which compiled code picks an alternative
 * must say what the checks say.
 */
import { isDeepStrictEqual } from 'node:util'
import test from 'ava'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { compiledOf, setCodeGeneration } from '../src/compile.js'
import type { AnyHostType, AnyTemplate, Gen } from '../src/core.js'
import * as P from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { build, hosts, templateCase } from './gen.js'
import { hex, toHex, utf8ishBytes, validUtf8Bytes } from './helpers.js'

const RUNS = Number(process.env['PROTOPLATE_RUNS'] ?? 300)

const cases = templateCase.chain(([spec, seed]) => {
  const template = build(spec, seed)
  return arbitrary(template).map((value) => ({ template, value }))
})

function interpretedBytes(t: AnyTemplate, v: unknown): Uint8Array {
  const w = new P.Writer()
  t.impl.write(w, v, { depth: 0, maxDepth: 100 })
  return w.finish()
}

test('compiled encode takes every generated value itself, and writes the interpreter’s bytes', (t) => {
  fc.assert(
    fc.property(cases, ({ template, value }) => {
      const unit = compiledOf(template.impl)!
      const w = new P.Writer()
      unit.encode(w, value, { depth: 0, maxDepth: 100 }) // throws if it hands the value over
      return toHex(w.finish()) === toHex(interpretedBytes(template, value))
    }),
    { numRuns: RUNS },
  )
  t.pass()
})

test('compiled decode takes every canonical encoding itself, and reads the same value', (t) => {
  fc.assert(
    fc.property(cases, ({ template, value }) => {
      const unit = compiledOf(template.impl)!
      const bytes = interpretedBytes(template, value)
      const r = new P.Reader(bytes)
      const back = unit.decode(r, r.end, { depth: 0, maxDepth: 100 }, 0)
      return isDeepStrictEqual(back, value) && r.pos === bytes.length
    }),
    { numRuns: RUNS },
  )
  t.pass()
})

/** Decode with code generation on and off. */
function both(template: AnyTemplate, bytes: Uint8Array): [E.Either<P.ProtoError, unknown>, E.Either<P.ProtoError, unknown>] {
  const compiled = P.decode(template, bytes)
  setCodeGeneration(false)
  try {
    return [compiled, P.decode(template, bytes)]
  } finally {
    setCodeGeneration(true)
  }
}

const same = (a: E.Either<P.ProtoError, unknown>, b: E.Either<P.ProtoError, unknown>): boolean =>
  E.isRight(a) && E.isRight(b)
    ? isDeepStrictEqual(a.right, b.right)
    : E.isLeft(a) && E.isLeft(b) && a.left.kind === b.left.kind && a.left.offset === b.left.offset && P.formatPath(a.left.path) === P.formatPath(b.left.path)

test('on mutated input, decode gives the same value or error with and without compiled code', (t) => {
  const mutated = cases.chain(({ template, value }) => {
    const bytes = interpretedBytes(template, value)
    return fc
      .array(fc.tuple(fc.nat(), fc.nat(255), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 3 })
      .map((edits) => {
        const b = Array.from(bytes)
        for (const [at, byte, op] of edits) {
          const i = b.length === 0 ? 0 : at % (b.length + (op === 'insert' ? 1 : 0))
          if (op === 'set' && b.length > 0) b[i % b.length] = byte
          else if (op === 'insert') b.splice(i, 0, byte)
          else if (b.length > 0) b.splice(i % b.length, 1)
        }
        return { template, bytes: Uint8Array.from(b) }
      })
  })
  fc.assert(
    fc.property(mutated, ({ template, bytes }) => same(...both(template, bytes))),
    { numRuns: RUNS * 3 },
  )
  t.pass()
})

test('a message field that occurs twice is merged, by the interpreter, with the same result', (t) => {
  const inner = P.message({ a: P.optional(P.unsigned(1)), b: P.repeated(2, P.atom) })
  const outer = P.message({ m: P.embedded(1, inner) })
  // m once as {a: 1, b: [x]}, then again as {b: [y]}: merged, a kept and b appended.
  const bytes = Uint8Array.from([0x0a, 0x05, 0x08, 0x01, 0x12, 0x01, 0x78, 0x0a, 0x03, 0x12, 0x01, 0x79])
  const [compiled, interpreted] = both(outer, bytes)
  t.true(same(compiled, interpreted))
  t.deepEqual(E.isRight(compiled) && compiled.right, { m: { a: 1, b: ['x', 'y'] } })
})

// The inlined reads of packed runs stop where they do not take a value and
// leave the rest to the general path; these are the places they stop.
test('packed runs read inline give what the interpreter gives at every edge', (t) => {
  const runs: [string, AnyTemplate, string, unknown][] = [
    // [what, template, bytes, value or the error kind]
    ['zigzag, every length', P.message({ xs: P.packed(1, P.integer) }), '0a 0d 01 02 80 01 ff ff ff 0f 80 80 80 80 01', [-1, 1, 64, -16777216, 134217728]],
    ['zigzag, a varint running past the run', P.message({ xs: P.packed(1, P.integer) }), '0a 02 01 80 01', 'truncated'],
    ['zigzag, 11 bytes', P.message({ xs: P.packed(1, P.integer) }), '0a 0b ff ff ff ff ff ff ff ff ff ff 01', 'malformed-varint'],
    ['zigzag, beyond 2^53', P.message({ xs: P.packed(1, P.integer) }), '0a 0a 01 ff ff ff ff ff ff ff ff 01', 'out-of-range'],
    ['unsigned, 2^53 − 1 then beyond', P.message({ xs: P.packed(1, P.unsigned) }), '0a 10 ff ff ff ff ff ff ff 0f 80 80 80 80 80 80 80 10', 'out-of-range'],
    ['int64 −1 in 10 bytes', P.message({ xs: P.packed(1, P.signed64) }), '0a 0b ff ff ff ff ff ff ff ff ff 01 05', [-1, 5]],
    ['doubles, a run of 7 bytes', P.message({ xs: P.packed(1, P.double) }), '0a 07 00 00 00 00 00 00 00', 'truncated'],
    ['floats', P.message({ xs: P.packed(1, P.float) }), '0a 08 00 00 80 3f 00 00 00 c0', [1, -2]],
  ]
  for (const [what, template, bytes, want] of runs) {
    const [compiled, interpreted] = both(template, hex(bytes))
    t.true(same(compiled, interpreted), what)
    if (typeof want === 'string') t.is(E.isLeft(compiled) ? compiled.left.kind : 'no error', want, what)
    else t.deepEqual(E.isRight(compiled) ? (compiled.right as { xs: unknown }).xs : compiled.left, want, what)
  }
})

// A run's array is sized from an estimate of its count taken from its first
// 256 bytes: runs that begin with short varints and go on with long ones
// (an estimate too high), or the other way round (too low), and runs after
// elements already read, must all come out as the interpreter reads them.
test('long packed runs read inline give what the interpreter gives, whatever the estimate of their length', (t) => {
  const kinds = [
    { packed: P.message({ xs: P.packed(1, P.integer) }), one: P.message({ xs: P.repeated(1, P.integer) }), small: fc.integer({ min: -60, max: 60 }), large: fc.maxSafeInteger() },
    { packed: P.message({ xs: P.packed(1, P.unsigned) }), one: P.message({ xs: P.repeated(1, P.unsigned) }), small: fc.nat(127), large: fc.maxSafeNat() },
    { packed: P.message({ xs: P.packed(1, P.signed64) }), one: P.message({ xs: P.repeated(1, P.signed64) }), small: fc.nat(127), large: fc.maxSafeInteger() },
    { packed: P.message({ xs: P.packed(1, P.double) }), one: P.message({ xs: P.repeated(1, P.double) }), small: fc.double({ noNaN: true }), large: fc.double({ noNaN: true }) },
  ]
  const input = fc.integer({ min: 0, max: kinds.length - 1 }).chain((k) => {
    const { small, large } = kinds[k]!
    const run = fc.tuple(fc.array(small, { maxLength: 600, size: 'max' }), fc.array(large, { maxLength: 300, size: 'max' }), fc.boolean()).map(([a, b, smallFirst]) => (smallFirst ? [...a, ...b] : [...b, ...a]))
    return fc.tuple(fc.constant(k), fc.array(fc.tuple(fc.boolean(), run), { minLength: 1, maxLength: 3 }))
  })
  fc.assert(
    fc.property(input, ([k, parts]) => {
      const { packed, one } = kinds[k]!
      // A part is a packed run, or its values one by one, unpacked.
      const bytes = Buffer.concat(parts.map(([unpacked, xs]) => interpretedBytes(unpacked ? one : packed, { xs })))
      const [compiled, interpreted] = both(packed, bytes)
      const want = parts.flatMap(([, xs]) => xs)
      return same(compiled, interpreted) && E.isRight(compiled) && isDeepStrictEqual((compiled.right as { xs: unknown }).xs, want)
    }),
    { numRuns: RUNS / 3 },
  )
  t.pass()
})

test('a short string read inline validates as a fatal TextDecoder does', (t) => {
  const fatal = new TextDecoder('utf-8', { fatal: true })
  const text = P.message({ s: P.string(1) })
  fc.assert(
    fc.property(fc.oneof(utf8ishBytes(127), validUtf8Bytes(40)), (payload) => {
      const bytes = Uint8Array.from([0x0a, payload.length, ...payload])
      let want: string
      try {
        want = fatal.decode(Uint8Array.from(payload))
      } catch {
        want = 'invalid-utf8'
      }
      const got = P.decode(text, bytes)
      t.is(E.isRight(got) ? got.right.s : got.left.kind, want)
      const [compiled, interpreted] = both(text, bytes)
      t.true(same(compiled, interpreted))
    }),
    { numRuns: 3000 },
  )
})

test("every scalar's guard (and its inlined source) says what its check says", (t) => {
  const junk = fc.oneof(
    fc.anything(),
    fc.double(),
    fc.integer(),
    fc.bigInt(),
    fc.constantFrom(2 ** 53, -(2 ** 53), 2 ** 32, -1, 0.5, -0, NaN, Infinity, 2n ** 64n, -(2n ** 63n) - 1n, '\ud800', 'e_closed', 'zero'),
  )
  for (const [name, host] of Object.entries(hosts) as [string, AnyHostType][]) {
    const guard = host.impl.guard
    if (guard === undefined) continue
    const values = fc.oneof(arbitrary(host), junk)
    fc.assert(
      fc.property(values, (v) => guard(v) === (host.impl.check(v, 0) === undefined)),
      { numRuns: 500, examples: [[undefined], [null]] },
    )
    // The guard as the compiler inlines it, where the host gives its source.
    const is = host.impl.emit?.is
    if (is !== undefined) {
      const refs: unknown[] = []
      const g = { ref: (r: unknown) => `R[${refs.push(r) - 1}]` } as Gen
      const src = is(g, 'x')
      const inlined = new Function('R', 'x', `return ${src}`) as (R: unknown[], x: unknown) => boolean
      fc.assert(
        fc.property(values, (v) => inlined(refs, v) === guard(v)),
        { numRuns: 500, examples: [[undefined], [null]] },
      )
    }
    t.log(name)
  }
  t.pass()
})
