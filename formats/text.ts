/**
 * The text format of protobuf messages (`protoc --decode`'s output,
 * `.textproto` files) for the templates a schema makes: `toText(template,
 * value)` and `fromText(template, text)`. docs/text-format.md says how each
 * kind of value is written and read.
 *
 * @module
 */
import type { Template } from '../src/index.js'
import type { Schema, SchemaValue } from '../schema/index.js'
import { context, origin } from './context.js'
import { messageFromText } from './text-parse.js'
import { messageToText } from './text-print.js'

/**
 * The text format of a message (`protoc --decode`'s output): a field a
 * line, in number order; with `unknownFields`, the unknown fields after
 * them, by number.
 *
 * @throws ProtoError for a value the message cannot take.
 */
export function toText<A>(template: Template<A>, value: A, options: { readonly registry?: Schema; readonly unknownFields?: boolean } = {}): string {
  const { schema, name } = origin(template as Template<unknown>)
  return messageToText({ ...context(schema, options, {}), unknownFields: options.unknownFields === true }, name, value as SchemaValue, '')
}

/**
 * A message's value from the text format (`.textproto`, `protoc --encode`'s input).
 *
 * @throws ProtoError of kind `invalid-text`, with the line and column, for text that is not the message.
 */
export function fromText<A>(template: Template<A>, text: string, options: { readonly registry?: Schema } = {}): A {
  const { schema, name } = origin(template as Template<unknown>)
  return messageFromText(context(schema, {}, options), name, text) as A
}
