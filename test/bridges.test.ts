/**
 * The io-ts and fast-check bridges: each host type's codec, a template as
 * an io-ts Type over bytes, and `arbitrary` for every kind of template.
 */
import { isDeepStrictEqual } from 'node:util'
import test from 'ava'
import * as E from 'fp-ts/lib/Either.js'
import * as fc from 'fast-check'
import * as iots from 'io-ts'
import { PathReporter } from 'io-ts/lib/PathReporter.js'
import * as P from '../src/index.js'
import { arbitrary, ioTsType } from '../src/testing.js'
import { dec, enc, encodeBoth, hex, toHex } from './helpers.js'

test("a host type's codec is its guard: exact ranges, kinds and UTF-8", (t) => {
  t.true(P.unsigned32.codec.is(0xffffffff))
  t.false(P.unsigned32.codec.is(2 ** 32))
  t.false(P.signed32.codec.is(2 ** 31))
  t.true(P.signed32.codec.is(-(2 ** 31)))
  t.false(P.unsigned.codec.is(-1))
  t.false(P.unsigned.codec.is(2 ** 53)) // beyond exact numbers: the bigint twin's job
  t.true(P.unsignedBig.codec.is(2n ** 64n - 1n))
  t.false(P.unsignedBig.codec.is(2n ** 64n))
  t.false(P.integer.codec.is(1.5))
  t.true(P.double.codec.is(Number.NaN))
  t.false(P.double.codec.is('1'))
  t.true(P.atom.codec.is('\u{1F600}'))
  t.false(P.atom.codec.is('\ud800')) // a lone surrogate has no UTF-8 form
  t.true(P.codes.codec.is(new Uint8Array(0)))
  t.false(P.codes.codec.is([1, 2]))
  t.false(P.utf8Codes.codec.is([0x110000]))
  const e = P.enumeration('e', { a: 0, b: 1 })
  t.true(e.codec.is('a'))
  t.false(e.codec.is('c'))
  t.false(e.codec.is(0))
})

test("a host type's codec validates (with io-ts errors) and encodes as the identity", (t) => {
  t.deepEqual(P.unsigned.codec.decode(5), E.right(5))
  const r = P.unsigned.codec.decode(-5)
  t.true(E.isLeft(r))
  t.regex(PathReporter.report(r).join('\n'), /-5 is negative/)
  t.is(P.atom.codec.encode('x'), 'x')
  // They compose with io-ts like any codec.
  const pair = iots.tuple([P.unsigned32.codec, P.atom.codec])
  t.true(pair.is([1, 'a']))
  t.false(pair.is([-1, 'a']))
})

test('encode validates its input through the guards, with the path of the bad value', (t) => {
  const tpl = P.message({ id: P.unsigned32(1), tags: P.repeated(2, P.atom) })
  const r = encodeBoth(tpl, { id: 1, tags: ['a', 7 as unknown as string] })
  if (E.isRight(r)) return t.fail(toHex(r.right))
  t.is(r.left.kind, 'invalid-value')
  t.is(P.formatPath(r.left.path), 'tags(2)[1]')
})

test('ioTsType: a template as an io-ts Type from bytes', (t) => {
  const person = P.message({ name: P.string(1), id: P.unsigned(2), email: P.optional(P.string(3)) })
  const Person = ioTsType(person, 'Person')
  t.is(Person.name, 'Person')
  const bytes = hex('0a 03 41 64 61 10 01')
  t.deepEqual(Person.decode(bytes), E.right({ name: 'Ada', id: 1 }))
  t.is(toHex(Person.encode({ name: 'Ada', id: 1 })), toHex(bytes))
  t.true(Person.is({ name: 'Ada', id: 1 }))
  t.true(Person.is({ name: 'Ada', id: 1, email: 'a@b' }))
  t.false(Person.is({ name: 'Ada', id: -1 }))
  t.false(Person.is({ name: 'Ada' }))
  const bad = Person.decode(hex('0a 03 41 64'))
  t.true(E.isLeft(bad))
  t.regex(PathReporter.report(bad).join('\n'), /truncated/)
  t.true(E.isLeft(Person.decode('not bytes')))
  // Piped after another codec, as io-ts Types are.
  const FromNumbers = iots.array(iots.number).pipe(
    new iots.Type<Uint8Array, number[], number[]>(
      'bytes',
      (u): u is Uint8Array => u instanceof Uint8Array,
      (a) => iots.success(Uint8Array.from(a)),
      (b) => Array.from(b),
    ),
  )
  const Whole = FromNumbers.pipe(Person)
  t.deepEqual(Whole.decode(Array.from(bytes)), E.right({ name: 'Ada', id: 1 }))
})

test('ioTsType passes options (the depth limit) to decode', (t) => {
  type Node = readonly [Node | undefined]
  const node: P.HostType<Node> = P.embedded(P.protobuf([P.optional(P.lazy(() => node)(1))]))
  const tree = P.protobuf([P.optional(node(1))])
  const deep = hex('0a 04 0a 02 0a 00')
  t.true(E.isRight(ioTsType(tree).decode(deep)))
  t.true(E.isLeft(ioTsType(tree, 'tree', { maxDepth: 2 }).decode(deep)))
})

test('arbitrary gives values that encode, for host types and templates', (t) => {
  const hosts = [P.double, P.float, P.integer, P.unsigned32, P.integerBig, P.boolean, P.atom, P.utf8Codes, P.codes] as const
  for (const h of hosts) {
    fc.assert(fc.property(arbitrary(h as P.HostType<unknown>), (v) => (h as P.HostType<unknown>).codec.is(v)))
  }
  const tpl = P.message({
    a: P.optional(P.float(1)),
    b: P.packed(2, P.signed32),
    c: P.oneof({ x: P.atom(3), y: P.embedded(4, P.protobuf([P.boolean(1)])) }),
  })
  fc.assert(fc.property(arbitrary(tpl), (v) => isDeepStrictEqual(dec(tpl, enc(tpl, v)), v)))
  t.pass()
})

test("arbitrary gives an enumeration's first names only, the values decode gives", (t) => {
  // As protobuf's AliasedEnum: a later alias is accepted by encode, but reads back as the first name.
  const members = { FOO: 0, BAR: 1, BAZ: 2, MOO: 2, moo: 2, bAz: 2 }
  const tpl = P.protobuf([P.enumeration('closed', members)(1), P.enumeration('open', members, { open: true })(2)])
  fc.assert(fc.property(arbitrary(tpl), (v) => isDeepStrictEqual(dec(tpl, enc(tpl, v)), v)))
  const seen = new Set<unknown>(fc.sample(arbitrary(tpl), 200).flat())
  t.deepEqual(['FOO', 'BAR', 'BAZ'].filter((n) => !seen.has(n)), [])
})

test('arbitrary bounds recursion by its depth option', (t) => {
  type Tree = readonly [string, Tree[]]
  const tree: P.HostType<Tree> = P.embedded(P.protobuf([P.atom(1), P.repeated(2, P.lazy(() => tree))]))
  const root = P.protobuf([tree(1)])
  const depthOf = (x: Tree): number => 1 + Math.max(0, ...x[1].map(depthOf))
  for (const depth of [0, 1, 4]) {
    const deepest = Math.max(...fc.sample(arbitrary(root, { depth }), 200).map(([x]) => depthOf(x)))
    t.true(deepest <= depth + 1, `depth ${depth}: ${deepest}`)
  }
})

test('arbitrary refuses a template with no finite value', (t) => {
  type Self = readonly [Self]
  const self: P.Template<Self> = P.protobuf([P.embedded(1, P.lazy(() => self))])
  t.throws(() => arbitrary(self), { instanceOf: P.TemplateError })
})
