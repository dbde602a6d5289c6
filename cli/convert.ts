/**
 * `decode` and `encode`: bytes of a schema's message to ProtoJSON or the
 * text format, and back, as `protoc --decode` and `--encode` do (and for
 * JSON, as no protoc command does).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { decode, decodeDelimited, encode, encodeDelimited, ProtoError, type Template } from '../src/index.js'
import type { Schema, SchemaValue } from '../schema/index.js'
import { fromJsonString, toJsonString } from '../formats/json.js'
import { fromText, toText } from '../formats/text.js'
import { DataError, UsageError } from './io.js'

export type Format = 'json' | 'text'

export interface ConvertOptions {
  readonly format: Format
  readonly delimited: boolean
  readonly emitDefaults: boolean
  readonly enumAsNumber: boolean
  readonly protoNames: boolean
  readonly ignoreUnknownFields: boolean
  readonly unknownFields: boolean
  readonly indent: number | undefined
}

/** The template of the type the command reads or writes; a usage error for a name the schema does not have. */
export function templateOf(schema: Schema, type: string | undefined, command: string): Template<SchemaValue> {
  if (type === undefined) throw new UsageError('--type is needed: the full name of the message type (tutorial.Person)', command)
  try {
    return schema.template(type.replace(/^\./, ''))
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e), command)
  }
}

/** A data error for what the formats or the codec refused, the input named. */
function refused(e: unknown, input: string): never {
  if (e instanceof ProtoError) throw new DataError(`${input}: ${e.message}`)
  throw e
}

/** Bytes (a message, or a stream of them) as text: JSON (a line a message in a stream), or the text format. */
export function decodeToText(template: Template<SchemaValue>, bytes: Uint8Array, o: ConvertOptions, input: string): string {
  const read = o.delimited ? decodeDelimited(template, bytes) : E.map((v: SchemaValue) => [v])(decode(template, bytes))
  if (E.isLeft(read)) refused(read.left, input)
  const values = read.right
  try {
    if (o.format === 'text') return values.map((v) => toText(template, v, { unknownFields: o.unknownFields })).join(o.delimited ? '---\n' : '')
    const write = { emitDefaults: o.emitDefaults, enumAsNumber: o.enumAsNumber, protoNames: o.protoNames }
    // A stream is JSON Lines: one message a line, whatever the indent.
    return values.map((v) => `${toJsonString(template, v, { ...write, ...(o.delimited || o.indent === undefined ? {} : { indent: o.indent }) })}\n`).join('')
  } catch (e) {
    return refused(e, input)
  }
}

/** Text (JSON, JSON Lines for a stream, or the text format) as the bytes of its messages. */
export function encodeFromText(template: Template<SchemaValue>, text: string, o: ConvertOptions, input: string): Uint8Array {
  let values: SchemaValue[]
  try {
    if (o.format === 'text') {
      if (o.delimited) throw new UsageError('a stream (--delimited) is read from JSON Lines, not the text format', 'encode')
      values = [fromText(template, text)]
    } else {
      const lines = o.delimited ? text.split('\n').filter((l) => l.trim() !== '') : [text]
      values = lines.map((l, i) => {
        try {
          return fromJsonString(template, l, { ignoreUnknownFields: o.ignoreUnknownFields })
        } catch (e) {
          if (e instanceof ProtoError && o.delimited) throw new DataError(`${input}, line ${i + 1}: ${e.message}`)
          throw e
        }
      })
    }
  } catch (e) {
    return refused(e, input)
  }
  const bytes = o.delimited ? encodeDelimited(template, values) : encode(template, values[0]!)
  return E.isLeft(bytes) ? refused(bytes.left, input) : bytes.right
}
