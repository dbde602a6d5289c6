/**
 * map(tag, key, value): protobuf's map<K, V> as a Map (or a record), with
 * exact bytes, decoding as protobuf says (last key wins, a missing key or
 * value is its zero, entries in any order, unknown fields in an entry
 * skipped), in both forms; errors with their paths; and protoc reading the
 * bytes of a map<…> field.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'ava'
import * as fc from 'fast-check'
import type { AnyHostType } from '../src/core.js'
import { deepEqual } from '../src/equal.js'
import * as P from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { bothWays, dec, decodeError, enc, encodeError, hex, roundTrip, SEED, toHex } from './helpers.js'

const counts = P.message({ counts: P.map(5, P.string, P.unsigned) })

test('a map is written entry by entry, key and value both, in the order of the Map', (t) => {
  roundTrip(t, counts, { counts: new Map([['a', 1], ['b', 0]]) }, '2a 05 0a 01 61 10 01 2a 05 0a 01 62 10 00')
  roundTrip(t, counts, { counts: new Map() }, '')
  const words = P.protobuf([P.map(1, P.integer, P.string)])
  roundTrip(t, words, [new Map([[-1, 'x'], [0, '']])], '0a 05 08 01 12 01 78 0a 04 08 00 12 00')
})

test('decode: the last of equal keys wins, a missing key or value is its zero, fields of an entry in any order', (t) => {
  // a → 1, then a → 2; an entry with its value first; an entry with no key; an entry with no value.
  const bytes = '2a 05 0a 01 61 10 01  2a 05 0a 01 61 10 02  2a 05 10 03 0a 01 62  2a 02 10 04  2a 03 0a 01 63'
  t.deepEqual(dec(counts, hex(bytes)), { counts: new Map([['a', 2], ['b', 3], ['', 4], ['c', 0]]) })
  // Unknown fields in an entry are skipped.
  t.deepEqual(dec(counts, hex('2a 07 0a 01 61 18 07 10 05')), { counts: new Map([['a', 5]]) })
})

test('a map of messages: a missing value is the message of no fields', (t) => {
  const point = P.message({ x: P.defaulted(P.integer(1)), y: P.defaulted(P.integer(2)) })
  const places = P.message({ at: P.map(1, P.string, P.embedded(point)) })
  roundTrip(t, places, { at: new Map([['home', { x: 1, y: -1 }]]) }, '0a 0c 0a 04 68 6f 6d 65 12 04 08 02 10 01')
  t.deepEqual(dec(places, hex('0a 03 0a 01 6f')), { at: new Map([['o', { x: 0, y: 0 }]]) })
  // A value message that requires a field has no message of no fields.
  const strict = P.message({ at: P.map(1, P.string, P.embedded(P.message({ x: P.integer(1) }))) })
  decodeError(t, strict, '0a 03 0a 01 6f', { kind: 'missing-field' })
})

test('a map as a record, for string keys', (t) => {
  const tmpl = P.message({ labels: P.map(2, P.string, P.string, { record: true }) })
  roundTrip(t, tmpl, { labels: { env: 'prod' } }, '12 0b 0a 03 65 6e 76 12 04 70 72 6f 64')
  // __proto__ is a key like any other.
  const bytes = enc(tmpl, { labels: JSON.parse('{"__proto__": "x"}') as Record<string, string> })
  const back = dec(tmpl, bytes)
  t.is(Object.getPrototypeOf(back.labels), Object.prototype)
  t.deepEqual(Object.keys(back.labels), ['__proto__'])
})

test('a map takes a ReadonlyMap and readonly records', (t) => {
  const m: ReadonlyMap<string, number> = new Map([['a', 1]])
  t.is(toHex(enc(counts, { counts: m })), '2a 05 0a 01 61 10 01')
})

test('errors: a value that is not a map, a bad key or value, with the path', (t) => {
  encodeError(t, counts, { counts: [['a', 1]] }, { kind: 'invalid-value', path: 'counts(5)' })
  encodeError(t, counts, { counts: new Map([['a', -1]]) }, { kind: 'out-of-range', path: 'counts(5)[0].unsigned(2)' })
  encodeError(t, counts, { counts: new Map([[1, 1]]) }, { kind: 'invalid-value', path: 'counts(5)[0].string(1)' })
  decodeError(t, counts, '2a 04 0a 01 61 10', { kind: 'truncated', path: 'counts(5)[0].unsigned(2)', offset: 6 })
})

test('keys protobuf does not allow, and records of keys that are not strings, are TemplateErrors', (t) => {
  for (const key of [P.double, P.float, P.codes, P.enumeration('e', { a: 0 })] as P.HostType<unknown>[]) {
    t.throws(() => P.map(1, key, P.string), { instanceOf: P.TemplateError })
  }
  t.throws(() => P.map(1, P.unsigned as unknown as P.HostType<string>, P.string, { record: true }), { instanceOf: P.TemplateError })
  t.throws(() => P.map(0, P.string, P.string), { instanceOf: P.TemplateError })
})

test(`generated maps round-trip in both forms, with no bail (seed ${SEED})`, (t) => {
  const keys = [P.integer, P.sint32, P.unsigned, P.uint32, P.signed64, P.signed32, P.integer64, P.integer32, P.unsigned64, P.unsigned32, P.unsignedBig, P.integerBig, P.boolean, P.string]
  const values = [P.double, P.float, P.string, P.codes, P.boolean, P.integerBig, P.enumeration('v', { zero: 0, one: 1 }), P.embedded(P.message({ n: P.defaulted(P.unsigned(1)) }))]
  const pairs = keys.flatMap((k) => values.map((v) => P.protobuf([P.map(3, k as AnyHostType, v as AnyHostType), P.unsigned(4)])))
  fc.assert(
    fc.property(fc.constantFrom(...pairs).chain((tmpl) => arbitrary(tmpl).map((v) => [tmpl, v] as const)), ([tmpl, v]) => {
      bothWays(tmpl, v)
    }),
    { numRuns: 300, seed: SEED },
  )
  t.pass()
})

test('protoc reads the bytes of a map field as map<string, int32> and map<int64, Msg>', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-maps-'))
  writeFileSync(
    join(dir, 'maps.proto'),
    'syntax = "proto3";\nmessage Inner { int32 n = 1; }\nmessage Maps {\n  map<string, int32> counts = 1;\n  map<int64, Inner> inner = 2;\n}\n',
  )
  const tmpl = P.message({
    counts: P.map(1, P.string, P.signed32),
    inner: P.map(2, P.signed64, P.embedded(P.message({ n: P.defaulted(P.signed32(1)) }))),
  })
  const bytes = enc(tmpl, { counts: new Map([['a', -1], ['b', 2]]), inner: new Map([[7, { n: 3 }]]) })
  const text = execFileSync('protoc', [`-I${dir}`, '--decode=Maps', 'maps.proto'], { cwd: dir, input: bytes }).toString()
  t.is(text, 'counts {\n  key: "a"\n  value: -1\n}\ncounts {\n  key: "b"\n  value: 2\n}\ninner {\n  key: 7\n  value {\n    n: 3\n  }\n}\n')
  const back = execFileSync('protoc', [`-I${dir}`, '--encode=Maps', 'maps.proto'], { cwd: dir, input: text })
  t.deepEqual(dec(tmpl, back), { counts: new Map([['a', -1], ['b', 2]]), inner: new Map([[7, { n: 3 }]]) })
})

test('a map of a recursive message, through lazy', (t) => {
  interface Node {
    readonly name: string
    readonly kids: Map<string, Node>
  }
  const node: P.HostType<Node> = P.lazy(() =>
    P.hostType('node', P.message({ name: P.string(1), kids: P.map(2, P.string, node) }), { decode: (v) => v, encode: (n) => n }),
  )
  const tree = P.message({ root: node(1) })
  const v = { root: { name: 'a', kids: new Map([['b', { name: 'b', kids: new Map() }]]) } }
  roundTrip(t, tree, v, '0a 0d 0a 01 61 12 08 0a 01 62 12 03 0a 01 62')
})

test('a Map compares by its entries: structurally, and as a default of a user host type', (t) => {
  t.true(deepEqual(new Map([['a', [1]]]), new Map([['a', [1]]])))
  t.false(deepEqual(new Map([['a', 1]]), new Map([['a', 2]])))
  t.false(deepEqual(new Map([['a', 1]]), new Map([['b', 1]])))
  t.false(deepEqual(new Map(), {}))
  const bag = P.hostType('bag', P.message({ m: P.map(1, P.string, P.unsigned) }), { decode: ({ m }) => m, encode: (m: Map<string, number>) => ({ m }) })
  const tmpl = P.message({ b: P.defaulted(bag(1), new Map([['a', 1]])) })
  t.is(toHex(enc(tmpl, { b: new Map([['a', 1]]) })), '')
  t.is(toHex(enc(tmpl, { b: new Map([['a', 2]]) })), '0a 07 0a 05 0a 01 61 10 02')
  t.is(toHex(enc(tmpl, { b: new Map() })), '0a 00')
})
