/**
 * Hostile input. A table of malformed inputs, by category, each variant with
 * the kind, path and offset of the ProtoError it must give; a table of
 * inputs the specification says must be accepted, with the values they give;
 * and what encode does with values that do not fit their template.
 *
 * The offset is where the item that failed starts: the tag, the varint, the
 * payload after a length prefix, the bad UTF-8 sequence; for a message
 * nested too deeply, its payload (after its tag).
 */
import test from 'ava'
import * as E from 'fp-ts/lib/Either.js'
import * as P from '../src/index.js'
import { concat, dec, decodeBoth, decodeError, encodeBoth, encodeError, hex, toHex, varint } from './helpers.js'

const inner = P.message({ a: P.optional(P.unsigned(1)), s: P.optional(P.string(2)) })
/** Every kind of field, all optional, so that only the malformation can fail. */
const flat = P.message({
  id: P.optional(P.unsigned(1)),
  name: P.optional(P.string(2)),
  f32: P.optional(P.fixed32(3)),
  f64: P.optional(P.fixed64(4)),
  nums: P.packed(5, P.integer),
  dbls: P.packed(6, P.double),
  sub: P.optional(P.embedded(7, inner)),
  g: P.optional(P.group(8, P.message({ a: P.optional(P.unsigned(1)) }))),
  raw: P.optional(P.bytes(9)),
})

type Variant = readonly [bytes: string, path: string, offset: number]
interface Category {
  readonly name: string
  readonly kind: P.ErrorKind
  readonly variants: readonly Variant[]
}

const ff = (n: number): string => Array(n).fill('ff').join(' ')
const x80 = (n: number): string => Array(n).fill('80').join(' ')

const malformed: readonly Category[] = [
  {
    name: 'premature end in a tag',
    kind: 'truncated',
    variants: [
      ['80', '', 0],
      ['08 01 80', '', 2],
      ['f8 ff ff', '', 0],
      ['3a 01 80', 'sub(7)', 2],
      ['43 80', 'g(8)', 1],
    ],
  },
  {
    name: 'premature end in a varint',
    kind: 'truncated',
    variants: [
      ['08', 'id(1)', 1],
      ['08 96', 'id(1)', 1],
      [`08 ${ff(9)}`, 'id(1)', 1],
      ['50 80', '', 1], // an unknown varint field
      ['3a 02 08 96 01', 'sub(7).a(1)', 3], // crosses the end of its submessage
    ],
  },
  {
    name: 'premature end in a fixed value',
    kind: 'truncated',
    variants: [
      ['1d 01 02 03', 'f32(3)', 1],
      ['21 01 02 03 04 05 06 07', 'f64(4)', 1],
      ['51 00 00', '', 1], // unknown fixed64
      ['55 00', '', 1], // unknown fixed32
    ],
  },
  {
    name: 'premature end in a length-delimited payload',
    kind: 'truncated',
    variants: [
      ['12 05 61 62', 'name(2)', 2],
      ['4a 03 01', 'raw(9)', 2],
      ['52 02 00', '', 2], // unknown
      ['12 01', 'name(2)', 2],
    ],
  },
  {
    name: 'premature end in a packed run',
    kind: 'truncated',
    variants: [
      ['2a 05 02 04', 'nums(5)', 2],
      ['32 10 00 00 00 00 00 00 f0 3f', 'dbls(6)', 2],
      ['2a 02 02 80 04', 'nums(5)[1]', 3], // an element crosses the end of its run
      ['32 04 00 00 00 00', 'dbls(6)[0]', 2],
      ['32 09 00 00 00 00 00 00 f0 3f 00', 'dbls(6)[1]', 10],
    ],
  },
  {
    name: 'premature end in a submessage or group',
    kind: 'truncated',
    variants: [
      ['3a 05 08 01', 'sub(7)', 2],
      ['3a 03 12 05 61', 'sub(7).s(2)', 4], // an inner field crosses the end of its submessage
      ['43 08 01', 'g(8)', 1], // a group with no end
      ['53 08 01', '', 3], // an unknown group with no end
    ],
  },
  {
    name: 'overlong varint (11 bytes)',
    kind: 'malformed-varint',
    variants: [
      [`08 ${ff(10)} 01`, 'id(1)', 1],
      [`12 ${ff(10)} 01`, 'name(2)', 1],
      [`2a 0b ${ff(10)} 01`, 'nums(5)[0]', 2],
      [`50 ${x80(10)} 00`, '', 1],
      [`3a 0c 08 ${ff(10)} 01`, 'sub(7).a(1)', 3],
    ],
  },
  {
    name: 'tag over 5 bytes or beyond field number 2^29−1',
    kind: 'invalid-tag',
    variants: [
      ['80 80 80 80 80 01', '', 0],
      ['80 80 80 80 10', '', 0], // field 2^29
      ['f8 ff ff ff 1f', '', 0],
      ['fc ff ff ff ff 0f', '', 0],
      ['3a 05 80 80 80 80 10', 'sub(7)', 2],
    ],
  },
  {
    name: 'field number 0',
    kind: 'invalid-tag',
    variants: [
      ['00', '', 0],
      ['02 00', '', 0],
      ['08 01 00', '', 2],
      ['43 00 44', 'g(8)', 1],
      ['80 00', '', 0], // a padded zero
    ],
  },
  {
    name: 'wire types 6 and 7',
    kind: 'invalid-wire-type',
    variants: [
      ['0e', '', 0],
      ['0f', '', 0],
      ['16 01', '', 0],
      ['3a 01 0e', 'sub(7)', 2],
      ['53 0f 54', '', 1], // inside an unknown group
    ],
  },
  {
    name: 'unmatched group end',
    kind: 'group-mismatch',
    variants: [
      ['0c', '', 0],
      ['08 01 0c', '', 2],
      ['3a 01 44', 'sub(7)', 2],
      ['54', '', 0],
    ],
  },
  {
    name: 'mismatched group end',
    kind: 'group-mismatch',
    variants: [
      ['43 4c', 'g(8)', 1],
      ['53 5c', '', 1], // unknown group 10 closed as 11
      ['53 63 5c 64 54', '', 2], // nested unknown groups closed out of order
    ],
  },
  {
    name: 'invalid UTF-8: overlong forms',
    kind: 'invalid-utf8',
    variants: [
      ['12 02 c0 80', 'name(2)', 2],
      ['12 03 61 c1 bf', 'name(2)', 3],
      ['12 03 e0 80 80', 'name(2)', 2],
      ['12 04 f0 80 80 80', 'name(2)', 2],
      ['3a 04 12 02 c0 af', 'sub(7).s(2)', 4],
    ],
  },
  {
    name: 'invalid UTF-8: surrogates',
    kind: 'invalid-utf8',
    variants: [
      ['12 03 ed a0 80', 'name(2)', 2],
      ['12 03 ed bf bf', 'name(2)', 2],
      ['12 06 ed a0 bd ed b8 80', 'name(2)', 2], // a CESU-8 pair
    ],
  },
  {
    name: 'invalid UTF-8: truncated sequences and stray bytes',
    kind: 'invalid-utf8',
    variants: [
      ['12 02 e6 97', 'name(2)', 2],
      ['12 03 f0 9f 98', 'name(2)', 2],
      ['12 02 61 c3', 'name(2)', 3],
      ['12 01 80', 'name(2)', 2],
      ['12 03 c3 61 61', 'name(2)', 2],
    ],
  },
  {
    name: 'invalid UTF-8: beyond U+10FFFF',
    kind: 'invalid-utf8',
    variants: [
      ['12 04 f4 90 80 80', 'name(2)', 2],
      ['12 04 f5 80 80 80', 'name(2)', 2],
      ['12 05 f8 88 80 80 80', 'name(2)', 2],
      ['12 01 ff', 'name(2)', 2],
    ],
  },
  {
    name: 'lengths of 2^31 and more',
    kind: 'invalid-length',
    variants: [
      ['12 80 80 80 80 08', 'name(2)', 1],
      ['52 80 80 80 80 08', '', 1],
      ['3a 80 80 80 80 08', 'sub(7)', 1],
      ['2a 80 80 80 80 08', 'nums(5)', 1],
    ],
  },
  {
    name: 'lengths that would wrap 32-bit arithmetic',
    kind: 'invalid-length',
    variants: [
      ['12 ff ff ff ff 0f 61', 'name(2)', 1], // 2^32 − 1, −1 as an int32
      ['12 81 80 80 80 10 61', 'name(2)', 1], // 2^32 + 1
      [`12 ${ff(9)} 01 61`, 'name(2)', 1], // 2^64 − 1
      ['4a fe ff ff ff 0f', 'raw(9)', 1], // 2^32 − 2
    ],
  },
  {
    name: 'huge claimed lengths with little data',
    kind: 'truncated',
    variants: [
      ['12 80 80 80 80 04 61', 'name(2)', 6], // 2^30
      ['52 ff ff ff ff 07', '', 6], // 2^31 − 1, unknown
      ['3a 80 80 80 40 08', 'sub(7)', 5], // 2^27
      ['2a ff ff ff ff 07 02', 'nums(5)', 6],
    ],
  },
]

for (const c of malformed) {
  test(`malformed: ${c.name} (${c.variants.length} variants)`, (t) => {
    for (const [bytes, path, offset] of c.variants) {
      const e = decodeError(t, flat, bytes, { kind: c.kind, path, offset })
      t.true(e.message.includes(c.kind), e.message)
    }
  })
}

// Nesting deeper than the limit: by submessages, by groups, mixed.

interface Node {
  readonly kid?: Node | undefined
}
const node: P.Template<Node> = P.lazy(() => P.message({ kid: P.optional(P.embedded(1, node)) }))
const groupNode: P.Template<Node> = P.lazy(() => P.message({ kid: P.optional(P.group(1, groupNode)) }))
interface Mixed {
  readonly e?: Mixed | undefined
  readonly g?: Mixed | undefined
}
const mixed: P.Template<Mixed> = P.lazy(() => P.message({ e: P.optional(P.embedded(1, mixed)), g: P.optional(P.group(2, mixed)) }))

/** Submessages nested `depth` deep, and where the innermost one's payload starts. */
function deepEmbedded(depth: number): { bytes: Uint8Array; innermost: number } {
  let bytes: Uint8Array = new Uint8Array(0)
  for (let i = 0; i < depth; i++) bytes = concat(hex('0a'), varint(bytes.length), bytes)
  // Each level is a tag and a length: the innermost payload's length prefix is the last byte.
  return { bytes, innermost: bytes.length - 1 }
}
test('malformed: nesting deeper than the limit, by submessages, groups and both (6 variants)', (t) => {
  const kid = (n: number) => Array(n).fill('kid(1)').join('.')
  const deep = deepEmbedded(101)
  decodeError(t, node, deep.bytes, { kind: 'depth-limit', path: kid(101), offset: deep.innermost })
  const deep4 = deepEmbedded(4) // 0a 06 0a 04 0a 02 0a 00
  t.is(decodeBoth(node, deep4.bytes, { options: { maxDepth: 3 } })._tag, 'Left')
  // An unknown submessage is skipped whole, not parsed: no depth to exceed.
  t.deepEqual(dec(P.message({ x: P.optional(P.unsigned(9)) }), deep.bytes), {})
  const groups = hex(`${Array(101).fill('0b').join(' ')} ${Array(101).fill('0c').join(' ')}`)
  decodeError(t, groupNode, groups, { kind: 'depth-limit', path: kid(101), offset: 101 })
  decodeError(t, P.protobuf([]), groups, { kind: 'depth-limit', path: '', offset: 101 })
  // e(1), g(2), e(1), …: a group inside a submessage inside a group …
  let m: Uint8Array = new Uint8Array(0)
  for (let i = 0; i < 101; i++) m = i % 2 === 0 ? concat(hex('13'), m, hex('14')) : concat(hex('0a'), varint(m.length), m)
  const path = Array.from({ length: 101 }, (_, i) => ((101 - i) % 2 === 0 ? 'e(1)' : 'g(2)')).join('.')
  const e = decodeError(t, mixed, m, { kind: 'depth-limit', path })
  t.true(e.offset !== undefined && m[e.offset - 1] === 0x13, 'the offset is just after the innermost tag')
})

// ---------------------------------------------------------------------------
// What the specification says must be accepted

const person = P.message({
  name: P.string(1),
  id: P.unsigned(2),
  tags: P.repeated(3, P.atom),
  scores: P.packed(4, P.signed32),
  home: P.optional(P.embedded(5, P.message({ street: P.optional(P.string(1)), no: P.optional(P.unsigned(2)) }))),
})
const ada = '0a 03 41 64 61 10 01' // name 'Ada', id 1

test('accepted: unknown fields of every wire type, at the top and nested', (t) => {
  const unknowns = [
    '50 96 01', // varint
    '59 01 02 03 04 05 06 07 08', // fixed64
    '62 03 61 62 63', // length-delimited
    '6b 08 01 73 12 00 74 6c', // group holding a varint and a group holding a length-delimited field
    '7d 01 02 03 04', // fixed32
    `f8 ff ff ff 0f ${ff(9)} 01`, // field 2^29−1, a 10-byte varint
  ]
  for (const u of unknowns) {
    t.deepEqual(dec(person, hex(`${u} ${ada}`)), { name: 'Ada', id: 1, tags: [], scores: [] }, u)
    t.deepEqual(dec(person, hex(`${ada} 2a ${toHex(varint(hex(u).length + 2))} 10 07 ${u}`)), { name: 'Ada', id: 1, tags: [], scores: [], home: { no: 7 } }, u)
  }
})

test('accepted: fields in any order', (t) => {
  const value = { name: 'Ada', id: 1, tags: ['x', 'y'], scores: [-1], home: { street: 's', no: 2 } }
  const fields = ['0a 03 41 64 61', '10 01', '1a 01 78', '22 0a ff ff ff ff ff ff ff ff ff 01', '2a 05 0a 01 73 10 02', '1a 01 79']
  for (const order of [
    [0, 1, 2, 3, 4, 5],
    [1, 4, 3, 2, 5, 0], // tags: 'x' stays before 'y', as list order requires
    [4, 2, 0, 3, 5, 1],
  ]) {
    t.deepEqual(dec(person, hex(order.map((i) => fields[i]).join(' '))), value, String(order))
  }
})

test('accepted: a repeated scalar, where the last wins; a repeated message, which merges', (t) => {
  t.deepEqual(dec(person, hex(`${ada} 10 05 0a 01 42 10 07`)), { name: 'B', id: 7, tags: [], scores: [] })
  t.deepEqual(dec(person, hex(`${ada} 2a 03 0a 01 73 2a 02 10 09 2a 03 0a 01 74`), { bails: true }), {
    name: 'Ada',
    id: 1,
    tags: [],
    scores: [],
    home: { street: 't', no: 9 },
  })
})

test('accepted: packed data for an unpacked field, unpacked for a packed one, and both mixed', (t) => {
  const value = { name: 'Ada', id: 1, tags: [], scores: [1, -1, 2] }
  t.deepEqual(dec(person, hex(`${ada} 20 01 20 ${ff(9)} 01 20 02`)), value)
  t.deepEqual(dec(person, hex(`${ada} 22 0c 01 ${ff(9)} 01 02`)), value)
  t.deepEqual(dec(person, hex(`${ada} 22 01 01 20 ${ff(9)} 01 22 01 02`)), value)
  const ints = P.protobuf([P.repeated(1, P.unsigned)])
  t.deepEqual(dec(ints, hex('0a 03 01 02 03 08 04')), [[1, 2, 3, 4]])
})

test('accepted: padded varints up to 10 bytes, in values, lengths and tags', (t) => {
  for (let n = 1; n <= 10; n++) {
    const padded = n === 1 ? '01' : `81 ${x80(n - 2)} 00`.replace(/\s+/g, ' ').trim()
    t.deepEqual(dec(P.protobuf([P.unsigned(1)]), hex(`08 ${padded}`)), [1], `value in ${n} bytes`)
    t.deepEqual(dec(P.protobuf([P.string(1)]), hex(`0a ${padded} 61`)), ['a'], `length in ${n} bytes`)
  }
  t.deepEqual(dec(P.protobuf([P.unsigned(1)]), hex('88 80 80 80 00 05')), [5], 'a tag in 5 bytes')
})

test('accepted: an empty message, at the top, embedded, and as a group', (t) => {
  t.deepEqual(dec(P.protobuf([]), new Uint8Array(0)), [])
  t.deepEqual(dec(P.message({ a: P.optional(P.unsigned(1)), b: P.repeated(2, P.atom) }), new Uint8Array(0)), { b: [] })
  t.deepEqual(dec(P.protobuf([P.embedded(1, P.protobuf([]))]), hex('0a 00')), [])
  t.deepEqual(dec(P.protobuf([P.group(1, P.protobuf([]))]), hex('0b 0c')), [])
  t.deepEqual(dec(person, hex(`${ada} 2a 00`)), { name: 'Ada', id: 1, tags: [], scores: [], home: {} })
})

test('accepted: 10,000 unknown fields, and 10,000 captured', (t) => {
  const parts: string[] = []
  for (let i = 0; i < 10_000; i++) parts.push(['50 01', '59 00 00 00 00 00 00 00 00', '62 01 61', '6b 6c', '7d 00 00 00 00'][i % 5]!)
  const bytes = hex(`${parts.join(' ')} ${ada}`)
  t.deepEqual(dec(person, bytes), { name: 'Ada', id: 1, tags: [], scores: [] })
  const keeper = P.message({ name: P.string(1), id: P.unsigned(2), rest: P.unknownFields() })
  const kept = dec(keeper, bytes)
  t.is(kept.rest?.length, bytes.length - hex(ada).length)
  t.is(toHex(P.encodeOrThrow(keeper, kept)), toHex(concat(hex(ada), kept.rest!)))
})

// ---------------------------------------------------------------------------
// Encode is safe too

test('encode: a value that does not fit gives a ProtoError with its path, and no bytes', (t) => {
  const kind = P.enumeration('kind', { mobile: 0, home: 1 })
  const book = P.message({
    people: P.repeatedEmbedded(1, P.message({ name: P.string(1), id: P.unsigned32(2), phones: P.repeated(3, P.embedded(P.message({ kind: kind(1) }))) })),
  })
  const one = { name: 'Ada', id: 1, phones: [{ kind: 'home' as const }] }
  const cases: [unknown, P.ErrorKind, string][] = [
    [{ people: [one, { ...one, name: 42 }] }, 'invalid-value', 'people(1)[1].name(1)'],
    [{ people: [{ ...one, id: 2 ** 32 }] }, 'out-of-range', 'people(1)[0].id(2)'],
    [{ people: [{ ...one, id: 1.5 }] }, 'invalid-value', 'people(1)[0].id(2)'],
    [{ people: [{ name: 'Ada', phones: [] }] }, 'missing-field', 'people(1)[0].id(2)'],
    [{ people: [{ ...one, phones: [{ kind: 'work' }] }] }, 'unknown-enum', 'people(1)[0].phones(3)[0].kind(1)'],
    [{ people: [{ ...one, phones: {} }] }, 'invalid-value', 'people(1)[0].phones(3)'],
    [{ people: 'nobody' }, 'invalid-value', 'people(1)'],
    [null, 'invalid-value', ''],
    [{ people: [{ ...one, name: 'a\ud800' }] }, 'invalid-utf8', 'people(1)[0].name(1)'],
  ]
  for (const [value, kind, path] of cases) {
    const e = encodeError(t, book, value, { kind, path })
    t.true(e instanceof P.ProtoError)
  }
  // A cycle in a recursive value ends at the depth limit, with a path.
  const cyclic: { kid?: unknown } = {}
  cyclic.kid = cyclic
  const r = encodeBoth(node, cyclic as Node)
  t.true(E.isLeft(r) && r.left.kind === 'depth-limit' && r.left.path.length > 0)
})
