/**
 * What protoc-gen-protoplate answers (codegen/plugin.ts reads the request
 * and writes the response): one module of templates for each .proto it is
 * asked for, `foo/bar.proto` → `foo/bar_pb.ts`, importing what it uses from
 * the modules of the files it imports, or the error, in the response's
 * `error` field as plugins report them.
 *
 * @module
 */
import { type descriptors, fromDescriptorSet, generateModules, type GenerateOptions, type SchemaOptions } from '../schema/index.js'

/** plugin.proto's CodeGeneratorResponse.Feature: proto3 optional, and editions. */
const FEATURES = 1n | 2n
/** The editions the plugin reads (descriptor.proto's Edition numbers): proto2 to 2023. */
const EDITIONS = { minimum: 998, maximum: 1000 }

interface PluginOptions {
  readonly generate: GenerateOptions & SchemaOptions
  readonly extension: string
}

/** The options of `--protoplate_opt`, checked. */
export function pluginOptions(parameter: string | undefined): PluginOptions {
  let generate: GenerateOptions & SchemaOptions = {}
  let extension = '.js'
  for (const item of (parameter ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    const [key, value] = item.includes('=') ? [item.slice(0, item.indexOf('=')), item.slice(item.indexOf('=') + 1)] : [item, undefined]
    if (key === 'int64' && (value === 'bigint' || value === 'number')) generate = { ...generate, int64: value }
    else if (key === 'maps' && (value === 'map' || value === 'record')) generate = { ...generate, maps: value }
    else if (key === 'typed_arrays' && (value === undefined || value === 'true')) generate = { ...generate, typedArrays: true }
    else if (key === 'import_extension' && (value === '.js' || value === '.ts' || value === 'none')) extension = value === 'none' ? '' : value
    else if (key === 'from' && value !== undefined && value !== '') generate = { ...generate, from: value }
    else throw new Error(`unknown option ${JSON.stringify(item)} (int64=bigint|number, maps=map|record, typed_arrays, import_extension=.js|.ts|none, from=MODULE)`)
  }
  return { generate, extension }
}

/** The module of a .proto file, without its extension. */
/** The answer to a request: a module for each file to generate, or the error. */
export function respond(request: descriptors.CodeGeneratorRequest): descriptors.CodeGeneratorResponse {
  const base = { supported_features: FEATURES, minimum_edition: EDITIONS.minimum, maximum_edition: EDITIONS.maximum, file: [] }
  try {
    const options = pluginOptions(request.parameter)
    const schema = fromDescriptorSet({ file: request.proto_file }, options.generate)
    return { ...base, file: generateModules(schema.plans, request.file_to_generate, { ...options.generate, extension: options.extension }) }
  } catch (e) {
    return { ...base, error: e instanceof Error ? e.message : String(e) }
  }
}
