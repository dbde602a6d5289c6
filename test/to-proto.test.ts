/**
 * toProto: .proto text from templates, which protoc accepts and with which
 * it reads protoplate's bytes as the same values. protoc decodes the bytes
 * to its text format and encodes that text again, and protoplate reads
 * protoc's bytes back to the value it wrote: the SWI-Prolog manual's
 * examples, and generated templates. Debian's protoc predates editions:
 * buf reads and writes the bytes of a file in editions (`buf convert`).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import test from 'ava'
import * as fc from 'fast-check'
import { decodeOrThrow, defaulted, embedded, encodeOrThrow, enumeration, type FieldShape, group, type HostType, integer, lazy, message, optional, packed, repeatedEmbedded, string, type Template, unsigned } from '../src/index.js'
import { fromDescriptorSet, toProto, ToProtoError } from '../schema/index.js'
import { bag, bagItem } from '../examples/bag.js'
import { grounded, SomeMessage } from '../examples/some-message.js'
import { sendCommand, vector, vectorTypes } from '../examples/vectors.js'
import { xmlFile, xmlProto } from '../examples/xml.js'
import { build, cases, withoutCapture } from './gen.js'
import { arbitrary } from '../src/testing.js'
import { SEED } from './helpers.js'
import { deepEqual } from '../src/equal.js'
import { bufConvert } from './buf.js'

/** protoc's reading of the bytes with the .proto text: decoded to text, and that text encoded again. */
function throughProtoc(proto: string, name: string, bytes: Uint8Array): { text: string; bytes: Uint8Array } {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-toproto-'))
  try {
    writeFileSync(join(dir, 'm.proto'), proto)
    const dec = spawnSync('protoc', [`-I${dir}`, `--decode=${name}`, 'm.proto'], { input: bytes })
    if (dec.status !== 0) throw new Error(`protoc --decode: ${dec.stderr.toString()}\n${proto}`)
    const text = dec.stdout.toString()
    const enc = spawnSync('protoc', [`-I${dir}`, `--encode=${name}`, 'm.proto'], { input: text })
    if (enc.status !== 0) throw new Error(`protoc --encode: ${enc.stderr.toString()}\n${text}`)
    return { text, bytes: new Uint8Array(enc.stdout) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** buf's reading of the bytes with the .proto text (it compiles editions), printed as text and written again as bytes. */
function throughBuf(proto: string, name: string, bytes: Uint8Array): { text: string; bytes: Uint8Array } {
  const files = { 'm.proto': proto }
  return { text: new TextDecoder().decode(bufConvert(files, name, bytes, 'txtpb')), bytes: bufConvert(files, name, bytes, 'binpb') }
}

const isEditions = (proto: string): boolean => /^edition = "2023";$/m.test(proto)

/** The message templates a template uses (not itself), each once, with whether every use of it is a group. */
function reachable(root: Template<unknown>): Map<Template<unknown>, boolean> {
  const own = (t: Template<unknown>) => {
    const shape = embedded(t).impl.shape?.()
    return shape?.kind === 'message' ? shape.template : t
  }
  const out = new Map<Template<unknown>, boolean>()
  const seen = new Set([own(root)])
  const host = (h: HostType<unknown>) => {
    const s = h.impl.shape?.()
    if (s?.kind !== 'message') return
    out.set(s.template, (out.get(s.template) ?? true) && s.group)
    if (!seen.has(s.template)) {
      seen.add(s.template)
      visit(s.template)
    }
  }
  const field = (f: FieldShape): void => {
    if (f.kind === 'single' || f.kind === 'list') host(f.host)
    else if (f.kind === 'map') [f.key, f.value].forEach(host)
    else if (f.kind === 'oneof') f.members.forEach((m) => field(m.shape))
  }
  const visit = (t: Template<unknown>) => t.impl.fields.forEach((f) => f.shape !== undefined && field(f.shape))
  visit(root)
  out.delete(own(root))
  return out
}

/**
 * The template's .proto, its bytes of the value read by protoc or buf, and
 * read back by protoplate. The .proto is the template's by its name, or,
 * with a package, a set: the template and every message it uses but its
 * groups, named inside it (`pkg.Name.M1`, …).
 */
function check<A>(t: import('ava').ExecutionContext, template: Template<A>, name: string, value: A, pkg?: string): string {
  const full = pkg === undefined ? name : `${pkg}.${name}`
  const named = () => {
    const inner = [...reachable(template as Template<unknown>)].filter(([, group]) => !group).map(([m], i) => [`${full}.M${i + 1}`, m] as const)
    return toProto({ [full]: template, ...Object.fromEntries(inner) })[`${pkg!}.proto`]!
  }
  const proto = pkg === undefined ? toProto(template as Template<unknown>, name) : named()
  const bytes = encodeOrThrow(template as Template<unknown>, value)
  const back = (isEditions(proto) ? throughBuf : throughProtoc)(proto, full, bytes)
  // protoc writes a map's entries in the order of their keys: Maps compare by their entries.
  const [theirs, ours] = [decodeOrThrow(template, back.bytes), decodeOrThrow(template, bytes)]
  if (deepEqual(theirs, ours)) t.pass()
  else t.deepEqual(theirs, ours, proto)
  return back.text
}

test("the manual's SomeMessage, with holes and grounded: protoc prints its fields by the template's names", (t) => {
  const value = { first: 100, second: 'abcd', third: ['foo', 'bar'], fourth: true, fifth: { value: -666, text: 'negative 666' }, sixth: [], seventh: [1, 2], eighth: [5, 6] }
  const text = check(t, SomeMessage, 'SomeMessage', value)
  t.regex(text, /^first: 100\nsecond: "abcd"\nthird: "foo"/)
  t.regex(text, /eighth: 5\neighth: 6/)
  check(t, grounded, 'SomeMessage', [] as never)
  t.regex(toProto(grounded as Template<unknown>, 'SomeMessage'), /required uint64 field_1 = 1 \[default = 100\];/)
})

test("the manual's commands, vectors of every type, the XML structure (user host types, recursion) and the bag (groups in a oneof)", (t) => {
  check(t, sendCommand(integer), 'SendCommand', ['transform', [[-3, 0, 3]]])
  t.regex(toProto(sendCommand(integer) as Template<unknown>, 'SendCommand'), /enum commands \{\n {2}square = 1;/)
  for (const [type] of vectorTypes) {
    const values = fc.sample(fc.array(arbitrary(type as never), { maxLength: 4 }), { seed: SEED, numRuns: 1 })[0]!
    check(t, vector(type as never), 'Vector', [values] as never)
  }
  check(t, xmlFile, 'XMLFile', [xmlProto])
  const proto = toProto(xmlFile as Template<unknown>, 'XMLFile')
  t.regex(proto, /message kv_pair \{/)
  t.regex(proto, /message xml_element \{/)
  for (const item of bag) check(t, bagItem, 'BagItem', [[item]])
  t.regex(toProto(bagItem as Template<unknown>, 'BagItem'), /group Complex = 12 \{/)
})

test('defaults, open enumerations, packed, and the syntax each needs', (t) => {
  const open = enumeration('level', { low: 0, high: 5 }, { open: true })
  // A required field and an open enum: editions, which buf compiles and protobuf-es reads.
  const tpl = message({ n: optional(unsigned(1)), l: open(2), p: packed(3, integer) })
  check(t, tpl, 'M', { n: 7, l: 9, p: [1, -1] })
  const both = toProto(tpl as Template<unknown>, 'M')
  t.regex(both, /^edition = "2023";$/m)
  t.regex(both, /\n {2}\.level l = 2 \[features\.field_presence = LEGACY_REQUIRED\];\n {2}repeated sint64 p = 3;\n/)
  t.regex(both, /enum level \{\n {2}low = 0;\n {2}high = 5;\n\}/)
  // An open enum alone: proto3, its zero first; implicit presence (a defaulted zero) is proto3's too.
  const three = message({ l: defaulted(enumeration('level', { high: 5, low: 0 }, { open: true })(1)), s: defaulted(string(2)), o: optional(integer(3)) })
  check(t, three, 'M', { l: 9, s: 'x', o: undefined })
  t.regex(toProto(three as Template<unknown>, 'M'), /syntax = "proto3";\n[^]*\n {2}\.level l = 1;\n {2}string s = 2;\n {2}optional sint64 o = 3;\n[^]*enum level \{\n {2}low = 0;\n {2}high = 5;/)
  // An open enum without a 0 cannot be an open enum's declaration: an int32, its members in a comment.
  const noZero = message({ n: unsigned(1), l: enumeration('level', { low: 1, high: 5 }, { open: true })(2) })
  check(t, noZero, 'M', { n: 1, l: 9 })
  t.regex(toProto(noZero as Template<unknown>, 'M'), /syntax = "proto2";[^]*required int32 l = 2; \/\/ enumeration level \(open\): low = 1, high = 5/)
})

test('a group that holds itself (through lazy) is a delimited field of a nested message, in editions', (t) => {
  interface G {
    n: number
    inner?: G | undefined
  }
  const groupTree: Template<G> = lazy(() => message({ n: integer(1), inner: optional(group(2, groupTree)) }))
  check(t, groupTree, 'G', { n: 1, inner: { n: 2, inner: { n: 3 } } })
  const proto = toProto(groupTree as Template<unknown>, 'G')
  t.regex(proto, /^edition = "2023";$/m)
  t.regex(proto, /message G \{\n {2}sint64 n = 1 \[features\.field_presence = LEGACY_REQUIRED\];\n {2}\.G inner = 2 \[features\.message_encoding = DELIMITED\];\n\}/)
  // Held once, a group is proto2's, declared where it stands.
  const once = message({ n: integer(1), inner: optional(group(2, message({ x: integer(3) }))) })
  t.regex(toProto(once as Template<unknown>, 'G'), /syntax = "proto2";[^]*\n {2}optional group Inner = 2 \{\n {4}required sint64 x = 3;\n {2}\}/)
})

test('a set across packages: a file a package, nested definitions, imports; protoc compiles them to those names', (t) => {
  const kind = enumeration('a.b.Outer.Kind', { none: 0, some: 1 }, { open: true })
  const inner = message({ k: defaulted(kind(1)) })
  const outer = message({ inner: optional(embedded(2, inner)), tail: optional(embedded(3, message({ x: optional(integer(1)) }))) })
  const user = message({ outer: repeatedEmbedded(1, outer), kinds: packed(2, kind) })
  const files = toProto({ 'c.User': user, 'a.b.Outer': outer, 'a.b.Outer.Inner': inner })
  t.deepEqual(Object.keys(files), ['a/b.proto', 'c.proto'])
  t.regex(files['a/b.proto']!, /^syntax = "proto3";\n\npackage a\.b;\n\nmessage Outer \{\n {2}\.a\.b\.Outer\.Inner inner = 2;\n {2}\.a\.b\.Tail tail = 3;\n {2}message Inner \{\n {4}\.a\.b\.Outer\.Kind k = 1;\n {2}\}\n {2}enum Kind \{/m)
  // Nothing in c.proto needs proto3 (the open enum is declared in a/b.proto): proto2, which says packed.
  t.regex(files['c.proto']!, /^syntax = "proto2";\n\npackage c;\n\nimport "a\/b\.proto";\n\nmessage User \{\n {2}repeated \.a\.b\.Outer outer = 1;\n {2}repeated \.a\.b\.Outer\.Kind kinds = 2 \[packed = true\];\n\}/m)
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-toproto-'))
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
    const r = spawnSync('protoc', [`-I${dir}`, '--include_imports', `--descriptor_set_out=${dir}/set.pb`, 'c.proto'], { encoding: 'utf8' })
    t.is(r.status, 0, r.stderr)
    const plans = fromDescriptorSet(readFileSync(`${dir}/set.pb`)).plans
    t.deepEqual([...plans.messages.keys()].sort(), ['a.b.Outer', 'a.b.Outer.Inner', 'a.b.Tail', 'c.User'])
    t.deepEqual([...plans.enums.values()].map((e) => [e.fullName, e.closed, e.file]), [['a.b.Outer.Kind', false, 'a/b.proto']])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test("enumerations whose values share names: .proto scopes an enum's values beside it, so the second is declared inside its message", (t) => {
  const tpl = message({ a: optional(enumeration('a', { x: 0, y: 1 })(1)), b: optional(enumeration('b', { x: 0 })(2)) })
  check(t, tpl, 'M', { a: 'y', b: 'x' })
  t.regex(toProto(tpl as Template<unknown>, 'M'), /message M \{\n {2}optional \.a a = 1;\n {2}optional \.M\.b_2 b = 2;\n {2}enum b_2 \{\n {4}x = 0;\n {2}\}\n\}/)
  // Named, such a pair is the user's to fix.
  const named = { 'p.A': enumeration('a', { x: 0 }), 'p.B': enumeration('b', { x: 0 }) }
  t.throws(() => toProto(named), { instanceOf: ToProtoError, message: "p.B: its value x is a name p has already (an enum's values are names beside it, not in it)" })
})

test('two fields of one JSON name, which proto3 refuses: proto2, or editions with the legacy JSON feature', (t) => {
  const two = message({ foo_bar: defaulted(integer(1)), fooBar: optional(integer(2)) })
  check(t, two, 'M', { foo_bar: 1, fooBar: 2 })
  const proto = toProto(two as Template<unknown>, 'M')
  t.regex(proto, /^edition = "2023";\n\nmessage M \{\n {2}option features\.json_format = LEGACY_BEST_EFFORT;\n {2}sint64 foo_bar = 1 \[features\.field_presence = IMPLICIT\];/m)
  const one = message({ foo_bar: optional(integer(1)), fooBar: optional(integer(2)) })
  check(t, one, 'M', { foo_bar: 1, fooBar: 2 })
  t.regex(toProto(one as Template<unknown>, 'M'), /^syntax = "proto2";\n\nmessage M \{\n {2}optional sint64 foo_bar = 1;/m)
})

test('what toProto refuses: a name that is not a full name, one template under two names, two packages in one file', (t) => {
  const m = message({ n: integer(1) })
  t.throws(() => toProto({ 'a.B': m, 'c.D': message({ x: integer(1) }) }, { file: () => 'x.proto' }), {
    instanceOf: ToProtoError,
    message: 'templates: c.D (package c) and a.B (package a) would share the file x.proto',
  })
  t.throws(() => toProto({ 'a b': m }), { instanceOf: ToProtoError, message: /"a b" is not a full name/ })
  t.throws(() => toProto({ 'a.B': m, 'a.C': m }), { instanceOf: ToProtoError, message: /a\.C and a\.B are one template; name it once/ })
  t.throws(() => toProto({ 'a.B': integer }), { instanceOf: ToProtoError, message: /a\.B: a scalar \(sint64\) is no definition/ })
})

test('generated templates: toProto, then protoc (or buf, for editions) reads protoplate\'s bytes as the same values', (t) => {
  const syntaxes = new Map<string, number>()
  let inner = 0
  fc.assert(
    fc.property(cases, (c) => {
      // Without captures of unknown fields, which protoc's text format would print by number and not read back; a tree of groups is editions'.
      const template = build(withoutCapture(c.spec), c.seed)
      const value = fc.sample(arbitrary(template), { seed: c.seed, numRuns: 1 })[0]
      // Every other one as a set of all its messages, in a package.
      const pkg = c.seed % 2 === 0 ? undefined : 'gen'
      check(t, template, 'Case', value, pkg)
      if (pkg !== undefined) inner += [...reachable(template)].filter(([, g]) => !g).length
      const syntax = /^(?:syntax = "(\w+)"|edition = "(\d+)");$/m.exec(toProto(template as Template<unknown>, 'Case'))!
      const key = syntax[1] ?? `editions ${syntax[2]!}`
      syntaxes.set(key, (syntaxes.get(key) ?? 0) + 1)
    }),
    { seed: SEED, numRuns: Number(process.env['PROTOPLATE_RUNS'] ?? 300) / 10 },
  )
  t.log(`generated templates by syntax: ${[...syntaxes].map(([k, n]) => `${k} ${n}`).join(', ')}; ${inner} messages named inside those written as sets`)
  t.true(syntaxes.size > 0)
})
