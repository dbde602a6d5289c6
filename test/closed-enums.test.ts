/**
 * A closed enumeration with `{ unknown: 'field' }` (protobuf's proto2
 * enums): a number it does not name makes its occurrence an unknown field
 * of the message, kept by `unknownFields()` in wire order and written back,
 * skipped otherwise; in a packed run, that number alone, as a varint field
 * of its own. In both forms (the compiled code hands such input to the
 * interpreter, which places it), and as protoc reads proto2.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'ava'
import * as P from '../src/index.js'
import { dec, decodeError, enc, hex, toHex } from './helpers.js'

const color = P.enumeration('color', { red: 0, green: 1 }, { unknown: 'field' })
const tmpl = P.message({
  one: P.optional(color(1)),
  many: P.repeated(2, color),
  packed: P.packed(3, color),
  either: P.optional(P.oneof({ c: color(4), n: P.unsigned(5) })),
  rest: P.unknownFields(),
})
const noted = { bails: true } // input with unknown numbers is the interpreter's to place

test('a singular occurrence of an unknown number is an unknown field, and the field keeps its value', (t) => {
  t.deepEqual(dec(tmpl, hex('08 01 08 07'), noted), { one: 'green', many: [], packed: [], rest: hex('08 07') })
  t.deepEqual(dec(tmpl, hex('08 07'), noted), { many: [], packed: [], rest: hex('08 07') })
  // Written back where the capture stands: the template's order, then the unknown fields.
  t.is(toHex(enc(tmpl, dec(tmpl, hex('08 07 10 01'), noted))), '10 01 08 07')
})

test('in a list, each unknown number is an unknown field of its own, packed ones as varint fields', (t) => {
  const v = dec(tmpl, hex('10 01 10 09 1a 05 00 63 01 ff 01'), noted)
  t.deepEqual(v, { many: ['green'], packed: ['red', 'green'], rest: hex('10 09 18 63 18 ff 01') })
})

test('a oneof alternative with an unknown number leaves the oneof as it was', (t) => {
  t.deepEqual(dec(tmpl, hex('28 05 20 09'), noted), { many: [], packed: [], either: { case: 'n', value: 5 }, rest: hex('20 09') })
})

test("a map entry whose value is an unknown number is an unknown field, the whole entry, as protobuf's enum behavior says", (t) => {
  // protoc 3.21's --decode (a DynamicMessage) keeps such an entry, with the enum's default and the number as an unknown
  // field inside it; the specification (protobuf.dev, Enum Behavior): "maps with closed enums for their value will place
  // entire entries (key and value) in the unknown fields whenever the value is unknown".
  const m = P.message({ byName: P.map(6, P.string, color), rest: P.unknownFields() })
  const a7 = '32 05 0a 01 61 10 07'
  // The last value of an entry counts: "c" is green after 9, and unknown after green.
  const bytes = hex(`${a7} 32 05 0a 01 62 10 01 32 07 0a 01 63 10 09 10 01 32 07 0a 01 64 10 01 10 09`)
  const v = dec(m, bytes, noted)
  t.deepEqual(v, { byName: new Map([['b', 'green'], ['c', 'green']]), rest: hex(`${a7} 32 07 0a 01 64 10 01 10 09`) })
  t.is(toHex(enc(m, v)), `32 05 0a 01 62 10 01 32 05 0a 01 63 10 01 ${a7} 32 07 0a 01 64 10 01 10 09`)
  const record = P.message({ byName: P.map(6, P.string, color, { record: true }), rest: P.unknownFields() })
  t.deepEqual(dec(record, hex(`${a7} 32 05 0a 01 62 10 01`), noted), { byName: { b: 'green' }, rest: hex(a7) })
  t.deepEqual(dec(P.message({ byName: P.map(6, P.string, color) }), hex(`${a7} 32 05 0a 01 62 10 01`), noted), { byName: new Map([['b', 'green']]) })
})

test('without a capture the unknown numbers are skipped; the default stays an error', (t) => {
  const plain = P.message({ c: P.optional(color(1)), cs: P.packed(2, color) })
  t.deepEqual(dec(plain, hex('08 07 12 02 01 07'), noted), { cs: ['green'] })
  const strict = P.message({ c: P.enumeration('strict', { a: 0 })(1) })
  decodeError(t, strict, '08 07', { kind: 'unknown-enum', path: 'c(1)', offset: 1 })
  // Nested: the unknown field goes to the message it was in.
  const outer = P.message({ inner: P.embedded(1, tmpl), rest: P.unknownFields() })
  t.deepEqual(dec(outer, hex('0a 02 08 07'), noted), { inner: { many: [], packed: [], rest: hex('08 07') } })
})

test('the option is checked', (t) => {
  t.throws(() => P.enumeration('x', { a: 0 }, { unknown: 'keep' as 'field' }), { instanceOf: P.TemplateError })
})

test('protoc (proto2) puts unknown enum numbers in unknown fields the same way', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-enums-'))
  writeFileSync(join(dir, 'e.proto'), 'syntax = "proto2";\nenum Color { RED = 0; GREEN = 1; }\nmessage M {\n  optional Color one = 1;\n  repeated Color packed = 3 [packed = true];\n}\n')
  const input = hex('08 07 1a 03 00 63 01')
  // protoc parses, then writes: the unknown numbers go after the known fields, as unknown fields.
  const text = execFileSync('protoc', [`-I${dir}`, '--decode=M', 'e.proto'], { cwd: dir, input }).toString()
  t.is(text, 'packed: RED\npacked: GREEN\n1: 7\n3: 99\n')
  const m = P.message({ one: P.optional(color(1)), packed: P.packed(3, color), rest: P.unknownFields() })
  t.deepEqual(dec(m, input, noted), { packed: ['red', 'green'], rest: hex('08 07 18 63') })
})
