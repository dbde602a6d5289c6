/**
 * The whole vocabulary of protoplate, in one place.
 *
 * - Host types (`scalars`, `enumeration`): `double`, `float`, `integer`,
 *   `unsigned`, `signed64`, `signed32`, `integer64`, `integer32`,
 *   `unsigned64`, `unsigned32`, `boolean`, `atom`, `string`,
 *   `unvalidatedString` (proto2's `string`: any bytes, those that are not
 *   UTF-8 as escapes U+DC80 … U+DCFF), `utf8Codes`, `codes`,
 *   `enumeration(...)`, the `bigint` twins (`integerBig`, …) and the .proto
 *   aliases (`sint64`, `uint32`, `fixed64`, `bool`, `bytes`, …).
 * - Presence (`fields`): `optional`, `defaulted`.
 * - Lists (`collections`): `repeated`, `packed` (and `packed(tag, type, {
 *   typed: true })`, a typed array, in `vectors`).
 * - Maps (`maps`): `map`.
 * - Messages and nesting (`messages`): `protobuf`, `message`, `embedded`,
 *   `repeatedEmbedded`, `group`.
 * - Alternatives (`alternatives`): `oneof`.
 * - Custom host types and recursion (`custom`): `hostType`, `lazy`.
 * - Forward compatibility (`unknown`): `unknownFields`.
 *
 * @module
 */
export * from './scalars.js'
export * from './enumeration.js'
export * from './fields.js'
export * from './collections.js'
export type { Vector, Vectorable } from './vectors.js'
export * from './maps.js'
export * from './messages.js'
export * from './alternatives.js'
export * from './custom.js'
export * from './unknown.js'
