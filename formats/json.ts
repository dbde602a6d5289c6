/**
 * ProtoJSON, the JSON mapping of protobuf messages, for the templates a
 * schema makes (`loadProto`, `fromDescriptorSet`, generated code):
 *
 * - `toJson(template, value, options?)` / `fromJson(template, json, options?)`
 *   between a message's value and a JSON value;
 * - `toJsonString` / `fromJsonString` between a value and JSON text.
 *
 * The mapping is Google's: docs/json.md says how each kind of value is
 * written and read. Everything that goes wrong is a `ProtoError` with the
 * JSON path of the value at fault (kinds `invalid-json`, `unknown-field`,
 * `unknown-enum`, `out-of-range`, `invalid-value`, `depth-limit`).
 *
 * @module
 */
import { ProtoError, type Template } from '../src/index.js'
import type { SchemaValue } from '../schema/index.js'
import { context, origin } from './context.js'
import { writeJson } from './compiled-json.js'
import { type JsonReadOptions, type JsonWriteOptions, messageFromJson } from './messages.js'

export type { JsonReadOptions, JsonWriteOptions } from './messages.js'

/**
 * The ProtoJSON value of a message.
 *
 * @throws ProtoError for a value the message cannot take, or that has no JSON form (a Timestamp beyond year 9999, a Value that is NaN).
 */
export function toJson<A>(template: Template<A>, value: A, options: JsonWriteOptions = {}): unknown {
  const { schema, name } = origin(template as Template<unknown>)
  return writeJson(context(schema, options, {}), name, value as SchemaValue)
}

/**
 * A message's value from its ProtoJSON value.
 *
 * @throws ProtoError for JSON the message does not read, with its JSON path.
 */
export function fromJson<A>(template: Template<A>, json: unknown, options: JsonReadOptions = {}): A {
  const { schema, name } = origin(template as Template<unknown>)
  return messageFromJson(context(schema, {}, options), name, json) as A
}

/** The ProtoJSON text of a message (`JSON.stringify` of `toJson`, indented by `indent` if given). */
export function toJsonString<A>(template: Template<A>, value: A, options: JsonWriteOptions & { readonly indent?: number } = {}): string {
  return JSON.stringify(toJson(template, value, options), null, options.indent)
}

/**
 * A message's value from ProtoJSON text.
 *
 * @throws ProtoError of kind `invalid-json` for text that is not JSON, and as `fromJson`.
 */
export function fromJsonString<A>(template: Template<A>, text: string, options: JsonReadOptions = {}): A {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new ProtoError('invalid-json', `not JSON: ${(e as Error).message}`)
  }
  const { schema, name } = origin(template as Template<unknown>)
  const ctx = context(schema, {}, options)
  const value = messageFromJson(ctx, name, json) as A
  // JSON.parse keeps the last of a key given twice, which ProtoJSON rejects.
  // Every key has a colon after it, so when the text has no more colons
  // than the objects read had keys, none came twice; else look closer.
  if (colons(text) !== ctx.keys) {
    const twice = keyGivenTwice(text)
    if (twice !== undefined) throw new ProtoError('invalid-json', `the key ${JSON.stringify(twice)} is given twice in one object`)
  }
  return value
}

function colons(text: string): number {
  let n = 0
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) n++
  return n
}

/** The first key that an object of the JSON text has twice (the text is JSON). */
function keyGivenTwice(text: string): string | undefined {
  // One entry an open object or array: an object's keys so far, or null.
  const open: (Set<string> | null)[] = []
  let expectKey = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      let end = i + 1
      for (;;) {
        end = text.indexOf('"', end)
        let slashes = 0
        while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++
        if (slashes % 2 === 0) break
        end++
      }
      const keys = open[open.length - 1]
      if (expectKey && keys !== null && keys !== undefined) {
        const key = JSON.parse(text.slice(i, end + 1)) as string
        if (keys.has(key)) return key
        keys.add(key)
        expectKey = false
      }
      i = end
    } else if (c === 0x7b) {
      open.push(new Set())
      expectKey = true
    } else if (c === 0x5b) open.push(null)
    else if (c === 0x7d || c === 0x5d) open.pop()
    else if (c === 0x2c) expectKey = open[open.length - 1] !== null
  }
  return undefined
}

