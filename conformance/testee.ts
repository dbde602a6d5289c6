/**
 * protoplate's testee for Google's conformance suite: reads
 * `conformance.ConformanceRequest`s on stdin (each behind a 4-byte
 * little-endian length), answers each with a `ConformanceResponse` on
 * stdout. The test messages are templates of a schema loaded from the
 * suite's own .proto files, as a user would load theirs; so are the
 * request and the response.
 *
 * Binary in, binary out: decode the payload with the message's template,
 * encode what came out. JSON and the text format are answered `skipped`
 * until protoplate has them.
 *
 * Configured by the environment (scripts/conformance.sh sets it):
 * PROTOPLATE_CONFORMANCE_INCLUDE, the include paths of the suite's .proto
 * files (colon-separated), or PROTOPLATE_CONFORMANCE_DESCRIPTORS, a
 * descriptor set of them (protoc's or buf's); PROTOPLATE_CONFORMANCE_FORM,
 * `compiled` (the default) or `interpreted`.
 *
 * @module
 */
import { readFileSync, readSync, writeSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { decode, encode, encodeOrThrow, ProtoError, setCodeGeneration, type Template } from '../src/index.js'
import { fromDescriptorSet, loadProto, type Schema, type SchemaValue } from '../schema/index.js'
import { fromJsonString, toJsonString } from '../formats/json.js'
import { fromText, toText } from '../formats/text.js'

/** The suite's files: the request and response, and the test messages. */
const SUITE_FILES = [
  'conformance/conformance.proto',
  'google/protobuf/test_messages_proto2.proto',
  'google/protobuf/test_messages_proto3.proto',
  'google/protobuf/test_messages_proto2_editions.proto',
  'google/protobuf/test_messages_proto3_editions.proto',
  'google/protobuf/test_messages_edition2023.proto',
]

type Result = { case: string; value: string | Uint8Array }

/** The answer to one request, as the response's `result`. */
function answer(schema: Schema, request: SchemaValue): Result {
  const payload = request['payload'] as Result | undefined
  const format = request['requested_output_format']
  if (payload?.case !== 'protobuf_payload' && payload?.case !== 'json_payload' && payload?.case !== 'text_payload') return { case: 'skipped', value: `protoplate does not read ${payload?.case ?? 'an empty payload'}` }
  if (format !== 'PROTOBUF' && format !== 'JSON' && format !== 'TEXT_FORMAT') return { case: 'skipped', value: `protoplate does not write ${String(format)}` }
  let template: Template<SchemaValue>
  try {
    template = schema.template(String(request['message_type']))
  } catch (e) {
    return { case: 'runtime_error', value: `no template for ${String(request['message_type'])}: ${message(e)}` }
  }
  const ignoreUnknownFields = request['test_category'] === 'JSON_IGNORE_UNKNOWN_PARSING_TEST'
  const value =
    payload.case === 'protobuf_payload'
      ? decode(template, payload.value as Uint8Array)
      : parse(() => (payload.case === 'json_payload' ? fromJsonString(template, payload.value as string, { ignoreUnknownFields }) : fromText(template, payload.value as string)))
  if (E.isLeft(value)) return { case: 'parse_error', value: value.left.message }
  if (format === 'JSON' || format === 'TEXT_FORMAT') {
    const text = parse(() => (format === 'JSON' ? toJsonString(template, value.right) : toText(template, value.right, { unknownFields: request['print_unknown_fields'] === true })))
    return E.isLeft(text) ? { case: 'serialize_error', value: text.left.message } : { case: format === 'JSON' ? 'json_payload' : 'text_payload', value: text.right }
  }
  const bytes = encode(template, value.right)
  if (E.isLeft(bytes)) return { case: 'serialize_error', value: bytes.left.message }
  return { case: 'protobuf_payload', value: bytes.right }
}

/** A ProtoError thrown, as the Left of an Either; anything else is thrown on. */
function parse<A>(f: () => A): E.Either<ProtoError, A> {
  try {
    return E.right(f())
  } catch (e) {
    if (e instanceof ProtoError) return E.left(e)
    throw e
  }
}

const message = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e))

function readExactly(n: number): Uint8Array | null {
  const buf = new Uint8Array(n)
  let off = 0
  while (off < n) {
    let r: number
    try {
      r = readSync(0, buf, off, n - off, null)
    } catch (e) {
      const code = (e as { code?: string }).code
      if (code === 'EAGAIN') continue
      if (code !== 'EOF') throw e
      r = 0
    }
    if (r === 0) {
      if (off === 0) return null
      throw new Error(`end of input inside a request (${off} of ${n} bytes)`)
    }
    off += r
  }
  return buf
}

function writeAll(buf: Uint8Array): void {
  let off = 0
  while (off < buf.length) off += writeSync(1, buf, off)
}

function loadSchema(env: NodeJS.ProcessEnv): Schema {
  const set = env['PROTOPLATE_CONFORMANCE_DESCRIPTORS']
  if (set !== undefined && set !== '') return fromDescriptorSet(readFileSync(set))
  const include = env['PROTOPLATE_CONFORMANCE_INCLUDE']
  if (include === undefined || include === '') throw new Error('set PROTOPLATE_CONFORMANCE_INCLUDE or PROTOPLATE_CONFORMANCE_DESCRIPTORS')
  return loadProto(SUITE_FILES, { includePaths: include.split(':') })
}

function main(): void {
  const form = process.env['PROTOPLATE_CONFORMANCE_FORM'] ?? 'compiled'
  if (form !== 'compiled' && form !== 'interpreted') throw new Error(`PROTOPLATE_CONFORMANCE_FORM is compiled or interpreted, not ${form}`)
  setCodeGeneration(form === 'compiled')
  const schema = loadSchema(process.env)
  const request = schema.template('conformance.ConformanceRequest')
  const response = schema.template('conformance.ConformanceResponse')
  let count = 0
  for (;;) {
    const head = readExactly(4)
    if (head === null) break
    const length = new DataView(head.buffer).getUint32(0, true)
    const body = readExactly(length)
    if (body === null) throw new Error('end of input before a request of its length')
    let result: Result
    try {
      const r = decode(request, body)
      result = E.isLeft(r) ? { case: 'runtime_error', value: `the request does not decode: ${r.left.message}` } : answer(schema, r.right)
    } catch (e) {
      result = { case: 'runtime_error', value: message(e) }
    }
    const out = encode(response, { result })
    // A response that does not encode (a message that is not a string, say) is answered as the runtime error it is.
    const bytes = E.isRight(out) ? out.right : encodeOrThrow(response, { result: { case: 'runtime_error', value: `the response does not encode: ${out.left.message}` } })
    const frame = new Uint8Array(4 + bytes.length)
    new DataView(frame.buffer).setUint32(0, bytes.length, true)
    frame.set(bytes, 4)
    writeAll(frame)
    count++
  }
  process.stderr.write(`protoplate testee (${form}): ${count} requests\n`)
}

main()
