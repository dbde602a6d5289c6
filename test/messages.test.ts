/**
 * Messages, lists, nesting, presence, alternatives, custom host types,
 * recursion and unknown fields: exact bytes and the decoding rules of the
 * protobuf specification.
 */
import test, { type ExecutionContext } from 'ava'
import * as E from 'fp-ts/lib/Either.js'
import {
  atom,
  boolean,
  codes,
  decodeOrThrow,
  decodePrefix,
  defaulted,
  double,
  embedded,
  encodeOrThrow,
  enumeration,
  float,
  group,
  hostType,
  integer,
  lazy,
  message,
  oneof,
  optional,
  packed,
  protobuf,
  repeated,
  repeatedEmbedded,
  setCodeGeneration,
  signed32,
  string,
  type Template,
  TemplateError,
  unknownFields,
  unsigned,
} from '../src/index.js'
import { concat, dec, decodeError, enc, encodeError, hex, roundTrip, toHex } from './helpers.js'

// ---------------------------------------------------------------------------
// Messages

test('protobuf([...]): the value is the tuple of the holes, constants take no place', (t) => {
  roundTrip(t, protobuf([atom(1, 'command'), integer(3), integer(4)]), [3, -4], '0a 07 63 6f 6d 6d 61 6e 64 18 06 20 07')
})

test('message({...}): the value is a record of the holes', (t) => {
  const person = message({ name: string(1), id: signed32(2), email: optional(string(3)) })
  roundTrip(t, person, { name: 'Ann', id: 7 }, '0a 03 41 6e 6e 10 07')
  roundTrip(t, person, { name: 'Ann', id: 7, email: 'a@b' }, '0a 03 41 6e 6e 10 07 1a 03 61 40 62')
})

test('the empty message encodes to nothing and decodes from nothing', (t) => {
  roundTrip(t, protobuf([]), [], '')
  roundTrip(t, message({}), {}, '')
  t.is(toHex(enc(protobuf([]))), '')
})

test('an empty embedded message and an empty group are messages like any other', (t) => {
  roundTrip(t, protobuf([embedded(1, protobuf([]))]), [], '0a 00')
  roundTrip(t, protobuf([group(1, protobuf([]))]), [], '0b 0c')
  roundTrip(t, protobuf([repeatedEmbedded(1, protobuf([]))]), [[[], []]], '0a 00 0a 00')
  roundTrip(t, protobuf([repeated(1, group(protobuf([])))]), [[[]]], '0b 0c')
  decodeError(t, protobuf([embedded(1, protobuf([]))]), '', { kind: 'missing-field', path: 'embedded(1)', offset: 0 })
})

test('fields decode in any order', (t) => {
  const tmpl = protobuf([unsigned(1), string(2), repeated(3, integer)])
  t.deepEqual(dec(tmpl, hex('18 02 12 01 78 18 04 08 05')), [5, 'x', [1, 2]])
})

test('a scalar that occurs more than once takes the last', (t) => {
  t.deepEqual(dec(protobuf([unsigned(1)]), hex('08 01 08 02 08 03')), [3])
})

test('two occurrences of an embedded message merge: scalars replaced, lists appended, messages merged', (t) => {
  const inner = protobuf([optional(unsigned(1)), repeated(2, unsigned), optional(embedded(3, protobuf([optional(unsigned(1)), optional(unsigned(2))])))])
  const tmpl = protobuf([embedded(5, inner)])
  const first = enc(tmpl, [[1, [10], [7, undefined]]])
  const second = enc(tmpl, [[2, [20], [undefined, 8]]])
  // Merging is the interpreter's: the compiled code hands it over.
  t.deepEqual(dec(tmpl, concat(first, second), { bails: true }), [[2, [10, 20], [7, 8]]])
})

test('a required field of an embedded message may come from any of its occurrences', (t) => {
  const tmpl = protobuf([embedded(1, protobuf([unsigned(1), unsigned(2)]))])
  t.deepEqual(dec(tmpl, hex('0a 02 08 01 0a 02 10 02'), { bails: true }), [[1, 2]])
})

test('unknown fields of every wire type are skipped', (t) => {
  const tmpl = protobuf([unsigned(1)])
  const unknown = '10 96 01 19 01 02 03 04 05 06 07 08 22 02 aa bb 2b 08 01 2c 35 01 02 03 04'
  t.deepEqual(dec(tmpl, hex(`${unknown} 08 07 ${unknown}`)), [7])
})

test('a field whose wire type does not fit its template is treated as unknown', (t) => {
  const tmpl = protobuf([optional(unsigned(1))])
  t.deepEqual(dec(tmpl, hex('0d 01 02 03 04')), [undefined])
  decodeError(t, protobuf([unsigned(1)]), '0a 01 00', { kind: 'missing-field', path: 'unsigned(1)', offset: 3 })
})

test('constants: written always, and the wire must carry exactly them', (t) => {
  const tmpl = protobuf([unsigned(1, 100), string(2)])
  roundTrip(t, tmpl, ['x'], '08 64 12 01 78')
  decodeError(t, tmpl, '08 65 12 01 78', { kind: 'constant-mismatch', path: 'unsigned(1)', offset: 1 })
  decodeError(t, tmpl, '12 01 78', { kind: 'missing-field', path: 'unsigned(1)', offset: 3 })
  decodeError(t, protobuf([repeated(3, atom, ['a'])]), '1a 01 62', { kind: 'constant-mismatch', path: 'atom(3)', offset: 3 })
})

/** Run `f` with code generation on, then off (restored after); `f` gets a label for messages. */
function bothWays(f: (mode: string) => void): void {
  for (const on of [true, false]) {
    setCodeGeneration(on)
    try {
      f(`code generation ${on ? 'on' : 'off'}`)
    } finally {
      setCodeGeneration(true)
    }
  }
}

/** decode fails with a constant-mismatch whose detail is exactly `detail`, with code generation on and off. */
function mismatch(t: ExecutionContext, template: Template<readonly []>, bytes: Uint8Array, path: string, detail: string): void {
  bothWays((mode) => {
    const e = decodeError(t, template, bytes, { kind: 'constant-mismatch', path })
    t.is(e.detail, detail, mode)
  })
}

test('constant lists of messages compare field by field with each host type\'s equality, and decode their own bytes', (t) => {
  const pt = hostType('pt', protobuf([float(1)]), { decode: ([x]) => ({ x }), encode: ({ x }: { x: number }) => [x] as const })
  const inner = message({
    x: float(1),
    y: optional(float(2)),
    zs: repeated(3, float),
    o: oneof([float(4), atom(5)]),
    c: oneof({ a: float(6), b: atom(7) }),
    n: embedded(8, protobuf([float(1), double(2)])),
    p: pt(9),
  })
  const templates: Template<readonly []>[] = [
    protobuf([repeated(2, embedded(protobuf([float(1)])), [[0.1], [0.2]])]),
    protobuf([repeated(2, group([float(1)]), [[0.1], [NaN], [-0]])]),
    protobuf([repeated(2, group(message({ f: float(1) })), [{ f: 0.1 }])]),
    protobuf([
      repeated(2, embedded(inner), [
        { x: 0.1, zs: [0.2, NaN], o: 0.3, c: { case: 'a', value: -0 }, n: [0.4, NaN], p: { x: 0.7 } },
        { x: 0.5, y: 0.6, zs: [], o: 'q', c: { case: 'b', value: 'r' }, n: [-0, 1], p: { x: 1e39 } },
      ]),
    ]),
    protobuf([repeated(2, pt, [{ x: 0.1 }, { x: 3.4028235e38 }])]),
    protobuf([embedded(2, protobuf([float(1, 0.1)]))]),
    protobuf([embedded(2, protobuf([embedded(3, protobuf([float(1, 0.1), repeated(2, float, [0.2])]))]))]),
    protobuf([embedded(protobuf([float(1)]))(2, [0.1]), group(protobuf([float(1)]))(3, [0.2])]),
    protobuf([embedded(inner)(2, { x: 0.1, zs: [0.2], o: 'q', c: { case: 'a', value: 0.3 }, n: [0.4, 0.5], p: { x: 0.6 } })]),
  ]
  bothWays((mode) => {
    for (const tmpl of templates) {
      const bytes = enc(tmpl)
      t.deepEqual(dec(tmpl, bytes), [], `${toHex(bytes)} ${mode}`)
    }
  })
})

test('constant-mismatch names where inside a constant list or message the values differ, and both values', (t) => {
  const point = message({ x: double(1), y: optional(float(2)) })
  const list = protobuf([repeated(2, embedded(point), [{ x: 0.1 }, { x: 0.1 }])])
  mismatch(t, list, enc(protobuf([repeated(2, embedded(point))]), [[{ x: 0.1 }, { x: 0.2 }]]), 'embedded(2)', '[1].x(1): expected 0.1, found 0.2')
  mismatch(t, list, enc(protobuf([repeated(2, embedded(point))]), [[{ x: 0.1 }, { x: 0.1, y: 1 }]]), 'embedded(2)', '[1].y(2): expected undefined, found 1')
  mismatch(t, list, enc(protobuf([repeated(2, embedded(point))]), [[{ x: 0.1 }]]), 'embedded(2)', 'expected 2 elements, found 1')
  // −0 is not 0 (their bytes differ), in a float as in a double.
  const zeros = protobuf([repeated(2, group([float(1)]), [[-0]])])
  mismatch(t, zeros, enc(protobuf([repeated(2, group([float(1)]))]), [[[0]]]), 'group(2)', '[0].float(1): expected -0, found 0')
  // A message constant, nested, with a oneof in both forms and a list.
  const inner = message({ o: oneof([double(4), atom(5)]), c: oneof({ a: double(6), b: atom(7) }), zs: repeated(3, double) })
  const whole = protobuf([embedded(inner)(2, { o: 1, c: { case: 'a', value: 2 }, zs: [3, 4] })])
  const hole = protobuf([embedded(2, inner)])
  mismatch(t, whole, enc(hole, [{ o: 'q', c: { case: 'a', value: 2 }, zs: [3, 4] }]), 'embedded(2)', 'o: expected 1, found "q"')
  mismatch(t, whole, enc(hole, [{ o: 1, c: { case: 'a', value: 5 }, zs: [3, 4] }]), 'embedded(2)', 'c.a(6): expected 2, found 5')
  mismatch(t, whole, enc(hole, [{ o: 1, c: { case: 'b', value: 'x' }, zs: [3, 4] }]), 'embedded(2)', 'c.case: expected "a", found "b"')
  mismatch(t, whole, enc(hole, [{ o: 1, c: { case: 'a', value: 2 }, zs: [3, 5] }]), 'embedded(2)', 'zs(3)[1]: expected 4, found 5')
})

// ---------------------------------------------------------------------------
// Lists

test('repeated writes one field per element; packed one run', (t) => {
  roundTrip(t, protobuf([repeated(7, integer)]), [[1, 2, 3, 4]], '38 02 38 04 38 06 38 08')
  roundTrip(t, protobuf([packed(8, integer)]), [[5, 6, 7, 8]], '42 04 0a 0c 0e 10')
  roundTrip(t, protobuf([packed(8, double)]), [[1]], '42 08 00 00 00 00 00 00 f0 3f')
})

test('an empty list writes nothing, packed included, and a missing list is []', (t) => {
  roundTrip(t, protobuf([repeated(7, integer)]), [[]], '')
  roundTrip(t, protobuf([packed(8, integer)]), [[]], '')
  roundTrip(t, protobuf([packed(8, enumeration('e', { a: 0 }))]), [[]], '')
  roundTrip(t, protobuf([repeated(8, enumeration('e', { a: 0 }))]), [[]], '')
})

test('repeated and packed each decode the other encoding, and both mixed', (t) => {
  t.deepEqual(dec(protobuf([repeated(7, integer)]), hex('3a 02 02 04 38 06')), [[1, 2, 3]])
  t.deepEqual(dec(protobuf([packed(8, integer)]), hex('40 02 42 02 04 06')), [[1, 2, 3]])
  t.deepEqual(dec(protobuf([repeated(1, boolean)]), hex('0a 00')), [[]])
})

test('list elements gather from wherever they stand', (t) => {
  t.deepEqual(dec(protobuf([repeated(1, atom), unsigned(2)]), hex('0a 01 61 10 05 0a 01 62')), [['a', 'b'], 5])
})

test('packed is for numeric, boolean and enum types only', (t) => {
  t.throws(() => packed(1, string), { instanceOf: TemplateError })
  t.throws(() => packed(1, codes), { instanceOf: TemplateError })
  t.throws(() => packed(1, embedded(protobuf([]))), { instanceOf: TemplateError })
})

// ---------------------------------------------------------------------------
// Templates are checked when built

test('tags are 1 … 2^29−1, not 19000–19999, unique in a message', (t) => {
  t.throws(() => unsigned(0), { instanceOf: TemplateError })
  t.throws(() => unsigned(2 ** 29), { instanceOf: TemplateError })
  t.throws(() => unsigned(1.5), { instanceOf: TemplateError })
  t.throws(() => unsigned(19000), { instanceOf: TemplateError })
  t.throws(() => repeated(19999, unsigned), { instanceOf: TemplateError })
  t.notThrows(() => unsigned(18999))
  t.notThrows(() => unsigned(20000))
  t.notThrows(() => unsigned(2 ** 29 - 1))
  t.throws(() => protobuf([unsigned(1), string(1)]), { instanceOf: TemplateError, message: /tag 1 is used twice/ })
  t.throws(() => message({ a: unsigned(2), b: oneof([string(3), atom(2)]) }), { instanceOf: TemplateError })
  t.throws(() => protobuf([unknownFields(), unknownFields()]), { instanceOf: TemplateError })
})

test('a constant that its type rejects is a TemplateError when the template is built', (t) => {
  t.throws(() => signed32(1, 2 ** 32), { instanceOf: TemplateError })
  t.throws(() => repeated(1, unsigned, [-1]), { instanceOf: TemplateError })
  t.throws(() => unsigned(1, -1), { instanceOf: TemplateError, message: 'unsigned(1, -1): the constant is not a value of unsigned: -1 is negative' })
  t.throws(() => repeated(2, atom, [3 as unknown as string]), {
    instanceOf: TemplateError,
    message: 'repeated(2, atom, [...]): the constant is not a list of atom: [0]: expected a string, got 3',
  })
  t.throws(() => packed(2, unsigned, [1, 2 ** 60]), { instanceOf: TemplateError, message: /^packed\(2, unsigned, \[\.\.\.\]\): the constant is not a list of unsigned: \[1\]: .*unsignedBig/ })
  t.throws(() => defaulted(unsigned(1), -1), { instanceOf: TemplateError, message: 'defaulted(unsigned, -1): the default is not a value of unsigned: -1 is negative' })
  t.throws(() => defaulted(string(1), 'a\ud800'), { instanceOf: TemplateError, message: /^defaulted\(string, "a.+"\): the default is not a value of string: .*lone surrogate/ })
  t.throws(() => embedded(protobuf([unsigned(1)]))(2, [-1] as const), { instanceOf: TemplateError, message: 'embedded(2, an array of 1): the constant is not a value of embedded: unsigned: -1 is negative' })
  t.throws(() => atom(1, 5 as unknown as string), { instanceOf: TemplateError })
  t.throws(() => enumeration('e', { a: 0 })(1, 'b' as 'a'), { instanceOf: TemplateError })
})

// ---------------------------------------------------------------------------
// Presence

test('optional: undefined writes nothing and a missing field is undefined', (t) => {
  const tmpl = protobuf([optional(unsigned(1)), unsigned(2)])
  roundTrip(t, tmpl, [undefined, 2], '10 02')
  roundTrip(t, tmpl, [1, 2], '08 01 10 02')
})

test('defaulted: the default is not written and a missing field is the default', (t) => {
  const tmpl = message({ n: defaulted(unsigned(1)), s: defaulted(string(2)), b: defaulted(boolean(3)), k: defaulted(unsigned(4), 7) })
  roundTrip(t, tmpl, { n: 0, s: '', b: false, k: 7 }, '')
  roundTrip(t, tmpl, { n: 1, s: 'x', b: true, k: 0 }, '08 01 12 01 78 18 01 20 00')
  const e = enumeration('e', { zero: 0, one: 1 })
  roundTrip(t, protobuf([defaulted(e(1))]), ['zero'], '')
  t.throws(() => defaulted(embedded(1, protobuf([unsigned(1)]))), { instanceOf: TemplateError })
  // −0 is not the default 0: its bytes differ.
  roundTrip(t, protobuf([defaulted(double(1))]), [-0], '09 00 00 00 00 00 00 00 80')
})

test("defaulted: the default is left out by the type's own equality, a float after rounding to f32, in both forms", (t) => {
  const tmpl = protobuf([defaulted(float(1), 0.1), defaulted(codes(2), Uint8Array.of(1, 2))])
  for (const generation of [true, false]) {
    setCodeGeneration(generation)
    try {
      t.is(toHex(enc(tmpl, [Math.fround(0.1), Uint8Array.of(1, 2)])), '', `code generation ${generation}`)
      t.is(toHex(enc(tmpl, [0.1, Uint8Array.of(1, 3)])), '12 02 01 03', `code generation ${generation}`)
      t.is(toHex(enc(tmpl, [0.2, Uint8Array.of(1, 2)])), '0d cd cc 4c 3e', `code generation ${generation}`)
    } finally {
      setCodeGeneration(true)
    }
  }
  // A value of another JavaScript type is not compared by the type's equality (which takes its own values), but checked.
  encodeError(t, tmpl, [1n, Uint8Array.of(1, 2)], { kind: 'invalid-value', path: 'float(1)' })
})

test('a missing required field is an error naming it', (t) => {
  decodeError(t, message({ name: string(1), id: unsigned(2) }), '0a 01 78', { kind: 'missing-field', path: 'id(2)', offset: 3 })
  encodeError(t, message({ name: string(1), id: unsigned(2) }), { name: 'x' }, { kind: 'missing-field', path: 'id(2)' })
})

// ---------------------------------------------------------------------------
// Enumerations

test('enumeration: names on the value side, int32 on the wire (negatives in 10 bytes)', (t) => {
  const e = enumeration('e', { neg: -1, zero: 0, big: 300 })
  roundTrip(t, protobuf([e(1)]), ['neg'], '08 ff ff ff ff ff ff ff ff ff 01')
  roundTrip(t, protobuf([e(1)]), ['big'], '08 ac 02')
  decodeError(t, protobuf([e(1)]), '08 05', { kind: 'unknown-enum', path: 'e(1)', offset: 1 })
  encodeError(t, protobuf([e(1)]), ['nope'], { kind: 'unknown-enum', path: 'e(1)' })
})

test('an open enumeration keeps numbers it does not name', (t) => {
  const e = enumeration('e', { a: 1 }, { open: true })
  roundTrip(t, protobuf([e(1)]), [5], '08 05')
  roundTrip(t, protobuf([e(1)]), ['a'], '08 01')
  roundTrip(t, protobuf([e(1)]), [-2], '08 fe ff ff ff ff ff ff ff ff 01')
})

test('enumeration aliases decode as the first name', (t) => {
  const e = enumeration('e', { a: 1, also_a: 1 })
  t.deepEqual(dec(protobuf([e(1)]), enc(protobuf([e(1)]), ['also_a'])), ['a'])
})

test('enumeration aliases are one value: a constant of one reads its bytes, and a default of one is not written', (t) => {
  const e = enumeration('e', { zero: 0, also_zero: 0, one: 1, also_one: 1 })
  roundTrip(t, protobuf([e(1, 'also_one')]), [], '08 01')
  roundTrip(t, message({ x: defaulted<'zero' | 'also_zero' | 'one' | 'also_one'>(e(1), 'also_one') }), { x: 'also_one' }, '')
  t.is(toHex(enc(message({ x: defaulted(e(1)) }), { x: 'also_zero' })), '')
  t.deepEqual(dec(message({ x: defaulted(e(1)) }), hex('08 00')), { x: 'zero' })
  const open = enumeration('open', { zero: 0, also_zero: 0 }, { open: true })
  roundTrip(t, protobuf([open(1, 'also_zero')]), [], '08 00')
  decodeError(t, protobuf([e(1, 'also_one')]), '08 00', { kind: 'constant-mismatch', path: 'e(1)' })
})

// ---------------------------------------------------------------------------
// Alternatives

test('oneof (Prolog form): encode picks the first alternative that accepts the value', (t) => {
  const v = oneof([integer(31), double(32), atom(33)])
  roundTrip(t, protobuf([v]), [3], 'f8 01 06')
  roundTrip(t, protobuf([v]), [3.5], '81 02 00 00 00 00 00 00 0c 40')
  roundTrip(t, protobuf([v]), ['x'], '8a 02 01 78')
  encodeError(t, protobuf([v]), [true], { kind: 'invalid-value', path: 'oneof' })
})

test('oneof (record form): a discriminated union', (t) => {
  const contact = message({ name: string(1), contact: oneof({ mobile: string(2), email: string(3) }) })
  roundTrip(t, contact, { name: 'a', contact: { case: 'email', value: 'e' } }, '0a 01 61 1a 01 65')
  encodeError(t, contact, { name: 'a', contact: { case: 'fax', value: 'e' } }, { kind: 'invalid-value', path: 'contact' })
})

test('oneof: the last alternative on the wire wins; none is missing unless optional', (t) => {
  const tmpl = protobuf([oneof({ a: unsigned(1), b: string(2) })])
  t.deepEqual(dec(tmpl, hex('08 01 12 01 78')), [{ case: 'b', value: 'x' }])
  t.deepEqual(dec(tmpl, hex('12 01 78 08 01')), [{ case: 'a', value: 1 }])
  decodeError(t, tmpl, '', { kind: 'missing-field', path: 'oneof', offset: 0 })
  t.deepEqual(dec(protobuf([optional(oneof({ a: unsigned(1) }))]), hex('')), [undefined])
})

test('oneof alternatives must be single holes', (t) => {
  t.throws(() => oneof([repeated(1, unsigned)]), { instanceOf: TemplateError })
  // @ts-expect-error a constant is no alternative
  t.throws(() => oneof([unsigned(1, 3)]), { instanceOf: TemplateError })
  t.throws(() => oneof([]), { instanceOf: TemplateError })
})

// ---------------------------------------------------------------------------
// Groups

test('group: start and end tags around the fields', (t) => {
  roundTrip(t, protobuf([group(2, [double(1), double(2)])]), [[1.5, -2.5]], '13 09 00 00 00 00 00 00 f8 3f 11 00 00 00 00 00 00 04 c0 14')
  roundTrip(t, protobuf([repeated(3, group(message({ x: unsigned(1) })))]), [[{ x: 1 }, { x: 2 }]], '1b 08 01 1c 1b 08 02 1c')
})

test('a group of another number cannot close this one', (t) => {
  decodeError(t, protobuf([group(2, [optional(unsigned(1))])]), '13 08 01 1c', { kind: 'group-mismatch', path: 'group(2)', offset: 3 })
  decodeError(t, protobuf([group(2, [optional(unsigned(1))])]), '13 08 01', { kind: 'truncated', path: 'group(2)', offset: 1 })
})

// ---------------------------------------------------------------------------
// Custom host types and recursion

interface Point {
  readonly x: number
  readonly y: number
}
const point = hostType('point', protobuf([double(1), double(2)]), {
  decode: ([x, y]): Point => ({ x, y }),
  encode: (p) => [p.x, p.y] as const,
})

test('hostType: a domain value through an embedded template', (t) => {
  roundTrip(t, protobuf([point(3)]), [{ x: 1, y: 2 }], '1a 12 09 00 00 00 00 00 00 f0 3f 11 00 00 00 00 00 00 00 40')
  roundTrip(t, protobuf([repeated(3, point)]), [[{ x: 0, y: 0 }]], '1a 12 09 00 00 00 00 00 00 00 00 11 00 00 00 00 00 00 00 00')
})

test('hostType: a mapping that fails is a mapping error, either way', (t) => {
  const even = hostType('even', protobuf([unsigned(1)]), {
    decode: ([n]) => {
      if (n % 2 !== 0) throw new Error('odd')
      return n
    },
    encode: (n: number) => {
      if (n % 2 !== 0) throw new Error('odd')
      return [n] as const
    },
  })
  roundTrip(t, protobuf([even(1)]), [2], '0a 02 08 02')
  decodeError(t, protobuf([even(1)]), '0a 02 08 03', { kind: 'mapping', path: 'even(1)', offset: 1 })
  encodeError(t, protobuf([even(1)]), [3], { kind: 'mapping', path: 'even(1)' })
})

test('hostType: a mapping may encode and decode messages itself, with or without compiled code', (t) => {
  // A message carried as bytes, encoded by the mapping while the outer encode is under way.
  const inner = message({ s: string(1) })
  const sealed = hostType('sealed', protobuf([codes(1)]), {
    encode: (v: { s: string }) => [encodeOrThrow(inner, v)] as const,
    decode: ([b]) => decodeOrThrow(inner, b),
  })
  const outer = message({ a: unsigned(1), w: sealed(2) })
  // Long enough that every length takes two bytes (written at finish, in both writers).
  const s = 'x'.repeat(200)
  const bytes = concat(hex('08 01 12 ce 01 0a cb 01 0a c8 01'), new TextEncoder().encode(s))
  for (const on of [true, false]) {
    setCodeGeneration(on)
    try {
      roundTrip(t, outer, { a: 1, w: { s } }, bytes)
      t.is(toHex(enc(outer, { a: 1, w: { s: 'y' } })), '08 01 12 05 0a 03 0a 01 79', `code generation ${on ? 'on' : 'off'}`)
    } finally {
      setCodeGeneration(true)
    }
  }
})

interface Tree {
  readonly label: string
  readonly kids: Tree[]
}
const tree: Template<Tree> = lazy(() => message({ label: string(1), kids: repeatedEmbedded(2, tree) }), 'tree')

test('lazy: a recursive template', (t) => {
  const v: Tree = { label: 'a', kids: [{ label: 'b', kids: [] }, { label: 'c', kids: [{ label: 'd', kids: [] }] }] }
  roundTrip(t, tree, v, '0a 01 61 12 03 0a 01 62 12 08 0a 01 63 12 03 0a 01 64')
})

test('lazy: a target not defined yet is a TemplateError on first use', (t) => {
  const early: Template<readonly [number]> = lazy(() => notYet)
  t.throws(() => enc(protobuf([embedded(1, early)]), [[1]]), { instanceOf: TemplateError })
  const notYet = protobuf([unsigned(1)])
  t.is(toHex(enc(protobuf([embedded(1, early)]), [[1]])), '0a 02 08 01')
})

test('a cycle in a recursive value is a depth-limit error on encode, not a stack overflow', (t) => {
  const v = { label: 'loop', kids: [] as Tree[] }
  v.kids.push(v)
  encodeError(t, tree, v, { kind: 'depth-limit' })
})

// ---------------------------------------------------------------------------
// Unknown fields captured

test('unknownFields: captured in wire order and written back where it stands', (t) => {
  const v1 = message({ id: unsigned(1), rest: unknownFields() })
  const v2 = message({ id: unsigned(1), name: string(2), tags: repeated(3, atom) })
  const bytes = enc(v2, { id: 1, name: 'x', tags: ['a', 'b'] })
  const read = dec(v1, bytes)
  t.is(toHex(read.rest!), '12 01 78 1a 01 61 1a 01 62')
  t.is(toHex(enc(v1, read)), toHex(bytes))
  t.deepEqual(dec(v1, hex('08 01')), { id: 1 })
})

test('unknownFields: bytes that are not whole fields are refused', (t) => {
  encodeError(t, message({ rest: unknownFields() }), { rest: hex('0a 05 01') }, { kind: 'invalid-value', path: 'rest' })
})

// ---------------------------------------------------------------------------
// decodePrefix (protobuf_message/3)

test('decodePrefix: one message from the front, and the rest', (t) => {
  const tmpl = protobuf([atom(1, 'command'), atom(2)])
  const bytes = hex('0a 07 63 6f 6d 6d 61 6e 64 12 01 78 18 06 20 07')
  const r = decodePrefix(tmpl, bytes)
  t.true(E.isRight(r))
  if (E.isRight(r)) {
    t.deepEqual(r.right.value, ['x'])
    t.is(toHex(r.right.rest), '18 06 20 07')
  }
})

test('decodePrefix: a second occurrence of a singular field starts the next message', (t) => {
  const tmpl = protobuf([unsigned(1), repeated(2, unsigned)])
  const r = decodePrefix(tmpl, hex('08 01 10 01 10 02 08 02 10 03'))
  if (E.isLeft(r)) return t.fail(r.left.message)
  t.deepEqual(r.right.value, [1, [1, 2]])
  t.is(toHex(r.right.rest), '08 02 10 03')
})

test('values of float type round to f32 on the way', (t) => {
  t.deepEqual(dec(protobuf([float(1)]), enc(protobuf([float(1)]), [1 / 3])), [Math.fround(1 / 3)])
})
