/**
 * The first template of the SWI-Prolog manual, and the proto2 message it
 * corresponds to (`SomeMessage`).
 */
import { isDeepStrictEqual } from 'node:util'
import {
  atom,
  boolean,
  decodeOrThrow,
  embedded,
  encodeOrThrow,
  integer,
  message,
  packed,
  protobuf,
  repeated,
  repeatedEmbedded,
  string,
  unsigned,
} from '../src/index.js'
import { check, type Demo, hex, sameBytes, show, vectorFor } from './lib.js'

/** The manual's template, fully grounded: every field a constant, so it encodes without a value. */
export const grounded = protobuf([
  unsigned(1, 100),
  string(2, 'abcd'),
  repeated(3, atom, ['foo', 'bar']),
  boolean(4, true),
  embedded(5, protobuf([integer(1, -666), string(2, 'negative 666')])),
  repeated(6, embedded(protobuf([integer(1), string(2)])), [
    [1234, 'onetwothreefour'],
    [2222, 'four twos'],
  ]),
  repeated(7, integer, [1, 2, 3, 4]),
  packed(8, integer, [5, 6, 7, 8]),
])

/** The same message with holes, in the Prolog form: its value is a tuple. */
export const withHoles = protobuf([
  unsigned(1),
  string(2),
  repeated(3, atom),
  boolean(4),
  embedded(5, protobuf([integer(1), string(2)])),
  repeatedEmbedded(6, protobuf([integer(1), string(2)])),
  repeated(7, integer),
  packed(8, integer),
])

const nested = message({ value: integer(1), text: string(2) })

/** `message SomeMessage` of the manual's .proto, in the record form. */
export const SomeMessage = message({
  first: unsigned(1),
  second: string(2),
  third: repeated(3, string),
  fourth: boolean(4),
  fifth: embedded(5, nested),
  sixth: repeatedEmbedded(6, nested),
  seventh: repeated(7, integer),
  eighth: packed(8, integer),
})

export const PROLOG_TEMPLATE = vectorFor(
  'protobuf([unsigned(1,100),string(2,"abcd"),repeated(3,atom([foo,bar])),boolean(4,true),embedded(5,protobuf([integer(1,-666),string(2,"negative 666")])),repeated(6,embedded([protobuf([integer(1,1234),string(2,"onetwothreefour")]),protobuf([integer(1,2222),string(2,"four twos")])])),repeated(7,integer([1,2,3,4])),packed(8,integer([5,6,7,8]))])',
).template

export const demo: Demo = {
  title: 'SomeMessage: the first template of the manual',
  run(log) {
    const bytes = encodeOrThrow(grounded)
    log('grounded template, encoded without a value')
    log(`  wire    ${hex(bytes)} (${bytes.length} bytes)`)
    check(sameBytes(bytes, vectorFor(PROLOG_TEMPLATE).wire), "bytes equal SWI-Prolog's")
    log("  = SWI-Prolog's bytes")
    check(isDeepStrictEqual(decodeOrThrow(grounded, bytes), []), 'the grounded template decodes its own bytes')
    log('  decoded by the grounded template: every constant matched')

    const tuple = decodeOrThrow(withHoles, bytes)
    log('decoded by the template with holes (Prolog form)')
    log(`  ${show(tuple)}`)
    check(sameBytes(encodeOrThrow(withHoles, tuple), bytes), 'the tuple encodes to the same bytes')

    const record = decodeOrThrow(SomeMessage, bytes)
    log('decoded as SomeMessage (record form)')
    log(`  ${show(record)}`)
    check(record.fifth.text === 'negative 666' && record.sixth[1]?.value === 2222, 'record fields')
    check(sameBytes(encodeOrThrow(SomeMessage, record), bytes), 'the record encodes to the same bytes')
  },
}
