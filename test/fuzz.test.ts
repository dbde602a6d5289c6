/**
 * Fuzzing: random bytes, and mutations of valid encodings (bit flips,
 * truncation, insertion, length bumps, splices, huge claimed lengths), fed
 * to templates flat, nested, recursive, with groups and with packed fields.
 * Decode must return a value or a ProtoError: never throw anything else,
 * never hang (ava's timeout would catch it), and a value it returns must
 * encode, and decode again to itself.
 *
 * Every input is decoded with code generation on and off, which must give
 * the same value or the same error; a decoded value must encode in both
 * forms to the same bytes (taking no bail: it is a valid value).
 *
 * Random bytes and mutations seldom decode, so each template also gets
 * mutations that do: of a valid encoding, the most mutated form that still
 * decodes, or else the encoding with an unknown field added (which always
 * does). Each test logs how many of its inputs decoded and so reached the
 * re-encode check, and the last asserts that every input did.
 *
 * PROTOPLATE_FUZZ sets the inputs per template and kind (default 12,000:
 * with 5 templates and 3 kinds, 180,000 inputs a run); PROTOPLATE_SEED the
 * seed (default: chosen once per run, and logged).
 */
import { isDeepStrictEqual } from 'node:util'
import test from 'ava'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as P from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { concat, decodeBoth, encodeBoth, hex, SEED, show } from './helpers.js'

const RUNS = Number(process.env['PROTOPLATE_FUZZ'] ?? 12_000)

interface Node {
  readonly label: string
  readonly kids: Node[]
  readonly weight?: number | undefined
}
const tree: P.Template<Node> = P.lazy(() =>
  P.message({ label: P.atom(1), kids: P.repeatedEmbedded(2, tree), weight: P.optional(P.float(3)) }),
)
interface G {
  readonly n: number
  readonly inner?: G | undefined
}
const groupTree: P.Template<G> = P.lazy(() => P.message({ n: P.integer(1), inner: P.optional(P.group(2, groupTree)) }))

const templates: [string, P.Template<any>][] = [
  ['flat', P.message({ id: P.unsigned(1), name: P.string(2), ok: P.boolean(3), d: P.optional(P.double(4)), raw: P.defaulted(P.bytes(5)), big: P.optional(P.integerBig(6)) })],
  [
    'nested',
    P.message({
      people: P.repeatedEmbedded(1, P.message({ name: P.string(1), id: P.unsigned32(2), phones: P.repeated(3, P.atom), kind: P.defaulted(P.enumeration('k', { a: 0, b: 1 })(4)) })),
      owner: P.optional(P.embedded(2, P.protobuf([P.utf8Codes(1), P.fixed64(2)]))),
      pick: P.optional(P.oneof({ n: P.sint32(3), s: P.string(4) })),
    }),
  ],
  ['recursive', tree],
  ['groups', P.message({ g: P.repeated(1, P.group(groupTree)), h: P.optional(P.group(2, [P.double(1), P.optional(P.unsigned(2))])) })],
  ['packed', P.message({ i: P.packed(1, P.integer), d: P.packed(2, P.double), f: P.packed(3, P.fixed32), b: P.packed(4, P.boolean), u: P.repeated(5, P.unsigned64Big), e: P.packed(6, P.enumeration('e', { x: 0, y: -1 }, { open: true })) })],
]

type Mutation =
  | { readonly op: 'flip'; readonly at: number; readonly bit: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'bump'; readonly at: number; readonly by: number }
  | { readonly op: 'splice'; readonly from: number; readonly to: number; readonly length: number }
  | { readonly op: 'claim'; readonly at: number; readonly bytes: Uint8Array }

/** Length prefixes that claim much: 2^31 − 1, 2^31, 2^32 − 1, 2^64 − 1, 2^28. */
const hugeLengths = ['ff ff ff ff 07', '80 80 80 80 08', 'ff ff ff ff 0f', 'ff ff ff ff ff ff ff ff ff 01', '80 80 80 80 01'].map(hex)

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
  fc.record({ op: fc.constant('bump' as const), at: fc.nat(), by: fc.integer({ min: -3, max: 3 }).filter((n) => n !== 0) }),
  fc.record({ op: fc.constant('splice' as const), from: fc.nat(), to: fc.nat(), length: fc.integer({ min: 1, max: 24 }) }),
  fc.record({ op: fc.constant('claim' as const), at: fc.nat(), bytes: fc.constantFrom(...hugeLengths) }),
)

function mutate(input: Uint8Array, m: Mutation): Uint8Array {
  const n = input.length
  const b = Array.from(input)
  switch (m.op) {
    case 'flip':
      if (n > 0) b[m.at % n]! ^= 1 << m.bit
      return Uint8Array.from(b)
    case 'truncate':
      return input.slice(0, n === 0 ? 0 : m.at % n)
    case 'insert':
      b.splice(m.at % (n + 1), 0, ...m.bytes)
      return Uint8Array.from(b)
    case 'bump': {
      // Aim at a length prefix: the byte after the next length-delimited tag.
      if (n === 0) return input
      let at = m.at % n
      for (let i = at; i < n - 1; i++) {
        if ((b[i]! & 7) === 2) {
          at = i + 1
          break
        }
      }
      b[at] = (b[at]! + m.by) & 0xff
      return Uint8Array.from(b)
    }
    case 'splice': {
      // Copy a run of the input over another place in it.
      if (n === 0) return input
      const from = m.from % n
      const run = b.slice(from, from + m.length)
      b.splice(m.to % n, run.length, ...run)
      return Uint8Array.from(b)
    }
    case 'claim': {
      // Put a huge length after a length-delimited tag (or anywhere).
      let at = n === 0 ? 0 : m.at % n
      for (let i = at; i < n; i++) {
        if ((b[i]! & 7) === 2) {
          at = i + 1
          break
        }
      }
      b.splice(at, 0, ...m.bytes)
      return Uint8Array.from(b)
    }
  }
}

/**
 * What decode must do with any input, in both forms alike: give a value or a
 * ProtoError, never throw anything else. Gives whether it decoded (and so
 * the value was re-encoded and read back). Throws where something does not
 * hold.
 */
function survives(template: P.Template<unknown>, input: Uint8Array): boolean {
  let r: E.Either<P.ProtoError, unknown>
  try {
    // Mutated input is not canonical: the compiled code may hand it to the interpreter.
    r = decodeBoth(template, input, { bails: true })
  } catch (e) {
    throw new Error(`decode threw ${String(e)} for ${Buffer.from(input).toString('hex')}`)
  }
  if (E.isLeft(r)) {
    if (!(r.left instanceof P.ProtoError)) throw new Error(`decode gave ${String(r.left)}`)
    P.formatPath(r.left.path)
    if (r.left.offset !== undefined && (r.left.offset < 0 || r.left.offset > input.length)) throw new Error(`offset ${r.left.offset} outside the input`)
    return false
  }
  // A decoded value encodes (in both forms, with no bail), and reads back as itself.
  const again = encodeBoth(template, r.right)
  if (E.isLeft(again)) throw new Error(`decoded value does not encode: ${again.left.message}`)
  const back = decodeBoth(template, again.right)
  if (E.isLeft(back) || !isDeepStrictEqual(back.right, r.right)) {
    throw new Error(`decoded value ${show(r.right)} does not read back: ${E.isLeft(back) ? back.left.message : show(back.right)}`)
  }
  return true
}

/** A field number none of the templates uses: an unknown field of it always decodes (skipped, or captured). */
const UNUSED = 2 ** 29 - 1

for (const [name, template] of templates) {
  const valid = arbitrary(template).map((v) => P.encodeOrThrow(template, v))

  test(`fuzz ${name}: ${RUNS} random inputs (seed ${SEED})`, (t) => {
    let decoded = 0
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 48 }), fc.uint8Array({ minLength: 48, maxLength: 400 })), (bytes) => {
        if (survives(template, bytes)) decoded++
      }),
      { numRuns: RUNS, seed: SEED },
    )
    t.log(`seed ${SEED}: ${decoded} of ${RUNS} inputs decoded, and were re-encoded and read back`)
    t.pass()
  })

  test(`fuzz ${name}: ${RUNS} mutations of valid encodings (seed ${SEED})`, (t) => {
    let decoded = 0
    fc.assert(
      fc.property(valid, fc.array(mutation, { minLength: 1, maxLength: 4 }), (bytes, ms) => {
        if (survives(template, ms.reduce(mutate, bytes))) decoded++
      }),
      { numRuns: RUNS, seed: SEED },
    )
    t.log(`seed ${SEED}: ${decoded} of ${RUNS} inputs decoded, and were re-encoded and read back`)
    t.pass()
  })

  test(`fuzz ${name}: ${RUNS} mutations of valid encodings that still decode (seed ${SEED})`, (t) => {
    let decoded = 0
    let mutatedKept = 0
    fc.assert(
      fc.property(valid, fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.uint8Array({ maxLength: 6 }), (bytes, ms, payload) => {
        // The most mutated form that decodes; else the encoding with an unknown field added.
        const steps = ms.reduce<Uint8Array[]>((acc, m) => [...acc, mutate(acc[acc.length - 1]!, m)], [bytes]).slice(1).reverse()
        let input = steps.find((b) => E.isRight(P.decode(template, b)))
        if (input !== undefined) mutatedKept++
        else {
          const w = new P.Writer()
          w.tag(UNUSED, P.WireType.LEN)
          w.bytes(payload)
          input = concat(bytes, w.finish())
        }
        if (survives(template, input)) decoded++
      }),
      { numRuns: RUNS, seed: SEED },
    )
    t.log(`seed ${SEED}: ${decoded} of ${RUNS} inputs decoded, and were re-encoded and read back (${mutatedKept} of them random mutations, the rest with an unknown field added)`)
    t.true(decoded > 0, 'no input reached the re-encode check')
    t.is(decoded, RUNS)
  })
}

test('a claimed length allocates nothing: 10,000 inputs claiming 2^31 − 1 bytes each', (t) => {
  const bytesField = P.message({ raw: P.optional(P.bytes(1)), text: P.optional(P.string(2)) })
  const inputs = [hex('0a ff ff ff ff 07 01 02 03'), hex('12 ff ff ff ff 07 61'), hex('1a ff ff ff ff 07'), hex('2a fe ff ff ff 07 08 01')]
  globalThis.gc?.()
  const before = process.memoryUsage()
  for (let i = 0; i < 10_000; i++) {
    const r = P.decode(bytesField, inputs[i % inputs.length]!)
    if (E.isRight(r) || r.left.kind !== 'truncated') t.fail(`expected truncated for input ${i % inputs.length}`)
  }
  const after = process.memoryUsage()
  // Had any one of them been honoured, it would have taken 2 GiB.
  t.true(after.arrayBuffers - before.arrayBuffers < 64 * 1024 * 1024, `${after.arrayBuffers - before.arrayBuffers} bytes of array buffers`)
  t.true(after.rss - before.rss < 512 * 1024 * 1024, `${after.rss - before.rss} bytes of resident memory`)
})
