/**
 * unvalidatedString: proto2's `string`, whose bytes are not validated, held
 * losslessly (each byte outside a well-formed UTF-8 sequence as U+DC00 +
 * the byte), in both forms: exact bytes for text and for every shape of
 * invalid UTF-8; any payload read and written back byte for byte; valid
 * UTF-8 read as `string` reads it; the lone surrogates that are not
 * escapes refused; the type wherever `string` goes; and protoc writing
 * invalid UTF-8 in a proto2 string field that protoplate reads back exactly.
 */
import test from 'ava'
import * as fc from 'fast-check'
import * as P from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { isWellFormed } from '../src/utf8.js'
import { concat, dec, decodeError, enc, encodeError, hex, roundTrip, toHex, utf8ishBytes, validUtf8Bytes, varint } from './helpers.js'
import { haveProtoc, protoc } from './protoc.js'

const one = P.protobuf([P.unvalidatedString(1)])

/** protobuf([unvalidatedString(1)])'s bytes with this payload. */
const field = (payload: Uint8Array): Uint8Array => concat(hex('0a'), varint(payload.length), payload)

test('well-formed text is written and read as string writes and reads it', (t) => {
  for (const [value, bytes] of [
    ['', '0a 00'],
    ['a', '0a 01 61'],
    ['é', '0a 02 c3 a9'],
    ['日本', '0a 06 e6 97 a5 e6 9c ac'],
    ['😀', '0a 04 f0 9f 98 80'],
    ['\u{10FFFF}', '0a 04 f4 8f bf bf'],
    ['\uFEFFx', '0a 04 ef bb bf 78'],
    ['\0', '0a 01 00'],
  ] as const) {
    roundTrip(t, one, [value], bytes)
    t.is(toHex(enc(P.protobuf([P.string(1)]), [value])), bytes)
  }
})

/** Each shape of invalid UTF-8: its bytes, and the string they read as. */
const invalid: [string, string, string][] = [
  ['a lone continuation byte', '80', '\udc80'],
  ['the last continuation byte, between text', '61 bf 62', 'a\udcbfb'],
  ['continuation bytes in a row', '80 bf 9f', '\udc80\udcbf\udc9f'],
  ['a truncated 2-byte sequence', 'c3', '\udcc3'],
  ['a 2-byte lead before ASCII', 'c3 41', '\udcc3A'],
  ['a truncated 3-byte sequence', 'e2 82', '\udce2\udc82'],
  ['a truncated 3-byte sequence before text', 'e2 82 c3 a9', '\udce2\udc82é'],
  ['a truncated 4-byte sequence', 'f0 9f 98', '\udcf0\udc9f\udc98'],
  ['a 4-byte lead alone', 'f0', '\udcf0'],
  ['overlong C0 80 (NUL)', 'c0 80', '\udcc0\udc80'],
  ['overlong C1 BF', 'c1 bf', '\udcc1\udcbf'],
  ['overlong E0 80 80', 'e0 80 80', '\udce0\udc80\udc80'],
  ['overlong E0 9F BF', 'e0 9f bf', '\udce0\udc9f\udcbf'],
  ['overlong F0 80 80 80', 'f0 80 80 80', '\udcf0\udc80\udc80\udc80'],
  ['a surrogate encoded, ED A0 80 (U+D800)', 'ed a0 80', '\udced\udca0\udc80'],
  ['a surrogate pair encoded (CESU-8)', 'ed a0 bd ed b8 80', '\udced\udca0\udcbd\udced\udcb8\udc80'],
  ['beyond U+10FFFF, F4 90 80 80', 'f4 90 80 80', '\udcf4\udc90\udc80\udc80'],
  ['F5', 'f5 80 80 80', '\udcf5\udc80\udc80\udc80'],
  ['F8, FC, FE, FF', 'f8 fc fe ff', '\udcf8\udcfc\udcfe\udcff'],
  ['text, invalid bytes and text', 'c3 a9 ff f0 9f 98 80 80 61', 'é\udcff😀\udc80a'],
]

for (const [shape, bytes, value] of invalid) {
  test(`invalid UTF-8, ${shape}: read as escapes, written back byte for byte`, (t) => {
    roundTrip(t, one, [value], field(hex(bytes)))
    // `string` refuses it.
    decodeError(t, P.protobuf([P.string(1)]), field(hex(bytes)), { kind: 'invalid-utf8' })
  })
}

test('invalid UTF-8 in strings of every length: the short-string path, the validator of 256 bytes and the decoder beyond', (t) => {
  for (const n of [1, 100, 127, 128, 200, 256, 257, 300, 5000]) {
    for (const at of [0, n >> 1, n - 1]) {
      const payload = new TextEncoder().encode('é'.repeat(n >> 1) + 'x'.repeat(n & 1))
      const bad = Uint8Array.from(payload)
      bad[at] = 0xff
      const value = dec(one, field(bad))[0]
      t.is(toHex(enc(one, [value])), toHex(field(bad)), `${n} bytes, 0xff at ${at}`)
      t.true(value.includes('\udcff'))
      // Truncated at the end: the last lead byte alone.
      const cut = concat(payload.subarray(0, Math.max(0, n - 1)), hex('c3'))
      t.is(toHex(enc(one, [dec(one, field(cut))[0]])), toHex(field(cut)), `${n} bytes, cut`)
    }
  }
})

test('any payload reads and is written back byte for byte, in both forms', (t) => {
  const payloads = fc.oneof(
    fc.uint8Array({ maxLength: 600 }),
    utf8ishBytes(300).map((b) => Uint8Array.from(b)),
    fc.array(fc.oneof(validUtf8Bytes(8), utf8ishBytes(3)), { maxLength: 40 }).map((parts) => Uint8Array.from(parts.flat())),
  )
  fc.assert(
    fc.property(payloads, (payload) => {
      const bytes = field(payload)
      const [value] = dec(one, bytes)
      return toHex(enc(one, [value])) === toHex(bytes)
    }),
    { numRuns: 2000 },
  )
  t.pass()
})

test('a byte escaped is exactly one outside a well-formed sequence: what Python\'s surrogateescape gives', (t) => {
  // Computed with Python 3: bytes.decode('utf-8', 'surrogateescape').
  const cases: [string, string][] = [
    ['e0 a0 61 f0 9f 98 80 ed a0 80 c0 80', '\udce0\udca0a😀\udced\udca0\udc80\udcc0\udc80'],
    ['f4 8f bf bf f4 90', '\u{10FFFF}\udcf4\udc90'],
    ['e1 80 e1 80 80', '\udce1\udc80\u1000'],
  ]
  for (const [bytes, value] of cases) t.deepEqual(dec(one, field(hex(bytes))), [value], bytes)
})

test('valid UTF-8 reads as string reads it, and well-formed text is written as string writes it', (t) => {
  fc.assert(
    fc.property(validUtf8Bytes(300), (b) => {
      const bytes = field(Uint8Array.from(b))
      return dec(one, bytes)[0] === dec(P.protobuf([P.string(1)]), bytes)[0]
    }),
    { numRuns: 1000 },
  )
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => toHex(enc(one, [s])) === toHex(enc(P.protobuf([P.string(1)]), [s]))),
    { numRuns: 1000 },
  )
  t.pass()
})

test('encode: a lone surrogate that is not an escaped byte is invalid-utf8; a pair is text', (t) => {
  for (const s of ['\ud800', 'a\udbff', '\ud800x', '\udbff\udc80\ud800', '\udc00', '\udc7f', '\udd00', '\udfff', 'x\udc7f\udc80']) {
    encodeError(t, one, [s], { kind: 'invalid-utf8', path: 'string(1)' })
  }
  // U+D800 U+DC80 is U+10080, not an escape after a lone surrogate.
  roundTrip(t, one, ['\ud800\udc80'], '0a 04 f0 90 82 80')
  encodeError(t, one, [1], { kind: 'invalid-value', path: 'string(1)' })
  encodeError(t, one, [Uint8Array.of(0xff)], { kind: 'invalid-value', path: 'string(1)' })
})

test('escapes that spell UTF-8 are written as their bytes, which read back as text', (t) => {
  t.is(toHex(enc(one, ['\udcc3\udca9'])), '0a 02 c3 a9')
  t.deepEqual(dec(one, hex('0a 02 c3 a9')), ['é'])
  // Such a constant reads its own bytes: values compare by the bytes they write.
  const constant = P.protobuf([P.unvalidatedString(1, '\udcc3\udca9')])
  t.is(toHex(enc(constant)), '0a 02 c3 a9')
  t.deepEqual(dec(constant, hex('0a 02 c3 a9')), [])
  decodeError(t, constant, '0a 02 c3 aa', { kind: 'constant-mismatch', path: 'string(1)' })
})

test('typeName, zero, io-ts guard and arbitrary', (t) => {
  t.is(P.unvalidatedString.typeName, 'string')
  t.is(P.unvalidatedString.impl.zero, '')
  const is = P.unvalidatedString.codec.is
  for (const v of ['', 'text', '\udc80', 'a\udcffb', '😀\udcc3']) t.true(is(v), JSON.stringify(v))
  for (const v of ['\ud800', '\udc7f', '\udd00', 1, null, undefined, Uint8Array.of(1)]) t.false(is(v), String(v))
  const values = fc.sample(arbitrary(P.unvalidatedString), { numRuns: 500, seed: 1 })
  t.true(values.some((v) => /[\udc80-\udcff]/.test(v)), 'some values hold escaped bytes')
  t.true(values.some((v) => v.length > 0 && isWellFormed(v)), 'some are text')
  // What arbitrary gives reads back as itself: it gives no escapes that spell UTF-8.
  fc.assert(fc.property(arbitrary(P.unvalidatedString), (v) => dec(one, enc(one, [v]))[0] === v), { numRuns: 1000 })
})

test('wherever string goes: constant, optional, defaulted, repeated, oneof', (t) => {
  roundTrip(t, P.protobuf([P.unvalidatedString(1, 'a\udcff')]), [], '0a 02 61 ff')
  decodeError(t, P.protobuf([P.unvalidatedString(1, 'a\udcff')]), '0a 02 61 fe', { kind: 'constant-mismatch', path: 'string(1)' })
  const opt = P.message({ s: P.optional(P.unvalidatedString(1)) })
  roundTrip(t, opt, {}, '')
  roundTrip(t, opt, { s: '\udc80' }, '0a 01 80')
  const dflt = P.message({ s: P.defaulted(P.unvalidatedString(1), '\udcff') })
  roundTrip(t, dflt, { s: '\udcff' }, '')
  roundTrip(t, dflt, { s: '' }, '0a 00')
  // An ASCII default, which no other string writes: compared by identity.
  const ascii = P.message({ s: P.defaulted(P.unvalidatedString(1), 'x') })
  roundTrip(t, ascii, { s: 'x' }, '')
  roundTrip(t, ascii, { s: '\udcff' }, '0a 01 ff')
  // The default by its bytes: U+DCC3 U+DCA9 is 'é' on the wire, and not written either.
  t.is(toHex(enc(P.message({ s: P.defaulted(P.unvalidatedString(1), 'é') }), { s: '\udcc3\udca9' })), '')
  roundTrip(t, P.protobuf([P.repeated(1, P.unvalidatedString)]), [['a', '\udcff', '', 'é']], '0a 01 61 0a 01 ff 0a 00 0a 02 c3 a9')
  // string refuses an escape, so the oneof takes the next alternative.
  const alt = P.protobuf([P.oneof([P.string(1), P.unvalidatedString(2)])])
  roundTrip(t, alt, ['abc'], '0a 03 61 62 63')
  t.is(toHex(enc(alt, ['a\udcff'])), '12 02 61 ff')
  encodeError(t, alt, ['\ud800'], { kind: 'invalid-value', path: 'oneof' })
  const rec = P.message({ v: P.oneof({ text: P.unvalidatedString(1), n: P.unsigned(2) }) })
  roundTrip(t, rec, { v: { case: 'text', value: '\udcfe' } }, '0a 01 fe')
})

test('map keys and values, as a Map and as a record', (t) => {
  const m = P.protobuf([P.map(1, P.unvalidatedString, P.unvalidatedString)])
  roundTrip(t, m, [new Map([['\udcff', 'x\udc80'], ['', '']])], '0a 07 0a 01 ff 12 02 78 80 0a 04 0a 00 12 00')
  const rec = P.message({ m: P.map(1, P.unvalidatedString, P.unsigned, { record: true }) })
  roundTrip(t, rec, { m: { '\udcff': 1, é: 2 } }, '0a 05 0a 01 ff 10 01 0a 06 0a 02 c3 a9 10 02')
  encodeError(t, m, [new Map([['\ud800', '']])], { kind: 'invalid-utf8' })
})

test('a message of implicit presence: the zero is the empty string, not written', (t) => {
  const m = P.message({ s: P.unvalidatedString(1), n: P.unsigned(2) }, { presence: 'implicit' })
  roundTrip(t, m, { s: '', n: 0 }, '')
  roundTrip(t, m, { s: '\udcff', n: 1 }, '0a 01 ff 10 01')
})

test('protoc writes invalid UTF-8 in a proto2 string field, and protoplate reads it back byte for byte', (t) => {
  if (!haveProtoc()) {
    t.fail('protoc is not installed: apt-get install -y protobuf-compiler (.ci/run does this)')
    return
  }
  const proto = 'syntax = "proto2";\nmessage Batch {\n  optional string s = 1;\n  repeated string r = 2;\n}\n'
  const escaped = (b: string): string => hex(b).reduce((s, x) => s + `\\${x.toString(8).padStart(3, '0')}`, '')
  const text = `s: "a${escaped('ff c0 80')}b"\n` + invalid.map(([, b]) => `r: "${escaped(b)}"\n`).join('')
  const bytes = new Uint8Array(protoc(proto, 'encode', text))
  const batch = P.message({ s: P.unvalidatedString(1), r: P.repeated(2, P.unvalidatedString) })
  const value = dec(batch, bytes)
  t.deepEqual(value, { s: 'a\udcff\udcc0\udc80b', r: invalid.map(([, , v]) => v) })
  t.is(toHex(enc(batch, value)), toHex(bytes))
  // And protoc reads protoplate's bytes as the same: decoded to text and encoded again, they are unchanged.
  const again = protoc(proto, 'encode', protoc(proto, 'decode', enc(batch, value)))
  t.is(toHex(new Uint8Array(again)), toHex(bytes))
})
