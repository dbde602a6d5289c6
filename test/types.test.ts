/**
 * The value types TypeScript infers from templates. These checks run in the
 * compiler: `npm test` builds first, so a wrong inference (or an
 * `@ts-expect-error` that no longer errs) fails the suite before ava starts.
 * Each test also round-trips a value of the inferred type at run time, so
 * the type and the behaviour are checked to agree.
 */
import test from 'ava'
import * as P from '../src/index.js'
import { arbitrary, ioTsType } from '../src/testing.js'
import type { TypeOf } from '../src/index.js'
import { dec, enc, toHex } from './helpers.js'

/** True when X and Y are the same type (not merely assignable either way). */
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false
function expectType<T extends true>(_: T): void {}

test('protobuf([...]) is the tuple of its holes; constants take no place', (t) => {
  const cmd = P.protobuf([P.atom(1, 'command'), P.integer(3), P.integer(4), P.repeated(5, P.atom)])
  expectType<Equal<TypeOf<typeof cmd>, readonly [number, number, string[]]>>(true)
  const v: TypeOf<typeof cmd> = [3, -4, ['a']]
  t.deepEqual(dec(cmd, enc(cmd, v)), v)
  // @ts-expect-error: a hole is missing
  P.encode(cmd, [3, -4])
  // @ts-expect-error: a string where a number goes
  P.encode(cmd, ['3', -4, []])
})

test('message({...}) is a record; optional holes are optional keys, constants absent', (t) => {
  const person = P.message({
    kind: P.atom(1, 'person'),
    id: P.unsigned(2),
    name: P.string(3),
    nick: P.optional(P.string(4)),
    score: P.defaulted(P.double(5)),
    tags: P.repeated(6, P.atom),
    blob: P.codes(7),
    big: P.unsignedBig(8),
    alive: P.boolean(9),
  })
  type Person = TypeOf<typeof person>
  expectType<
    Equal<
      Person,
      {
        id: number
        name: string
        score: number
        tags: string[]
        blob: Uint8Array
        big: bigint
        alive: boolean
        nick?: string | undefined
      }
    >
  >(true)
  const v: Person = { id: 1, name: 'n', score: 0, tags: [], blob: new Uint8Array(), big: 1n, alive: true }
  t.deepEqual(dec(person, enc(person, v)), v)
  // @ts-expect-error: a constant is not part of the value
  const bad: Person = { ...v, kind: 'person' }
  void bad
  // @ts-expect-error: a number where a bigint goes
  P.encode(person, { ...v, big: 1 })
})

test('every host type has the value type of DESIGN §1', (t) => {
  expectType<Equal<TypeOf<typeof P.double>, number>>(true)
  expectType<Equal<TypeOf<typeof P.float>, number>>(true)
  expectType<Equal<TypeOf<typeof P.integer>, number>>(true)
  expectType<Equal<TypeOf<typeof P.unsigned32>, number>>(true)
  expectType<Equal<TypeOf<typeof P.integerBig>, bigint>>(true)
  expectType<Equal<TypeOf<typeof P.fixed64Big>, bigint>>(true)
  expectType<Equal<TypeOf<typeof P.bool>, boolean>>(true)
  expectType<Equal<TypeOf<typeof P.atom>, string>>(true)
  expectType<Equal<TypeOf<typeof P.utf8Codes>, number[]>>(true)
  expectType<Equal<TypeOf<typeof P.bytes>, Uint8Array>>(true)
  // The .proto names are the same objects.
  t.is(P.sint64, P.integer)
  t.is(P.bytes, P.codes)
})

test('an enumeration is the union of its member names; an open one adds number', (t) => {
  const commands = P.enumeration('commands', { square: 1, decimate: 2, transform: 3 })
  const open = P.enumeration('level', { low: 1, high: 2 }, { open: true })
  expectType<Equal<TypeOf<typeof commands>, 'square' | 'decimate' | 'transform'>>(true)
  expectType<Equal<TypeOf<typeof open>, 'low' | 'high' | number>>(true)
  const tpl = P.protobuf([commands(1), open(2)])
  t.deepEqual(dec(tpl, enc(tpl, ['decimate', 7])), ['decimate', 7])
  // @ts-expect-error: not a member
  P.encode(tpl, ['cube', 1])
})

test('oneof: the union of its alternatives, or a discriminated union in the record form', (t) => {
  const prolog = P.protobuf([P.oneof([P.integer(31), P.double(32), P.atom(33)])])
  expectType<Equal<TypeOf<typeof prolog>, readonly [string | number]>>(true)
  const contact = P.message({ how: P.oneof({ mobile: P.string(2), email: P.string(3), id: P.unsigned(4) }) })
  type Contact = TypeOf<typeof contact>
  expectType<Equal<Contact, { how: { case: 'mobile'; value: string } | { case: 'email'; value: string } | { case: 'id'; value: number } }>>(
    true,
  )
  const v: Contact = { how: { case: 'id', value: 3 } }
  t.deepEqual(dec(contact, enc(contact, v)), v)
  // @ts-expect-error: the case and the value disagree
  P.encode(contact, { how: { case: 'id', value: 'x' } })
  const maybe = P.message({ how: P.optional(P.oneof({ a: P.atom(1) })) })
  expectType<Equal<TypeOf<typeof maybe>, { how?: { case: 'a'; value: string } | undefined }>>(true)
})

test('nesting: embedded, repeatedEmbedded, group and lists of groups carry the inner type', (t) => {
  const point = P.message({ x: P.double(1), y: P.double(2) })
  const shape = P.protobuf([
    P.embedded(1, point),
    P.repeatedEmbedded(2, point),
    P.group(3, P.protobuf([P.atom(1)])),
    P.repeated(4, P.group(P.message({ n: P.integer(1) }))),
    P.optional(P.embedded(5, point)),
  ])
  type Point = { x: number; y: number }
  expectType<
    Equal<TypeOf<typeof shape>, readonly [Point, Point[], readonly [string], { n: number }[], Point | undefined]>
  >(true)
  const v: TypeOf<typeof shape> = [{ x: 1, y: 2 }, [], ['a'], [{ n: -1 }], undefined]
  t.deepEqual(dec(shape, enc(shape, v)), v)
})

test('a template of constants needs no value; one with holes does', (t) => {
  const fixed = P.protobuf([P.atom(1, 'ping'), P.embedded(2, P.protobuf([P.unsigned(1, 7)]))])
  expectType<Equal<TypeOf<typeof fixed>, readonly []>>(true)
  t.is(toHex(enc(fixed)), '0a 04 70 69 6e 67 12 02 08 07')
  const holes = P.protobuf([P.unsigned(1)])
  // @ts-expect-error: the value is required
  P.encode(holes)
  t.pass()
})

test('hostType maps a template value to a domain type; lazy keeps a recursive type', (t) => {
  type Tree = { label: string; children: Tree[] }
  const tree: P.HostType<Tree> = P.hostType('tree', P.protobuf([P.atom(1), P.repeated(2, P.lazy(() => tree))]), {
    decode: ([label, children]) => ({ label, children }),
    encode: (n) => [n.label, n.children] as const,
  })
  expectType<Equal<TypeOf<typeof tree>, Tree>>(true)
  const root = P.protobuf([tree(1)])
  const v: TypeOf<typeof root> = [{ label: 'a', children: [{ label: 'b', children: [] }] }]
  t.deepEqual(dec(root, enc(root, v)), v)
  // @ts-expect-error: encode must give the template's value, not the domain's
  P.hostType('bad', P.protobuf([P.atom(1)]), { decode: ([s]) => s.length, encode: (n: number) => [n] as const })
})

test('unknownFields captures bytes as an optional Uint8Array', (t) => {
  const v1 = P.message({ id: P.unsigned(1), rest: P.unknownFields() })
  expectType<Equal<TypeOf<typeof v1>, { id: number; rest?: Uint8Array | undefined }>>(true)
  t.deepEqual(dec(v1, enc(v1, { id: 1 })), { id: 1 })
})

test('decode, decodePrefix, ioTsType and arbitrary all give the inferred type', (t) => {
  const tpl = P.message({ id: P.unsigned(1) })
  const d = P.decode(tpl, new Uint8Array([8, 1]))
  expectType<Equal<typeof d, import('fp-ts/lib/Either.js').Either<P.ProtoError, { id: number }>>>(true)
  const pre = P.decodePrefix(tpl, new Uint8Array([8, 1]))
  expectType<Equal<typeof pre, import('fp-ts/lib/Either.js').Either<P.ProtoError, P.Prefix<{ id: number }>>>>(true)
  const io = ioTsType(tpl)
  expectType<Equal<typeof io, import('io-ts').Type<{ id: number }, Uint8Array, unknown>>>(true)
  const arb = arbitrary(tpl)
  expectType<Equal<typeof arb, import('fast-check').Arbitrary<{ id: number }>>>(true)
  t.deepEqual(P.decodeOrThrow(tpl, new Uint8Array([8, 1])), { id: 1 })
})

test("the README's person has the type the README says", (t) => {
  const person = P.message({
    name: P.string(1),
    id: P.unsigned(2),
    email: P.optional(P.string(3)),
    phones: P.repeatedEmbedded(4, P.message({ number: P.string(1), kind: P.defaulted(P.enumeration('kind', { mobile: 0, home: 1 })(2)) })),
  })
  expectType<
    Equal<
      TypeOf<typeof person>,
      { name: string; id: number; phones: { number: string; kind: 'mobile' | 'home' }[]; email?: string | undefined }
    >
  >(true)
  t.pass()
})

test('encode takes readonly arrays, tuples and records, at any depth (as const included); decode still gives mutable types', async (t) => {
  const list = P.protobuf([P.repeated(1, P.unsigned)])
  t.is(toHex(P.encodeOrThrow(list, [[1, 2] as const])), '08 01 08 02')
  const ro: readonly number[] = [3]
  t.is(toHex(enc(list, [ro])), '08 03')
  const whole = [[4, 5]] as const
  t.is(toHex(enc(list, whole)), '08 04 08 05')
  t.true(P.encode(list, [Object.freeze([6])])._tag === 'Right')

  const person = P.message({
    id: P.unsigned(1),
    tags: P.repeated(2, P.atom),
    nick: P.optional(P.string(3)),
    blob: P.codes(4),
    big: P.unsignedBig(5),
    phones: P.repeatedEmbedded(6, P.message({ number: P.string(1), kinds: P.packed(2, P.enumeration('kind', { mobile: 0, home: 1 })) })),
    at: P.embedded(7, P.protobuf([P.double(1), P.repeated(2, P.double)])),
    how: P.oneof({ mail: P.string(8), ids: P.embedded(9, P.protobuf([P.repeated(1, P.unsigned)])) }),
    any: P.oneof([P.atom(10), P.embedded(11, P.message({ xs: P.repeated(1, P.integer) }))]),
    group: P.repeated(12, P.group([P.atom(1), P.repeated(2, P.atom)])),
    codes: P.utf8Codes(13),
  })
  const v = {
    id: 1,
    tags: ['a', 'b'],
    blob: new Uint8Array([1]),
    big: 2n,
    phones: [{ number: '5', kinds: ['home', 'mobile'] }],
    at: [1.5, [2.5]],
    how: { case: 'ids', value: [[7, 8]] },
    any: { xs: [-1] },
    group: [['g', ['h']]],
    codes: [104],
  } as const
  const bytes = enc(person, v)
  t.deepEqual(dec(person, bytes), { ...v, tags: ['a', 'b'] } as unknown)
  const frozen: Readonly<{ id: number; tags: readonly string[]; blob: Uint8Array; big: bigint; phones: readonly [] }> = { id: 1, tags: [], blob: new Uint8Array(), big: 0n, phones: [] }
  t.true(P.encode(person, { ...frozen, at: [0, []], how: { case: 'mail', value: 'm' }, any: 'x', group: [], codes: [] })._tag === 'Right')
  t.true(P.encodeDelimited(person, [v, v])._tag === 'Right')
  for await (const chunk of P.writeDelimited(person, [v])) t.true(chunk.length > 0)

  // A mapping may return readonly values too.
  const bag = P.hostType('bag', P.protobuf([P.repeated(1, P.atom)]), {
    decode: ([items]) => ({ items }),
    encode: (b: { readonly items: readonly string[] }) => [b.items] as const,
  })
  t.is(toHex(enc(P.protobuf([bag(1)]), [{ items: ['x'] as const }])), '0a 03 0a 01 78')

  // Readonly or not, a wrong value is still refused.
  // @ts-expect-error: strings where numbers go
  P.encode(list, [['1', '2'] as const])
  // @ts-expect-error: a case that does not exist
  P.encode(person, { ...v, how: { case: 'fax', value: 'x' } } as const)
  // @ts-expect-error: a missing hole
  P.encode(P.protobuf([P.unsigned(1), P.repeated(2, P.unsigned)]), [1] as const)

  // Decoded values keep their mutable types.
  const back = dec(person, bytes)
  expectType<Equal<typeof back.tags, string[]>>(true)
  expectType<Equal<typeof back.at, readonly [number, number[]]>>(true)
  back.tags.push('c')
  t.is(back.tags.length, 3)
})

test('map(...) is a Map of its key and value types, or a record of string keys', (t) => {
  const tmpl = P.message({ counts: P.map(1, P.string, P.unsigned), labels: P.map(2, P.string, P.string, { record: true }), big: P.map(3, P.unsignedBig, P.boolean) })
  expectType<Equal<TypeOf<typeof tmpl>, { counts: Map<string, number>; labels: Record<string, string>; big: Map<bigint, boolean> }>>(true)
  const v: TypeOf<typeof tmpl> = { counts: new Map([['a', 1]]), labels: { x: 'y' }, big: new Map([[1n, true]]) }
  t.deepEqual(dec(tmpl, enc(tmpl, v)), v)
  const ro: ReadonlyMap<string, number> = new Map([['a', 1]])
  t.is(toHex(P.encodeOrThrow(P.protobuf([P.map(1, P.string, P.unsigned)]), [ro])), '0a 05 0a 01 61 10 01')
  // @ts-expect-error: a value of the wrong type
  P.encode(tmpl, { counts: new Map([['a', 'b']]), labels: {}, big: new Map() })
})
