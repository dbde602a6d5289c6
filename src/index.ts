/**
 * protoplate: Protocol Buffers messages from templates.
 *
 * ```ts
 * import { protobuf, unsigned, atom, repeated, encode, decode } from 'protoplate'
 * const t = protobuf([unsigned(1), repeated(3, atom)])
 * encode(t, [100, ['foo', 'bar']]) // right(08 64 1a 03 66 6f 6f 1a 03 62 61 72)
 * ```
 *
 * The bridges to fast-check and io-ts (`arbitrary`, `ioTsType`) are in
 * `protoplate/testing` (src/testing.ts), so that this entry does not load
 * fast-check.
 *
 * @module
 */
export * from '../combinators/index.js'
export type { Encodable, Field, FieldShape, HostShape, HostType, Presence, Template, TypeOf } from './core.js'
export { ProtoError, TemplateError, formatPath, type ErrorKind, type PathSegment } from './errors.js'
export {
  decode,
  decodeOrThrow,
  decodePrefix,
  DEFAULT_MAX_DEPTH,
  encode,
  encodeOrThrow,
  type EncodeArgs,
  type EncodeOptions,
  type Options,
  type Prefix,
} from './ops.js'
export { decodeDelimited, encodeDelimited, readDelimited, writeDelimited, type StreamOptions } from './streams.js'
export { Reader, Writer, WireType } from './wire.js'
export { codeGeneration, setCodeGeneration } from './compile.js'
/**
 * Whether a string is well-formed UTF-16 (no lone surrogate), so that it
 * has a UTF-8 form; and the bytes of an `unvalidatedString`'s value (its
 * U+DC80–U+DCFF escapes as the bytes they stand for) and back.
 */
export { isWellFormed, encodeEscaped as unvalidatedBytes } from './utf8.js'
export { unvalidatedText } from './utf8.js'
