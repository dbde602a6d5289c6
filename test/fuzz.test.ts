/**
 * Fuzzing: random bytes, and mutations of valid encodings (bit flips,
 * truncation, insertion, length bumps, splices, huge claimed lengths), fed
 * to templates flat, nested, recursive, with groups and with packed fields.
 * Decode must return a value or a ProtoError: never throw anything else,
 * never hang (ava's timeout would catch it), and a value it returns must
 * encode, and decode again to itself.
 *
 * PROTOPLATE_FUZZ sets the inputs per template and kind (default 12,000:
 * with 5 templates and 2 kinds, 120,000 inputs a run).
 */
import { isDeepStrictEqual } from 'node:util'
import test from 'ava'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as P from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { hex } from './helpers.js'

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

/** What decode must do with any input. False means something else escaped, or a decoded value does not hold. */
function survives(template: P.Template<unknown>, input: Uint8Array): boolean {
  let r: E.Either<P.ProtoError, unknown>
  try {
    r = P.decode(template, input)
  } catch (e) {
    throw new Error(`decode threw ${String(e)} for ${Buffer.from(input).toString('hex')}`)
  }
  if (E.isLeft(r)) {
    if (!(r.left instanceof P.ProtoError)) return false
    P.formatPath(r.left.path)
    return r.left.offset === undefined || (r.left.offset >= 0 && r.left.offset <= input.length)
  }
  // A decoded value encodes, and reads back as itself.
  const again = P.encode(template, r.right)
  if (E.isLeft(again)) throw new Error(`decoded value does not encode: ${again.left.message}`)
  return isDeepStrictEqual(P.decodeOrThrow(template, again.right), r.right)
}

for (const [name, template] of templates) {
  test(`fuzz ${name}: ${RUNS} random inputs`, (t) => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 48 }), fc.uint8Array({ minLength: 48, maxLength: 400 })), (bytes) => survives(template, bytes)),
      { numRuns: RUNS },
    )
    t.pass()
  })

  test(`fuzz ${name}: ${RUNS} mutations of valid encodings`, (t) => {
    const valid = arbitrary(template).map((v) => P.encodeOrThrow(template, v))
    fc.assert(
      fc.property(valid, fc.array(mutation, { minLength: 1, maxLength: 4 }), (bytes, ms) => survives(template, ms.reduce(mutate, bytes))),
      { numRuns: RUNS },
    )
    t.pass()
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
