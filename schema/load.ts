/**
 * `.proto` text at run time, without protoc: the parser (parse.ts, on
 * protobufjs's) gives the descriptors protoc would, and they become a
 * schema as a descriptor set does.
 *
 * @module
 */
import { Schema, type SchemaOptions } from './build.js'
import type * as D from './descriptor.js'
import { parseProto } from './parse.js'

export interface LoadOptions extends SchemaOptions {
  /**
   * Where files and their imports are looked for, in order, as protoc's
   * `-I` (default: the current directory). A file given by a path that
   * exists is named by its path inside the first include path that holds
   * it, as protoc names it.
   */
  readonly includePaths?: readonly string[]
}

/**
 * A schema from .proto files (with their imports, and the well-known
 * types), or from the text of one (`{ source, name? }`).
 *
 * @throws SchemaError with the file, line and column of a .proto that
 * does not parse or resolve, and for descriptors no template can express.
 */
export function loadProto(files: string | readonly string[] | { readonly source: string; readonly name?: string }, options: LoadOptions = {}): Schema {
  const includePaths = options.includePaths === undefined ? undefined : [...options.includePaths]
  const input =
    typeof files === 'string' || Array.isArray(files)
      ? { files: typeof files === 'string' ? [files] : [...(files as readonly string[])], ...(includePaths === undefined ? {} : { includePaths }) }
      : { ...(files as { source: string; name?: string }), ...(includePaths === undefined ? {} : { includePaths }) }
  const set: D.FileDescriptorSet = parseProto(input)
  return new Schema(set.file, options)
}
