/**
 * Schemas as templates: the rules of proto2, proto3 and editions 2023, in
 * exact bytes and in both forms (the helpers run each template interpreted
 * and compiled); SWI-Prolog's by-name functions; and descriptors no
 * template can express, refused at load naming the message and field.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'ava'
import { fromDescriptorSet, hasField, parseFromBytes, type Schema, SchemaError, serializeToBytes } from '../schema/index.js'
import type { FileDescriptorProto } from '../schema/descriptor.js'
import { bufBuild } from './buf.js'
import { ProtoError } from '../src/index.js'
import { dec, decodeError, enc, encodeError, hex, roundTrip, toHex } from './helpers.js'

const protos = new URL('../../test/protos/', import.meta.url).pathname

function protocSet(file: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-schema-'))
  try {
    const r = spawnSync('protoc', [`-I${protos}`, '--include_imports', `--descriptor_set_out=${dir}/set.pb`, file], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(r.stderr)
    return new Uint8Array(readFileSync(`${dir}/set.pb`))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const proto2 = fromDescriptorSet(protocSet('semantics2.proto'))
const proto3 = fromDescriptorSet(protocSet('semantics3.proto'))
const editions = fromDescriptorSet(bufBuild({ 'semantics2023.proto': readFileSync(`${protos}semantics2023.proto`, 'utf8') }))

const cardinalities = (s: Schema, name: string) =>
  Object.fromEntries(
    s.plans.messages.get(name)!.members.map((m) => ('field' in m ? [m.field.name, m.field.cardinality] : [m.oneof.name, 'oneof'])),
  )

test('proto2: required, optional, repeated unpacked unless [packed], groups and oneofs', (t) => {
  t.deepEqual(cardinalities(proto2, 'sem2.Item'), {
    name: 'required', count: 'explicit', color: 'explicit', plain: 'repeated', tight: 'packed', extra: 'explicit',
    blob: 'explicit', big: 'explicit', small: 'explicit', colors: 'repeated', ratio: 'explicit', label: 'explicit', choice: 'oneof',
  })
  const item = proto2.template('sem2.Item')
  roundTrip(t, item, { name: 'a', plain: [1, 2], tight: [1, 2], colors: ['BLUE'] }, '0a 01 61 20 01 20 02 2a 02 01 02 58 03')
  roundTrip(t, item, { name: '', plain: [], tight: [], colors: [], extra: { x: 1 } }, '0a 00 33 39 000000000000f03f 34')
  roundTrip(t, item, { name: '', plain: [], tight: [], colors: [], big: -(2n ** 63n), small: -1 }, `0a 00 48 ${'80'.repeat(9)}01 50 ${'ff'.repeat(9)}01`)
  roundTrip(t, item, { name: '', plain: [], tight: [], colors: [], choice: { case: 'child', value: { name: 'c', plain: [], tight: [], colors: [] } } }, '0a 00 82 01 03 0a 01 63')
  decodeError(t, item, '10 01', { kind: 'missing-field', path: 'name(1)' })
})

test('proto2: a closed enum sends an unknown number to the unknown fields; extensions are kept there too, in wire order', (t) => {
  const item = proto2.template('sem2.Item')
  const bytes = hex('0a 01 61 18 09 a0 06 05 58 01 58 07')
  const v = dec(item, bytes, { bails: true })
  t.is(v['color'], undefined)
  t.deepEqual(v['colors'], ['RED'])
  t.is(toHex(v['$unknown'] as Uint8Array), '18 09 a0 06 05 58 07')
  t.is(toHex(enc(item, v)), '0a 01 61 58 01 18 09 a0 06 05 58 07')
})

test("proto2: strings are not UTF-8-validated, and invalid bytes round-trip; proto3's are validated", (t) => {
  const item = proto2.template('sem2.Item')
  const v = dec(item, hex('0a 02 c3 28'))
  t.is(toHex(enc(item, v)), '0a 02 c3 28')
  decodeError(t, proto3.template('sem3.Node'), '12 02 c3 28', { kind: 'invalid-utf8' })
})

test('proto3: implicit presence (zeros not written), optional, open enums, packed by default, maps, recursion', (t) => {
  t.deepEqual(cardinalities(proto3, 'sem3.Node'), {
    id: 'implicit', name: 'implicit', maybe: 'explicit', mood: 'implicit', values: 'packed', loose: 'repeated',
    counts: 'map', children: 'map', next: 'explicit', pick: 'oneof', ratio: 'implicit',
  })
  const node = proto3.template('sem3.Node')
  const empty = { id: 0, name: '', mood: 'MOOD_UNSPECIFIED', values: [], loose: [], counts: new Map(), children: new Map(), ratio: 0 }
  roundTrip(t, node, empty, '')
  roundTrip(t, node, { ...empty, maybe: 0, ratio: -0 }, '18 00 61 0000000000000080')
  roundTrip(t, node, { ...empty, mood: 7, values: [1, 2], loose: [1, 2] }, '20 07 2a 02 01 02 30 01 30 02')
  roundTrip(t, node, { ...empty, counts: new Map([['a', 1n]]) }, '3a 05 0a 01 61 10 01')
  const child = { ...empty, id: 2 }
  roundTrip(t, node, { ...empty, children: new Map([[1, child]]), next: child }, '42 06 08 01 12 02 08 02 4a 02 08 02')
  roundTrip(t, node, { ...empty, pick: { case: 'raw', value: new Uint8Array([1]) } }, '5a 01 01')
})

test("options: maps of string keys as records, 64-bit integers as numbers (a field's jstype says so for itself)", (t) => {
  const set = protocSet('semantics3.proto')
  const records = fromDescriptorSet(set, { maps: 'record' }).template('sem3.Node')
  const empty = { id: 0, name: '', mood: 'MOOD_UNSPECIFIED', values: [], loose: [], children: new Map(), ratio: 0 }
  roundTrip(t, records, { ...empty, counts: { a: 1n } }, '3a 05 0a 01 61 10 01')
  const numbers = fromDescriptorSet(set, { int64: 'number' }).template('sem3.Node')
  roundTrip(t, numbers, { ...empty, counts: new Map([['a', 1]]) }, '3a 05 0a 01 61 10 01')
  encodeError(t, numbers, { ...empty, counts: new Map([['a', 2 ** 53]]) }, { kind: 'out-of-range' })
  t.throws(() => fromDescriptorSet(set, { int64: 'string' as 'number' }), { instanceOf: SchemaError, message: /int64 must be 'bigint' or 'number'/ })
  // sem2's small is [jstype = JS_NUMBER]: a number even where int64 is bigint.
  t.deepEqual(proto2.plans.messages.get('sem2.Item')!.members.flatMap((m) => ('field' in m && m.field.type.kind === 'scalar' && m.field.type.scalar === 'int64' ? [[m.field.name, m.field.type.big]] : [])), [
    ['big', true],
    ['small', false],
  ])
})

test('typedArrays: packed numeric fields as typed arrays, all or those named; unpacked lists stay arrays', (t) => {
  const set = protocSet('semantics3.proto')
  const all = fromDescriptorSet(set, { typedArrays: true }).template('sem3.Node')
  const empty = { id: 0, name: '', mood: 'MOOD_UNSPECIFIED', loose: [], counts: new Map(), children: new Map(), ratio: 0 }
  roundTrip(t, all, { ...empty, values: new Int32Array([1, -2]), loose: [1, 2] }, `2a 0b 01 ${'fe'.repeat(1)}${' ff'.repeat(8)} 01 30 01 30 02`)
  const named = fromDescriptorSet(set, { typedArrays: ['sem3.Node.values'] }).template('sem3.Node')
  roundTrip(t, named, { ...empty, values: new Int32Array([3]) }, '2a 01 03')
  const none = fromDescriptorSet(set, { typedArrays: ['sem3.Node.loose'] }).template('sem3.Node')
  roundTrip(t, none, { ...empty, values: [3] }, '2a 01 03')
})

test('editions 2023: presence, packing, message encoding, enum closedness and UTF-8 validation by feature', (t) => {
  t.deepEqual(cardinalities(editions, 'sem2023.Rec'), {
    plain: 'explicit', bare: 'implicit', must: 'required', packed_by_default: 'packed', expanded: 'repeated',
    delimited: 'explicit', closed: 'explicit', text: 'explicit', checked: 'explicit',
  })
  const rec = editions.template('sem2023.Rec')
  const base = { must: 0, bare: 0, packed_by_default: [], expanded: [] }
  roundTrip(t, rec, { ...base, plain: 0 }, '08 00 18 00')
  roundTrip(t, rec, { ...base, bare: 1, packed_by_default: [1], expanded: [1] }, '10 01 18 00 22 01 01 28 01')
  roundTrip(t, rec, { ...base, delimited: { ...base } }, '18 00 33 18 00 34')
  const v = dec(rec, hex('18 00 38 09 42 02 c3 28'), { bails: true })
  t.is(v['closed'], undefined)
  t.is(toHex(enc(rec, v)), '18 00 42 02 c3 28 38 09')
  decodeError(t, rec, '18 00 4a 02 c3 28', { kind: 'invalid-utf8' })
  decodeError(t, rec, '08 01', { kind: 'missing-field' })
})

test("parseFromBytes and serializeToBytes have SWI-Prolog's semantics; hasField tells what was on the wire", (t) => {
  const bytes = hex('0a 01 61 20 01')
  const m = parseFromBytes(proto2, 'sem2.Item', bytes)
  t.deepEqual(m, {
    name: 'a', count: 7, color: 'GREEN', plain: [1], tight: [], blob: new Uint8Array([0x61, 1, 0xff]),
    big: -9007199254740993n, small: 0, colors: [], ratio: Infinity, label: 'hi',
  })
  t.true(hasField(m, 'name'))
  t.true(hasField(m, 'plain'))
  t.false(hasField(m, 'count'))
  t.false(hasField(m, 'tight'))
  t.false(hasField(m, 'extra'))
  t.deepEqual(serializeToBytes(proto2, 'sem2.Item', m), bytes)
  t.is(toHex(serializeToBytes(proto2, '.sem2.Item', { name: 'a', count: 7, word: 'w' })), '0a 01 61 10 07 7a 01 77')
  const e = t.throws(() => serializeToBytes(proto2, 'sem2.Item', { name: 'a', nmae: 'b' }))
  t.regex(e!.message, /sem2\.Item has no field "nmae"/)
  t.throws(() => serializeToBytes(proto2, 'sem2.Item', { name: 'a', number: 1, word: 'w' }), { message: /more than one member/ })
  const n = parseFromBytes(proto3, 'sem3.Node', hex('08 00 3a 05 0a 01 61 10 01 4a 00'))
  t.false(hasField(n, 'id'))
  t.true(hasField(n, 'next'))
  t.false(hasField(n, 'maybe'))
  t.throws(() => hasField(n, 'mayb'), { instanceOf: ProtoError, message: /sem3\.Node has no field "mayb"/ })
  t.deepEqual(n['counts'], new Map([['a', 1n]]))
  t.is(n['mood'], 'MOOD_UNSPECIFIED')
})

// ---------------------------------------------------------------------------
// Descriptors no template can express

type Msg = NonNullable<FileDescriptorProto['message_type']>[number]
const msg = (over: Partial<Msg>): Msg => ({
  name: 'M', field: [], nested_type: [], enum_type: [], extension_range: [], extension: [], oneof_decl: [], reserved_range: [], reserved_name: [],
  ...over,
})
const file = (over: Partial<FileDescriptorProto>): FileDescriptorProto => ({
  name: 'x.proto', package: 'x', dependency: [], public_dependency: [], weak_dependency: [], option_dependency: [], message_type: [],
  enum_type: [], service: [], extension: [], syntax: 'proto3', ...over,
})
const int32 = (name: string, number: number) => ({ name, number, label: 'LABEL_OPTIONAL' as const, type: 'TYPE_INT32' as const })

const bad: readonly (readonly [string, FileDescriptorProto, RegExp])[] = [
  ['two fields of one number', file({ message_type: [msg({ field: [int32('a', 1), int32('b', 1)] })] }), /x\.M\.b: field number 1 is used by a too/],
  ['a reserved number', file({ message_type: [msg({ field: [int32('a', 5)], reserved_range: [{ start: 4, end: 6 }] })] }), /x\.M\.a: field number 5 is reserved/],
  ['a reserved name', file({ message_type: [msg({ field: [int32('a', 5)], reserved_name: ['a'] })] }), /x\.M\.a: the name a is reserved/],
  ['a number protobuf reserves', file({ message_type: [msg({ field: [int32('a', 19001)] })] }), /x\.M\.a: field number 19001/],
  ['a number out of range', file({ message_type: [msg({ field: [int32('a', 0)] })] }), /x\.M\.a: field number 0 is not in/],
  [
    'a map of a message key',
    file({
      message_type: [
        msg({
          field: [{ name: 'm', number: 1, label: 'LABEL_REPEATED', type: 'TYPE_MESSAGE', type_name: '.x.M.MEntry' }],
          nested_type: [
            msg({
              name: 'MEntry',
              options: { map_entry: true, uninterpreted_option: [] },
              field: [
                { name: 'key', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_MESSAGE', type_name: '.x.M' },
                int32('value', 2),
              ],
            }),
          ],
        }),
      ],
    }),
    /x\.M\.m: a map key cannot be the message x\.M/,
  ],
  ['a type not defined', file({ message_type: [msg({ field: [{ name: 'a', number: 1, label: 'LABEL_OPTIONAL', type_name: '.x.Nope' }] })] }), /x\.M\.a: the type \.x\.Nope is not defined/],
  ['a field without a type', file({ message_type: [msg({ field: [{ name: 'a', number: 1, label: 'LABEL_OPTIONAL' }] })] }), /x\.M\.a: the field has neither a scalar type nor a type name/],
  ['a name defined twice', file({ message_type: [msg({}), msg({})] }), /x\.M is defined twice/],
  [
    'an open enum whose first value is not 0',
    file({ enum_type: [{ name: 'E', value: [{ name: 'A', number: 1 }], reserved_range: [], reserved_name: [] }] }),
    /enum x\.E: the first value of an open enum must be 0/,
  ],
  [
    'a closed enum in a field of implicit presence',
    file({
      syntax: 'editions',
      edition: 'EDITION_2023',
      enum_type: [{ name: 'E', value: [{ name: 'A', number: 1 }], reserved_range: [], reserved_name: [], options: { features: { enum_type: 'CLOSED' }, uninterpreted_option: [] } }],
      message_type: [
        msg({
          field: [
            {
              name: 'e', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_ENUM', type_name: '.x.E',
              options: { features: { field_presence: 'IMPLICIT' }, targets: [], edition_defaults: [], uninterpreted_option: [] },
            },
          ],
        }),
      ],
    }),
    /x\.M\.e: a field of implicit presence cannot have the closed enum x\.E/,
  ],
  ['an edition not supported', file({ syntax: 'editions', edition: 'EDITION_99997_TEST_ONLY' }), /edition EDITION_99997_TEST_ONLY is not supported/],
]

for (const [what, f, message] of bad) {
  test(`descriptors with ${what} are a SchemaError at load`, (t) => {
    t.throws(() => fromDescriptorSet({ file: [f] }), { instanceOf: SchemaError, message })
  })
}

test('a message the schema does not have is a SchemaError that names the likely one', (t) => {
  t.throws(() => proto3.template('Node'), { instanceOf: SchemaError, message: /no message Node in the schema \(did you mean sem3\.Node\?\)/ })
  encodeError(t, proto3.template('sem3.Node'), { id: 'x' }, { kind: 'invalid-value' })
})
