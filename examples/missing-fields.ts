/**
 * Missing fields. A bare hole is required, as in SWI-Prolog: decoding a
 * message without it fails, naming the field. The manual reads a field that
 * may be missing through `repeated` (an empty list when absent); protoplate
 * also has `optional` and proto3's `defaulted`.
 */
import * as E from 'fp-ts/lib/Either.js'
import { isDeepStrictEqual } from 'node:util'
import { atom, decode, decodeOrThrow, defaulted, encodeOrThrow, integer, message, optional, protobuf, repeated } from '../src/index.js'
import { check, type Demo, hex, show } from './lib.js'

export const demo: Demo = {
  title: 'Missing fields read through repeated',
  run(log) {
    const bytes = encodeOrThrow(protobuf([atom(1)]), ['only the name'])
    log(`a message with field 1 only: ${hex(bytes)}`)

    const required = decode(protobuf([atom(1), integer(2)]), bytes)
    check(E.isLeft(required) && required.left.kind === 'missing-field', 'a required hole fails')
    if (E.isLeft(required)) log(`  protobuf([atom(1), integer(2)]) fails: ${required.left.message}`)

    const viaRepeated = decodeOrThrow(protobuf([atom(1), repeated(2, integer)]), bytes)
    log(`  protobuf([atom(1), repeated(2, integer)]) gives ${show(viaRepeated)}`)
    check(isDeepStrictEqual(viaRepeated, ['only the name', []]), 'the missing field is an empty list')

    const viaOptional = decodeOrThrow(message({ name: atom(1), age: optional(integer(2)) }), bytes)
    log(`  message({ name: atom(1), age: optional(integer(2)) }) gives ${show(viaOptional)}`)
    check(isDeepStrictEqual(viaOptional, { name: 'only the name' }), 'the missing field is absent')

    const viaDefault = decodeOrThrow(message({ name: atom(1), age: defaulted(integer(2)) }), bytes)
    log(`  message({ name: atom(1), age: defaulted(integer(2)) }) gives ${show(viaDefault)}`)
    check(isDeepStrictEqual(viaDefault, { name: 'only the name', age: 0 }), 'the missing field is its default')
  },
}
