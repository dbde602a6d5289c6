/**
 * toProto: .proto text from templates, which protoc accepts and with which
 * it reads protoplate's bytes as the same values. protoc decodes the bytes
 * to its text format and encodes that text again, and protoplate reads
 * protoc's bytes back to the value it wrote: the SWI-Prolog manual's
 * examples, and generated templates.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'ava'
import * as fc from 'fast-check'
import { decodeOrThrow, encodeOrThrow, enumeration, group, integer, lazy, message, optional, packed, type Template, unsigned } from '../src/index.js'
import { toProto, ToProtoError } from '../schema/index.js'
import { bag, bagItem } from '../examples/bag.js'
import { grounded, SomeMessage } from '../examples/some-message.js'
import { sendCommand, vector, vectorTypes } from '../examples/vectors.js'
import { xmlFile, xmlProto } from '../examples/xml.js'
import { cases, forSchemas, build } from './gen.js'
import { arbitrary } from '../src/testing.js'
import { SEED } from './helpers.js'
import { deepEqual } from '../src/equal.js'

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

function check<A>(t: import('ava').ExecutionContext, template: Template<A>, name: string, value: A): string {
  const proto = toProto(template as Template<unknown>, name)
  const bytes = encodeOrThrow(template as Template<unknown>, value)
  const back = throughProtoc(proto, name, bytes)
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

test('defaults, open enumerations, packed, and a template a .proto cannot describe', (t) => {
  const open = enumeration('level', { low: 0, high: 5 }, { open: true })
  const tpl = message({ n: optional(unsigned(1)), l: open(2), p: packed(3, integer) })
  check(t, tpl, 'M', { n: 7, l: 9, p: [1, -1] })
  t.regex(toProto(tpl as Template<unknown>, 'M'), /required int32 l = 2; \/\/ enumeration level \(open\): low = 0, high = 5/)
  interface G {
    n: number
    inner?: G | undefined
  }
  const groupTree: Template<G> = lazy(() => message({ n: integer(1), inner: optional(group(2, groupTree)) }))
  t.throws(() => toProto(groupTree as Template<unknown>, 'G'), { instanceOf: ToProtoError, message: /a group holds itself/ })
})

test('generated templates: toProto, then protoc reads protoplate\'s bytes as the same values', (t) => {
  let n = 0
  fc.assert(
    fc.property(cases, (c) => {
      const template = build(forSchemas(c.spec), c.seed)
      const value = fc.sample(arbitrary(template), { seed: c.seed, numRuns: 1 })[0]
      check(t, template, 'Case', value)
      n++
    }),
    { seed: SEED, numRuns: Number(process.env['PROTOPLATE_RUNS'] ?? 300) / 10 },
  )
  t.log(`${n} generated templates`)
  t.true(n > 0)
})
