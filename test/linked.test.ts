/**
 * A piece without an emitter is called through its interpreter from the
 * compiled code (construct's linked parsers): a field kind or a host type
 * of a user's own, or one whose emitter is still to be written. Its
 * templates must encode and decode as the interpreter does, with no bail
 * on canonical input: the linked path never reruns the operation.
 */
import test from 'ava'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import type { AnyField, AnyHostType, AnyTemplate, Field, FieldImpl, HostImpl } from '../src/core.js'
import { defineHostType } from '../combinators/host.js'
import * as P from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { bothWays, dec, decodeBoth, encodeBoth, hex, SEED, toHex } from './helpers.js'

/** The same field kind, without its emitter. */
function unlinked<F extends AnyField>(f: F): F {
  const { emit: _, ...impl } = f.impl as FieldImpl
  return { ...f, impl } as F
}

/** The same host type, without its emitter. */
function unemitted<A>(h: P.HostType<A>): P.HostType<A> {
  const { emit: _, ...impl } = h.impl as HostImpl<A>
  return defineHostType<A>({ ...impl, name: `${h.typeName} (no emitter)` })
}

const point = P.message({ x: P.double(1), y: P.double(2) })
const tag = P.enumeration('tag', { a: 0, b: 1 })

const templates = {
  'fields without emitters': P.message({
    id: unlinked(P.unsigned(1)),
    name: unlinked(P.optional(P.string(2))),
    kind: unlinked(P.defaulted(tag(3))),
    xs: unlinked(P.packed(4, P.integer)),
    tags: unlinked(P.repeated(5, P.atom)),
    at: unlinked(P.embedded(6, point)),
    pick: unlinked(P.oneof({ n: P.unsigned(7), s: P.string(8) })),
    constant: unlinked(P.unsigned(9, 42)),
  }),
  'host types without emitters, in fields with emitters': P.message({
    id: unemitted(P.unsigned)(1),
    name: P.optional(unemitted(P.string)(2)),
    kind: P.defaulted(unemitted(tag)(3)),
    xs: P.packed(4, unemitted(P.integer)),
    ds: P.packed(5, unemitted(P.double)),
    tags: P.repeated(6, unemitted(P.atom)),
    at: P.embedded(7, point),
    pick: P.oneof([unemitted(P.integer)(8), unemitted(P.atom)(9)]),
    constant: unemitted(P.unsigned)(10, 42),
  }),
} satisfies Record<string, AnyTemplate>

for (const [what, template] of Object.entries(templates)) {
  const tmpl: AnyTemplate = template
  test(`${what}: both forms give the same bytes and values, with no bail (seed ${SEED})`, (t) => {
    fc.assert(
      fc.property(arbitrary(tmpl), (v) => {
        bothWays(tmpl, v)
      }),
      { numRuns: 200, seed: SEED },
    )
    t.pass()
  })
}

test('a linked field reports its errors as the interpreter does, with the path', (t) => {
  const tmpl = templates['fields without emitters']
  const bad = decodeBoth(tmpl, hex('08 01 32 03 09 00 00'))
  t.true(E.isLeft(bad))
  const wrong = encodeBoth(tmpl, { id: -1, kind: 'a', xs: [], tags: [], at: { x: 0, y: 0 }, pick: { case: 'n', value: 1 } })
  t.is(E.isLeft(wrong) ? `${wrong.left.kind} at ${P.formatPath(wrong.left.path)}` : 'no error', 'out-of-range at id(1)')
  const ok = encodeBoth(tmpl, { id: 1, kind: 'b', xs: [-1], tags: ['a'], at: { x: 0, y: 0 }, pick: { case: 's', value: 'z' } })
  t.is(E.isRight(ok) ? toHex(ok.right) : ok.left.message, '08 01 18 01 22 01 01 2a 01 61 32 12 09 00 00 00 00 00 00 00 00 11 00 00 00 00 00 00 00 00 42 01 7a 48 2a')
})

// The linked host types above must have no emitter, or this test tests nothing.
test('the pieces above have no emitter', (t) => {
  const fields = (templates['fields without emitters'].impl.fields as readonly FieldImpl[]).filter((f) => f.emit !== undefined)
  t.deepEqual(fields, [])
  const hosts: AnyHostType[] = [unemitted(P.unsigned), unemitted(P.string)]
  t.true(hosts.every((h) => h.impl.emit === undefined))
  const _typed: Field<number, 'required'> = unlinked(P.unsigned(1))
  t.truthy(_typed)
})

test('a linked list of a closed enumeration keeps its unknown numbers where the interpreter does, in both forms', (t) => {
  const color = P.enumeration('linked_color', { red: 0, green: 1 }, { unknown: 'field' })
  const tmpl = P.message({ cs: unlinked(P.packed(1, color)), rest: P.unknownFields() })
  // A packed run of red, 99, green: 99 is kept as a varint field of its own.
  t.deepEqual(dec(tmpl, hex('0a 03 00 63 01'), { bails: true }), { cs: ['red', 'green'], rest: hex('08 63') })
  const outer = P.message({ inner: P.embedded(1, tmpl), rest: P.unknownFields() })
  t.deepEqual(dec(outer, hex('0a 05 0a 03 00 63 01'), { bails: true }), { inner: { cs: ['red', 'green'], rest: hex('08 63') } })
})
