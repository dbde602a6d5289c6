/**
 * The compiled form against the interpreter, through the public API only
 * (`encode`, `decode`, `setCodeGeneration`, and `bails` from src/bail.ts).
 *
 * - For generated templates (test/gen.ts: every combinator, nested — every
 *   host type as hole, constant, default and list; embedded messages and
 *   groups; both forms of oneof; unknownFields; hostType; recursion through
 *   lazy), encode of a generated value and decode of its canonical bytes
 *   take no bail with code generation on, and give exactly the
 *   interpreter's bytes and value; and the compiled form is shown to be in
 *   place for each (a malformed input bails with code generation on).
 * - On mutated input, and under a small depth limit, decode with code
 *   generation on and off gives the same value or the same error; generated
 *   values with a wrong value put anywhere in them encode to the same error
 *   (or, where the value is not wrong after all, the same bytes, no bail).
 * - Merging, inlined packed runs, inlined UTF-8 validation, and the guards
 *   by which compiled code picks an alternative and checks a value, against
 *   the interpreter.
 *
 * PROTOPLATE_RUNS sets the number of generated templates (default 300),
 * PROTOPLATE_SEED the seed (default: chosen once per run, and logged).
 */
import { isDeepStrictEqual } from 'node:util'
import test from 'ava'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { bails } from '../src/bail.js'
import type { AnyHostType, AnyTemplate } from '../src/core.js'
import * as P from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { cases, hosts } from './gen.js'
import { decodeBoth, differ, enc, encodeBoth, encodeError, hex, interpreted, SEED, show, toHex, utf8ishBytes, validUtf8Bytes } from './helpers.js'

const RUNS = Number(process.env['PROTOPLATE_RUNS'] ?? 300)


/** Bails taken by `f`, with code generation on. */
function bailsOf<T>(f: () => T): [T, number] {
  P.setCodeGeneration(true)
  const before = bails.count
  const r = f()
  return [r, bails.count - before]
}

/** Decode and encode with code generation on and off. */
function both(template: AnyTemplate, bytes: Uint8Array): [E.Either<P.ProtoError, unknown>, E.Either<P.ProtoError, unknown>] {
  const [compiled] = bailsOf(() => P.decode(template, bytes))
  return [compiled, interpreted(() => P.decode(template, bytes))]
}

test(`compiled encode and decode take every generated template's values and canonical bytes themselves, and give the interpreter's (${RUNS} templates, seed ${SEED})`, (t) => {
  const samples = fc.sample(cases, { numRuns: RUNS, seed: SEED })
  let compiledRan = 0
  let interpretedRan = 0
  const failures: string[] = []
  samples.forEach((c, i) => {
    const context = () => `case ${i} (seed ${SEED}): spec ${show(c.spec)} tags ${c.seed}\nvalue ${show(c.value)}`
    // The compiled form is in place: bad input (a truncated tag) is handed to the interpreter, once.
    const [, probe] = bailsOf(() => P.decode(c.template, Uint8Array.of(0x80)))
    if (probe !== 1) failures.push(`${context()}\na truncated tag took ${probe} bails, not 1: no compiled form?`)
    const [fast, encodeBails] = bailsOf(() => P.encode(c.template, c.value))
    if (E.isLeft(fast)) {
      failures.push(`${context()}\nencode failed: ${fast.left.message}`)
      return
    }
    const [back, decodeBails] = bailsOf(() => P.decode(c.template, fast.right))
    if (encodeBails + decodeBails === 0 && probe === 1) compiledRan++
    else failures.push(`${context()}\nbails: encode ${encodeBails}, decode ${decodeBails}`)
    const slow = interpreted(() => P.encode(c.template, c.value))
    const slowBack = interpreted(() => P.decode(c.template, fast.right))
    interpretedRan++
    const bytesDiffer = differ(fast, slow)
    if (bytesDiffer !== undefined) failures.push(`${context()}\nencode: compiled ≠ interpreted: ${bytesDiffer}`)
    const valuesDiffer = differ(back, slowBack)
    if (valuesDiffer !== undefined) failures.push(`${context()}\ndecode: compiled ≠ interpreted: ${valuesDiffer}`)
    if (E.isRight(back) && !isDeepStrictEqual(back.right, c.value)) failures.push(`${context()}\ndecoded ${show(back.right)}`)
  })
  t.log(`seed ${SEED}: ${samples.length} generated templates; the compiled form ran ${compiledRan} of them with no bail, the interpreter ${interpretedRan}`)
  t.is(failures.length, 0, failures.slice(0, 3).join('\n\n'))
  t.is(compiledRan, RUNS)
  t.is(interpretedRan, RUNS)
})

test(`on mutated input, decode gives the same value or error with and without compiled code (seed ${SEED})`, (t) => {
  const mutated = cases.chain(({ template, value }) => {
    const bytes = interpreted(() => P.encodeOrThrow(template, value))
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
    fc.property(mutated, ({ template, bytes }) => {
      const why = differ(...both(template, bytes))
      if (why !== undefined) throw new Error(`${why}\nbytes ${Buffer.from(bytes).toString('hex')}`)
    }),
    { numRuns: RUNS * 3, seed: SEED },
  )
  t.pass()
})

/** Every place in a value (arrays, records, and the domain objects of host types), by a path of keys. */
function places(v: unknown, at: readonly (string | number)[] = []): (readonly (string | number)[])[] {
  const out = [at]
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...places(x, [...at, i])))
  else if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) for (const k of Object.keys(v)) out.push(...places((v as Record<string, unknown>)[k], [...at, k]))
  return out
}

/** A copy of `v` with the place `path` replaced by `x` (or, for an array or record, with `x` added). */
function replaced(v: unknown, path: readonly (string | number)[], x: unknown): unknown {
  if (path.length === 0) return x
  const [k, ...rest] = path as [string | number, ...(string | number)[]]
  if (Array.isArray(v)) return v.map((y, i) => (i === k ? replaced(y, rest, x) : y))
  const r = v as Record<string, unknown>
  return { ...r, [k]: replaced(r[k], rest, x) }
}

const wrong = fc.oneof(
  fc.constantFrom(undefined, null, -1, -0, 0.5, NaN, Infinity, 2 ** 53, 2 ** 32, 2n ** 64n, -1n, '', '\ud800', 'zero', true, [], {}, new Uint8Array(1), [1.5], { tag: 'x' }),
  fc.anything({ maxDepth: 1 }),
)

test(`wrong values give the same error (or the same bytes) in both forms (seed ${SEED})`, (t) => {
  let errors = 0
  fc.assert(
    fc.property(cases, fc.nat(), wrong, ({ template, value }, at, x) => {
      const ps = places(value)
      const v = replaced(value, ps[at % ps.length]!, x)
      // A wrong value is handed to the interpreter for its error; one that is not wrong after all must take no bail.
      if (E.isLeft(encodeBoth(template, v))) errors++
    }),
    { numRuns: RUNS * 3, seed: SEED },
  )
  t.log(`${errors} of ${RUNS * 3} values were errors, the same in both forms`)
  t.true(errors > 0)
})

// BUG (compiled code, src/): a tuple-form oneof picks the first alternative
// whose guard accepts the value. For an embedded message alternative whose
// message holds a hostType with an `is`, the interpreter's guard asks that
// `is` (through the message's check) and the compiled guard does not: the
// compiled encode writes a value that the interpreter rejects with
// "no alternative of oneof(1) accepts" (found by the wrong-values test
// above, seed 559258586). Remove `.failing` when fixed.
test('a tuple-form oneof asks the `is` of a hostType inside an embedded alternative, in both forms', (t) => {
  interface Tagged {
    readonly tag: 'h'
    readonly value: readonly [number]
  }
  const h = P.hostType('h', P.protobuf([P.unsigned(1)]), {
    decode: (a): Tagged => ({ tag: 'h', value: a }),
    encode: (d) => d.value,
    is: (u): u is Tagged => typeof u === 'object' && u !== null && (u as Tagged).tag === 'h',
  })
  const pick = P.protobuf([P.oneof([P.embedded(1, P.protobuf([h(2)]))])])
  t.is(toHex(enc(pick, [[{ tag: 'h', value: [1] }]])), '0a 04 12 02 08 01')
  // Not an `h`, by its `is`: the compiled code once wrote 0a 04 12 02 08 01.
  encodeError(t, pick, [[{ tag: 'other', value: [1] } as unknown as Tagged]], { kind: 'invalid-value', path: 'oneof' })
})

test(`a small depth limit gives the same value or error in both forms (seed ${SEED})`, (t) => {
  let limited = 0
  fc.assert(
    fc.property(cases, fc.nat(4), ({ template, value }, maxDepth) => {
      const bytes = interpreted(() => P.encodeOrThrow(template, value))
      // Past the limit, the compiled code hands the input over for the error.
      if (E.isLeft(decodeBoth(template, bytes, { bails: true, options: { maxDepth } }))) limited++
    }),
    { numRuns: RUNS, seed: SEED },
  )
  t.log(`${limited} of ${RUNS} decodes went past the depth limit`)
  t.pass()
})

test('a message field that occurs twice is merged, by the interpreter, with the same result', (t) => {
  const inner = P.message({ a: P.optional(P.unsigned(1)), b: P.repeated(2, P.atom) })
  const outer = P.message({ m: P.embedded(1, inner) })
  // m once as {a: 1, b: [x]}, then again as {b: [y]}: merged, a kept and b appended.
  const bytes = Uint8Array.from([0x0a, 0x05, 0x08, 0x01, 0x12, 0x01, 0x78, 0x0a, 0x03, 0x12, 0x01, 0x79])
  const [merged, taken] = bailsOf(() => decodeBoth(outer, bytes, { bails: true }))
  t.deepEqual(E.isRight(merged) && merged.right, { m: { a: 1, b: ['x', 'y'] } })
  t.true(taken >= 1, 'merging is the interpreter’s')
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
    const got = decodeBoth(template, hex(bytes)) // both forms, the same
    if (typeof want === 'string') t.is(E.isLeft(got) ? got.left.kind : 'no error', want, what)
    else t.deepEqual(E.isRight(got) ? (got.right as { xs: unknown }).xs : got.left, want, what)
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
      const bytes = Buffer.concat(parts.map(([unpacked, xs]) => interpreted(() => P.encodeOrThrow(unpacked ? one : packed, { xs }))))
      // Several parts are not canonical: the compiled code may hand them over.
      const got = decodeBoth(packed, bytes, { bails: parts.length > 1 })
      const want = parts.flatMap(([, xs]) => xs)
      return E.isRight(got) && isDeepStrictEqual(got.right.xs, want)
    }),
    // A whole number: fast-check does not end with a fractional numRuns.
    { numRuns: Math.max(1, Math.round(RUNS / 3)), seed: SEED },
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
      const got = decodeBoth(text, bytes) // both forms, the same
      t.is(E.isRight(got) ? got.right.s : got.left.kind, want)
    }),
    { numRuns: 3000, seed: SEED },
  )
})

// The guards by which compiled code checks a value and picks a oneof
// alternative, held to the interpreter's through encode: a field of each
// scalar type, and a tuple-form oneof whose first alternative is of that
// type, given values of every kind, must encode to the same bytes or fail
// with the same error in both forms.
test("every scalar's guard says what its check says, in both forms", (t) => {
  const junk = fc.oneof(
    fc.anything(),
    fc.double(),
    fc.integer(),
    fc.bigInt(),
    fc.constantFrom(2 ** 53, -(2 ** 53), 2 ** 32, -1, 0.5, -0, NaN, Infinity, 2n ** 64n, -(2n ** 63n) - 1n, '\ud800', 'e_closed', 'zero'),
  )
  for (const [name, host] of Object.entries(hosts) as [string, AnyHostType][]) {
    const guard = host.impl.guard
    const values = fc.oneof(arbitrary(host), junk)
    if (guard !== undefined) {
      fc.assert(
        fc.property(values, (v) => guard(v) === (host.impl.check(v, 0) === undefined)),
        { numRuns: 500, examples: [[undefined], [null]], seed: SEED },
      )
    }
    const field = P.protobuf([host(1)])
    // A oneof's other alternative takes what the first does not, where it can: a message of one atom.
    const pick = P.protobuf([P.oneof([host(1), P.embedded(2, P.protobuf([P.atom(1)]))])])
    fc.assert(
      fc.property(values, (v) => {
        encodeBoth(field, [v]) // throws if the forms differ
        encodeBoth(pick, [v])
      }),
      { numRuns: 500, examples: [[undefined], [null]], seed: SEED },
    )
    t.log(name)
  }
  t.pass()
})
