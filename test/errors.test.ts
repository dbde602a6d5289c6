/**
 * Bad input: one test per kind of error, each with its kind, path and
 * offset; and, over random bytes, nothing but a ProtoError ever escapes.
 */
import test from 'ava'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import {
  atom,
  double,
  embedded,
  fixed32,
  formatPath,
  group,
  integer,
  lazy,
  message,
  oneof,
  optional,
  packed,
  ProtoError,
  protobuf,
  repeated,
  repeatedEmbedded,
  setCodeGeneration,
  string,
  type Template,
  unsigned,
  unsigned64,
} from '../src/index.js'
import { concat, dec, decodeBoth, decodeError, encodeBoth, hex, varint } from './helpers.js'

const nested = protobuf([embedded(5, protobuf([unsigned(1), string(2)]))])

test('truncated: inside a tag', (t) => {
  decodeError(t, protobuf([optional(unsigned(16))]), '80', { kind: 'truncated', path: '', offset: 0 })
})

test('truncated: inside a varint', (t) => {
  decodeError(t, protobuf([unsigned(1)]), '08 96', { kind: 'truncated', path: 'unsigned(1)', offset: 1 })
})

test('truncated: inside a fixed value', (t) => {
  decodeError(t, protobuf([fixed32(1)]), '0d 01 02 03', { kind: 'truncated', path: 'unsigned32(1)', offset: 1 })
  decodeError(t, protobuf([unsigned64(1)]), '09 01 02 03 04 05 06 07', { kind: 'truncated', path: 'unsigned64(1)', offset: 1 })
  decodeError(t, protobuf([double(1)]), '09', { kind: 'truncated', offset: 1 })
})

test('truncated: a length-delimited payload longer than what is left', (t) => {
  decodeError(t, protobuf([string(2)]), '12 05 61 62', { kind: 'truncated', path: 'string(2)', offset: 2 })
  decodeError(t, protobuf([optional(unsigned(1))]), '12 05 61 62', { kind: 'truncated', path: '', offset: 2 })
})

test('truncated: a packed run whose last element crosses its end', (t) => {
  decodeError(t, protobuf([packed(8, integer)]), '42 02 02 80 04', { kind: 'truncated', path: 'integer(8)[1]', offset: 3 })
  decodeError(t, protobuf([packed(8, double)]), '42 04 00 00 00 00', { kind: 'truncated', path: 'double(8)[0]', offset: 2 })
})

test('truncated: a submessage whose inner field crosses its end', (t) => {
  decodeError(t, nested, '2a 02 08 96 01', { kind: 'truncated', path: 'embedded(5).unsigned(1)', offset: 3 })
  decodeError(t, nested, '2a 03 08 01 12 01 78', { kind: 'truncated', path: 'embedded(5).string(2)', offset: 5 })
})

test('truncated: a group with no end', (t) => {
  decodeError(t, protobuf([group(2, [optional(unsigned(1))])]), '13 08 01', { kind: 'truncated', path: 'group(2)', offset: 1 })
  decodeError(t, protobuf([]), '13 08 01', { kind: 'truncated', offset: 3 })
})

test('malformed-varint: 11 bytes', (t) => {
  decodeError(t, protobuf([unsigned(1)]), '08 ff ff ff ff ff ff ff ff ff ff 01', { kind: 'malformed-varint', path: 'unsigned(1)', offset: 1 })
  decodeError(t, protobuf([]), '08 80 80 80 80 80 80 80 80 80 80 00', { kind: 'malformed-varint', offset: 1 })
})

test('invalid-tag: field number 0, beyond 2^29−1, or a tag over 5 bytes', (t) => {
  decodeError(t, protobuf([]), '00 00', { kind: 'invalid-tag', offset: 0 })
  decodeError(t, protobuf([]), '08 01 02 00', { kind: 'invalid-tag', offset: 2 })
  decodeError(t, protobuf([]), '80 80 80 80 10 00', { kind: 'invalid-tag', offset: 0 })
  decodeError(t, protobuf([]), '80 80 80 80 80 01 00', { kind: 'invalid-tag', offset: 0 })
})

test('invalid-wire-type: 6 and 7', (t) => {
  decodeError(t, protobuf([]), '0e', { kind: 'invalid-wire-type', offset: 0 })
  decodeError(t, protobuf([unsigned(1)]), '08 01 0f', { kind: 'invalid-wire-type', offset: 2 })
})

test('group-mismatch: an end with no group open, or closing another group', (t) => {
  decodeError(t, protobuf([]), '0c', { kind: 'group-mismatch', offset: 0 })
  decodeError(t, protobuf([]), '1b 08 01 24', { kind: 'group-mismatch', offset: 3 })
  decodeError(t, nested, '2a 01 0c', { kind: 'group-mismatch', path: 'embedded(5)', offset: 2 })
})

test('invalid-length: 2^31 and more, and lengths that wrap 32 bits', (t) => {
  decodeError(t, protobuf([string(1)]), '0a 80 80 80 80 08', { kind: 'invalid-length', path: 'string(1)', offset: 1 })
  decodeError(t, protobuf([string(1)]), '0a ff ff ff ff 0f 61', { kind: 'invalid-length', offset: 1 })
  decodeError(t, protobuf([string(1)]), '0a 80 80 80 80 80 80 80 80 01 61', { kind: 'invalid-length', offset: 1 })
  decodeError(t, protobuf([string(1)]), '0a ff ff ff ff 07 61', { kind: 'truncated', offset: 6 })
})

test('invalid-utf8: overlong forms, surrogates, truncated sequences, beyond U+10FFFF', (t) => {
  const s = protobuf([string(1)])
  decodeError(t, s, '0a 03 61 c0 80', { kind: 'invalid-utf8', path: 'string(1)', offset: 3 })
  decodeError(t, s, '0a 04 e0 80 80 61', { kind: 'invalid-utf8', offset: 2 })
  decodeError(t, s, '0a 03 ed a0 80', { kind: 'invalid-utf8', offset: 2 })
  decodeError(t, s, '0a 02 e6 97', { kind: 'invalid-utf8', offset: 2 })
  decodeError(t, s, '0a 04 f4 90 80 80', { kind: 'invalid-utf8', offset: 2 })
  decodeError(t, s, '0a 01 ff', { kind: 'invalid-utf8', offset: 2 })
  decodeError(t, s, '0a 01 80', { kind: 'invalid-utf8', offset: 2 })
  decodeError(t, protobuf([atom(1)]), '0a 14 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 c3', { kind: 'invalid-utf8', offset: 21 })
})

// ---------------------------------------------------------------------------
// Depth

function nest(depth: number, open: (inner: Uint8Array) => Uint8Array): Uint8Array {
  let b: Uint8Array = new Uint8Array()
  for (let i = 0; i < depth; i++) b = open(b)
  return b
}
const asEmbedded = (inner: Uint8Array) => concat(hex('0a'), varint(inner.length), inner)
const asGroup = (inner: Uint8Array) => concat(hex('0b'), inner, hex('0c'))

interface Node {
  readonly kid?: Node | undefined
}
const node: Template<Node> = lazy(() => message({ kid: optional(embedded(1, node)) }))
const groupNode: Template<Node> = lazy(() => message({ kid: optional(group(1, groupNode)) }))

test('depth-limit: 100 levels of submessages decode, 101 do not', (t) => {
  t.notThrows(() => dec(node, nest(100, asEmbedded)))
  const e = decodeError(t, node, nest(101, asEmbedded), { kind: 'depth-limit' })
  t.is(e.path.length, 101)
})

test('depth-limit: by groups, known and unknown', (t) => {
  t.notThrows(() => dec(groupNode, nest(100, asGroup)))
  decodeError(t, groupNode, nest(101, asGroup), { kind: 'depth-limit' })
  t.notThrows(() => dec(protobuf([]), nest(100, asGroup)))
  decodeError(t, protobuf([]), nest(101, asGroup), { kind: 'depth-limit', offset: 101 })
})

interface Mixed {
  readonly e?: Mixed | undefined
  readonly g?: Mixed | undefined
}
const mixedNode: Template<Mixed> = lazy(() => message({ e: optional(embedded(1, mixedNode)), g: optional(group(2, mixedNode)) }))
const alternate = (n: number) => nest(n, (inner) => (inner[0] === 0x0a ? concat(hex('13'), inner, hex('14')) : asEmbedded(inner)))

test('depth-limit: mixed submessages and groups', (t) => {
  t.notThrows(() => dec(mixedNode, alternate(100)))
  decodeError(t, mixedNode, alternate(101), { kind: 'depth-limit' })
})

/** Submessages nested `depth` deep, built in one pass (nest() would copy quadratically). */
function deepEmbedded(depth: number): Uint8Array {
  const lengths = new Array<number>(depth)
  let len = 0
  for (let i = depth - 1; i >= 0; i--) {
    lengths[i] = len
    len += 1 + varint(len).length
  }
  const out = new Uint8Array(len)
  let at = 0
  for (let i = 0; i < depth; i++) {
    out[at++] = 0x0a
    const v = varint(lengths[i]!)
    out.set(v, at)
    at += v.length
  }
  return out
}

test('depth-limit: 100,000 levels are rejected by the limit, not by a stack overflow', (t) => {
  const deepGroups = concat(hex('0b'.repeat(100_000)), hex('0c'.repeat(100_000)))
  decodeError(t, groupNode, deepGroups, { kind: 'depth-limit', offset: 101 })
  decodeError(t, protobuf([]), deepGroups, { kind: 'depth-limit', offset: 101 })
  const deep = deepEmbedded(100_000)
  t.notThrows(() => dec(protobuf([]), deep), 'an unknown submessage is skipped whole, not parsed')
  const e = decodeError(t, node, deep, { kind: 'depth-limit' })
  t.is(e.path.length, 101)
  // Raised past what the stack holds, the limit still gives a ProtoError (the compiled code hands over a stack overflow).
  const r = decodeBoth(node, deep, { options: { maxDepth: 1_000_000 } })
  t.true(E.isLeft(r) && r.left instanceof ProtoError && r.left.kind === 'depth-limit')
})

test('the depth limit can be raised or lowered', (t) => {
  t.true(E.isLeft(decodeBoth(node, nest(5, asEmbedded), { options: { maxDepth: 4 } })))
  t.true(E.isRight(decodeBoth(node, nest(150, asEmbedded), { options: { maxDepth: 200 } })))
  const five = dec(node, nest(5, asEmbedded))
  t.true(E.isLeft(encodeBoth(node, five, { options: { maxDepth: 4 } })))
  // Each encode has a limit of its own: not the last one's, nor the depth where a failed one stopped.
  t.true(E.isRight(encodeBoth(node, five)))
  t.true(E.isRight(encodeBoth(node, five, { options: { maxDepth: 5 } })))
  t.true(E.isLeft(encodeBoth(node, five, { options: { maxDepth: 4 } })))
  t.true(E.isRight(encodeBoth(node, five, { options: { maxDepth: 5 } })))
})

test('missing-field: a required field present only with the wrong wire type says which occurrence was skipped', (t) => {
  const cases: [Template<unknown>, string, string, number, string][] = [
    [protobuf([unsigned(1)]) as Template<unknown>, '0a 01 00', 'unsigned(1)', 3, 'required field unsigned(1) is absent: an occurrence with wire type LEN (2) was skipped at byte 0'],
    [protobuf([string(2), unsigned(1)]) as Template<unknown>, '12 01 78 09 01 02 03 04 05 06 07 08', 'unsigned(1)', 12, 'required field unsigned(1) is absent: an occurrence with wire type I64 (1) was skipped at byte 3'],
    [protobuf([double(1)]) as Template<unknown>, '0d 00 00 00 00 08 01', 'double(1)', 7, 'required field double(1) is absent: an occurrence with wire type I32 (5) was skipped at byte 0'],
    [protobuf([string(1)]) as Template<unknown>, '08 01', 'string(1)', 2, 'required field string(1) is absent: an occurrence with wire type VARINT (0) was skipped at byte 0'],
    [protobuf([embedded(1, protobuf([unsigned(1)]))]) as Template<unknown>, '0b 0c', 'embedded(1)', 2, 'required field embedded(1) is absent: an occurrence with wire type SGROUP (3) was skipped at byte 0'],
    [protobuf([unsigned(1, 7)]) as Template<unknown>, '0d 07 00 00 00', 'unsigned(1)', 5, 'required field unsigned(1) is absent: an occurrence with wire type I32 (5) was skipped at byte 0'],
    // In a nested message, at its own offsets.
    [nested as Template<unknown>, '2a 05 0a 00 12 01 78', 'embedded(5).unsigned(1)', 7, 'required field unsigned(1) is absent: an occurrence with wire type LEN (2) was skipped at byte 2'],
    // A oneof none of whose alternatives came with its own wire type.
    [protobuf([oneof([unsigned(4), string(5)])]) as Template<unknown>, '2d 01 00 00 00', 'oneof', 5, 'none of the alternatives of oneof(4, 5) is present: an occurrence of field 5 with wire type I32 (5) was skipped at byte 0'],
    [message({ c: oneof({ a: unsigned(4), b: string(5) }) }) as Template<unknown>, '22 00', 'c', 2, 'none of the alternatives of oneof(4, 5) is present: an occurrence of field 4 with wire type LEN (2) was skipped at byte 0'],
  ]
  for (const on of [true, false]) {
    setCodeGeneration(on)
    try {
      for (const [tmpl, bytes, path, offset, detail] of cases) {
        const e = decodeError(t, tmpl, bytes, { kind: 'missing-field', path, offset })
        t.is(e.detail, detail, `${bytes}, code generation ${on ? 'on' : 'off'}`)
      }
      // Absent altogether: nothing more to say.
      t.is(decodeError(t, protobuf([unsigned(1)]), '10 01', { kind: 'missing-field', path: 'unsigned(1)', offset: 2 }).detail, 'required field unsigned(1) is absent')
      // Present with its own wire type too: no error.
      t.deepEqual(dec(protobuf([unsigned(1)]), hex('0a 01 00 08 05')), [5])
    } finally {
      setCodeGeneration(true)
    }
  }
})

// ---------------------------------------------------------------------------
// Nothing else escapes

const templates: [string, Template<unknown>][] = [
  ['flat', protobuf([unsigned(1), string(2), optional(double(3)), repeated(4, integer)]) as Template<unknown>],
  ['nested', protobuf([repeatedEmbedded(5, protobuf([unsigned(1), optional(atom(2))])), packed(6, integer)]) as Template<unknown>],
  ['recursive', node as Template<unknown>],
  ['groups', groupNode as Template<unknown>],
]

for (const [name, tmpl] of templates) {
  test(`random bytes give a value or a ProtoError, never anything else (${name})`, (t) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const r = decodeBoth(tmpl, bytes, { bails: true }) // the same value or error in both forms
        if (E.isLeft(r)) {
          if (!(r.left instanceof ProtoError)) return false
          formatPath(r.left.path)
        }
        return true
      }),
      { numRuns: 2000 },
    )
    t.pass()
  })
}
