/**
 * What ProtoJSON and the text format start from: the schema and full name
 * of a template (which a schema made), and the context a conversion
 * carries.
 *
 * @module
 */
import { ProtoError, type Template } from '../src/index.js'
import { originOf, type Schema } from '../schema/index.js'
import type { Ctx, JsonReadOptions, JsonWriteOptions } from './messages.js'

/** The schema and full name of a template a schema made; an `invalid-argument` error for any other. */
export function origin(template: Template<unknown>): { readonly schema: Schema; readonly name: string } {
  const o = typeof template === 'object' && template !== null ? originOf(template) : undefined
  if (o === undefined) throw new ProtoError('invalid-argument', 'ProtoJSON and the text format need a template a schema made (loadProto, fromDescriptorSet, generated code): its field names and types come from the schema')
  return o
}

/** A conversion's context: the schema, where `Any` looks, the options. */
export function context(schema: Schema, write: JsonWriteOptions, read: JsonReadOptions): Ctx {
  return { schema, registry: write.registry ?? read.registry ?? schema, write, read, depth: 0, keys: 0 }
}

