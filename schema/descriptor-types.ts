/**
 * The descriptor values the plans read: descriptor.proto's messages, as
 * the templates of descriptor.ts decode them (or the .proto parser makes
 * them).
 *
 * @module
 */
import type * as G from './descriptor.js'

export type FileSet = G.FileDescriptorSet
export type File = G.FileDescriptorProto
export type Message = G.DescriptorProto
export type Field = G.FieldDescriptorProto
export type Enum = G.EnumDescriptorProto
export type FeatureSet = G.FeatureSet
