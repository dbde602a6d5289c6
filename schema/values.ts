/**
 * google/protobuf/descriptor.proto's messages as plain values, by the names
 * the parser uses: the types of the generated templates (descriptor.ts),
 * so that what the parser makes is what those templates decode.
 *
 * Keys are descriptor.proto's field names as written there (snake_case). A
 * singular field that is not set is an absent key; a repeated field is
 * always an array. Enumerations are their value names; int32 is a number,
 * int64 and uint64 are bigints, bytes are a Uint8Array.
 *
 * @module
 */
import type * as G from './descriptor.js'

export type Edition = G.Edition
export type SymbolVisibility = G.SymbolVisibility
export type FileDescriptorSetValue = G.FileDescriptorSet
export type FileDescriptorProtoValue = G.FileDescriptorProto
export type DescriptorProtoValue = G.DescriptorProto
export type ExtensionRangeValue = G.DescriptorProto_ExtensionRange
export type ReservedRangeValue = G.DescriptorProto_ReservedRange
export type ExtensionRangeOptionsValue = G.ExtensionRangeOptions
export type FieldType = G.FieldDescriptorProto_Type
export type FieldLabel = G.FieldDescriptorProto_Label
export type FieldDescriptorProtoValue = G.FieldDescriptorProto
export type OneofDescriptorProtoValue = G.OneofDescriptorProto
export type EnumDescriptorProtoValue = G.EnumDescriptorProto
export type EnumReservedRangeValue = G.EnumDescriptorProto_EnumReservedRange
export type EnumValueDescriptorProtoValue = G.EnumValueDescriptorProto
export type ServiceDescriptorProtoValue = G.ServiceDescriptorProto
export type MethodDescriptorProtoValue = G.MethodDescriptorProto
export type FileOptionsValue = G.FileOptions
export type MessageOptionsValue = G.MessageOptions
export type OptionTargetType = G.FieldOptions_OptionTargetType
export type FieldOptionsValue = G.FieldOptions
export type FeatureSupportValue = G.FieldOptions_FeatureSupport
export type OneofOptionsValue = G.OneofOptions
export type EnumOptionsValue = G.EnumOptions
export type EnumValueOptionsValue = G.EnumValueOptions
export type ServiceOptionsValue = G.ServiceOptions
export type MethodOptionsValue = G.MethodOptions
export type UninterpretedOptionValue = G.UninterpretedOption
export type FeatureSetValue = G.FeatureSet
