/**
 * A message of implicit presence (proto3's): a bare hole of a type with a
 * zero is `defaulted`, a message-typed hole or a oneof is `optional`, and
 * the rest keep their own presence; in the types, in both forms, and as
 * protoc reads a proto3 schema.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import test from 'ava'
import * as fc from 'fast-check'
import type { AnyField, AnyTemplate } from '../src/core.js'
import * as P from '../src/index.js'
import type { TypeOf } from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { cases } from './gen.js'
import { bothWays, dec, enc, hex, roundTrip, SEED } from './helpers.js'

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false
function expectType<T extends true>(_: T): void {}

const kind = P.enumeration('kind', { unset: 0, home: 1 })
const point = P.message({ x: P.integer(1), y: P.integer(2) }, { presence: 'implicit' })
/** The fields protoc's Person of the last test has. */
const proto3Fields = {
  id: P.unsigned(1),
  name: P.string(2),
  kind: kind(3),
  tags: P.repeated(4, P.atom),
  at: P.embedded(5, point),
  contact: P.oneof({ phone: P.string(6), fax: P.unsigned(7) }),
  nick: P.optional(P.string(8)),
}
const person = P.message({ ...proto3Fields, lucky: P.defaulted(P.unsigned(9), 7), counts: P.map(10, P.string, P.unsigned) }, { presence: 'implicit' })

test('the value type: scalars as they are, messages and oneofs optional', (t) => {
  expectType<
    Equal<
      TypeOf<typeof person>,
      {
        id: number
        name: string
        kind: 'unset' | 'home'
        tags: string[]
        lucky: number
        counts: Map<string, number>
        at?: { x: number; y: number } | undefined
        contact?: { case: 'phone'; value: string } | { case: 'fax'; value: number } | undefined
        nick?: string | undefined
      }
    >
  >(true)
  const tuple = P.protobuf([P.unsigned(1), P.embedded(2, point), P.oneof([P.string(3), P.unsigned(4)])], { presence: 'implicit' })
  expectType<Equal<TypeOf<typeof tuple>, readonly [number, { x: number; y: number } | undefined, string | number | undefined]>>(true)
  t.pass()
})

test('zeros are not written, and missing fields read as zeros; absent messages and oneofs as undefined', (t) => {
  const zero = { id: 0, name: '', kind: 'unset' as const, tags: [], lucky: 7, counts: new Map() }
  roundTrip(t, person, zero, '')
  roundTrip(t, person, { ...zero, id: 1, at: { x: 0, y: 0 }, contact: { case: 'fax', value: 0 } }, '08 01 2a 00 38 00')
  roundTrip(t, person, { ...zero, at: { x: -1, y: 0 }, lucky: 0 }, '2a 02 08 01 48 00')
  t.deepEqual(dec(point, hex('')), { x: 0, y: 0 })
})

test('fields already wrapped keep their own presence; a lazy host type is left as it is', (t) => {
  // lucky is defaulted to 7: 0 is written, 7 is not.
  t.deepEqual(dec(person, hex('')).lucky, 7)
  interface Node {
    readonly label: string
    readonly next?: Node | undefined
  }
  const node: P.Template<Node> = P.lazy(() => P.message({ label: P.string(1), next: P.embedded(2, node) }, { presence: 'implicit' }))
  roundTrip(t, node, { label: 'a', next: { label: '' } }, '0a 01 61 12 00')
  const host: P.HostType<readonly [number]> = P.lazy(() => P.embedded(P.protobuf([P.unsigned(1)])))
  const withLazy = P.message({ h: host(1) }, { presence: 'implicit' })
  t.throws(() => dec(withLazy, hex('')), { message: /missing-field/ })
})

test('the option is checked', (t) => {
  t.throws(() => P.message({ a: P.unsigned(1) }, { presence: 'proto3' as 'implicit' }), { instanceOf: P.TemplateError })
})

test('protoc reads and writes the bytes as proto3', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-presence-'))
  writeFileSync(
    join(dir, 'p.proto'),
    'syntax = "proto3";\nmessage Point { sint64 x = 1; sint64 y = 2; }\n' +
      'message Person {\n  uint64 id = 1;\n  string name = 2;\n  enum Kind { UNSET = 0; HOME = 1; }\n  Kind kind = 3;\n  repeated string tags = 4;\n  Point at = 5;\n' +
      '  oneof contact { string phone = 6; uint64 fax = 7; }\n  optional string nick = 8;\n}\n',
  )
  const simple = P.message(proto3Fields, { presence: 'implicit' })
  const v = { id: 0, name: 'n', kind: 'home' as const, tags: [], at: { x: 0, y: 3 }, contact: { case: 'fax' as const, value: 0 } }
  const text = execFileSync('protoc', [`-I${dir}`, '--decode=Person', 'p.proto'], { cwd: dir, input: enc(simple, v) }).toString()
  t.is(text, 'name: "n"\nkind: HOME\nat {\n  y: 3\n}\nfax: 0\n')
  const back = execFileSync('protoc', [`-I${dir}`, '--encode=Person', 'p.proto'], { cwd: dir, input: 'id: 0\nname: ""\nat {}\n' })
  t.deepEqual(dec(simple, back), { id: 0, name: '', kind: 'unset', tags: [], at: { x: 0, y: 0 } })
})

test(`generated templates of implicit presence round-trip in both forms, with no bail (seed ${SEED})`, (t) => {
  let rewritten = 0
  fc.assert(
    fc.property(
      cases.chain(({ template }) => {
        // The same fields, in a message of implicit presence.
        const m = template.impl
        const fields = m.fields.map((impl) => ({ kind: 'field' as const, presence: impl.presence, impl })) as unknown as AnyField[]
        const implicit: AnyTemplate =
          m.keys === undefined ? P.protobuf(fields, { presence: 'implicit' }) : P.message(Object.fromEntries(m.keys.map((k, i) => [k, fields[i]!])), { presence: 'implicit' })
        if (implicit.impl.fields.some((f, i) => f !== m.fields[i])) rewritten++
        return arbitrary(implicit).map((value) => [implicit, value] as const)
      }),
      ([tmpl, value]) => {
        const { bytes, back } = bothWays(tmpl, value)
        return isDeepStrictEqual(bothWays(tmpl, back).bytes, bytes)
      },
    ),
    { numRuns: 200, seed: SEED },
  )
  t.log(`${rewritten} of 200 templates had fields that implicit presence rewrote`)
  t.true(rewritten > 0)
})
