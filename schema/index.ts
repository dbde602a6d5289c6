/**
 * protoplate/schema: .proto schemas as templates.
 *
 * ```ts
 * import { loadProto, fromDescriptorSet, parseFromBytes } from 'protoplate/schema'
 * const schema = loadProto('addressbook.proto', { includePaths: ['protos'] }) // .proto text, no protoc
 * const same = fromDescriptorSet(readFileSync('addressbook.binpb')) // protoc --descriptor_set_out --include_imports
 * const person = schema.template('tutorial.Person') // an ordinary template
 * parseFromBytes(schema, 'tutorial.Person', bytes) // SWI-Prolog's protobuf_parse_from_codes/3
 * ```
 *
 * docs/schemas.md tells the whole story.
 *
 * @module
 */
import { decodeOrThrow, ProtoError } from '../src/index.js'
import { Schema, type SchemaOptions } from './build.js'
import { FileDescriptorSet } from './descriptor.js'
import type * as D from './descriptor.js'
import { SchemaError } from './errors.js'

export { originOf, Schema, type SchemaOptions, type SchemaValue } from './build.js'
export { isTyped } from './recipe.js'
export { jsonName, mapEntryPlan } from './plan.js'
export { hasField, type NamedMessage, parseFromBytes, serializeToBytes } from './by-name.js'
export { loadProto, type LoadOptions } from './load.js'
export { type Definition, toProto, ToProtoError, type ToProtoOptions } from './to-proto.js'
export { SchemaError } from './errors.js'
export { generate, generateModules, type GenerateOptions } from './generate.js'
/** descriptor.proto and compiler/plugin.proto as templates: `descriptors.FileDescriptorSet`, `descriptors.CodeGeneratorRequest`, … */
export * as descriptors from './descriptor.js'
export type { Cardinality, EnumPlan, FieldPlan, MessagePlan, OneofPlan, Plans, ScalarName, TypePlan } from './plan.js'

/**
 * A schema from a `FileDescriptorSet`: its bytes (as `protoc
 * --descriptor_set_out --include_imports` or `buf build` write them) or its
 * value. Every file a file imports must be in the set.
 *
 * @throws SchemaError for bytes that are not a descriptor set, and for
 * descriptors no template can express.
 */
export function fromDescriptorSet(set: Uint8Array | D.FileDescriptorSet, options: SchemaOptions = {}): Schema {
  let value: D.FileDescriptorSet
  if (set instanceof Uint8Array) {
    try {
      value = decodeOrThrow(FileDescriptorSet, set)
    } catch (e) {
      if (e instanceof ProtoError) throw new SchemaError(`not a FileDescriptorSet: ${e.message}`)
      throw e
    }
  } else value = set
  return new Schema(value.file, options)
}
