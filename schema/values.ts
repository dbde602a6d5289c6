/**
 * google/protobuf/descriptor.proto's messages as plain values: the shape in
 * which the `.proto` parser hands descriptors to the schema builder, and in
 * which protoplate's templates of descriptor.proto decode them.
 *
 * Keys are descriptor.proto's field names as written there (snake_case). A
 * singular field that is not set is an absent key (never `undefined`, never
 * its default); a repeated field is always an array. Enumerations are their
 * value names; int32 is a number, int64 and uint64 are bigints, bytes are a
 * Uint8Array. The fields are those of descriptor.proto as of protobuf 33
 * (editions 2023 and 2024 included), less `source_code_info`, which the
 * parser never fills.
 *
 * @module
 */

export type Edition =
  | 'EDITION_UNKNOWN'
  | 'EDITION_LEGACY'
  | 'EDITION_PROTO2'
  | 'EDITION_PROTO3'
  | 'EDITION_2023'
  | 'EDITION_2024'
  | 'EDITION_2026'
  | 'EDITION_1_TEST_ONLY'
  | 'EDITION_2_TEST_ONLY'
  | 'EDITION_99997_TEST_ONLY'
  | 'EDITION_99998_TEST_ONLY'
  | 'EDITION_99999_TEST_ONLY'
  | 'EDITION_MAX'

export type SymbolVisibility = 'VISIBILITY_UNSET' | 'VISIBILITY_LOCAL' | 'VISIBILITY_EXPORT'

export interface FileDescriptorSetValue {
  file: FileDescriptorProtoValue[]
}

export interface FileDescriptorProtoValue {
  name?: string
  package?: string
  dependency: string[]
  public_dependency: number[]
  weak_dependency: number[]
  option_dependency: string[]
  message_type: DescriptorProtoValue[]
  enum_type: EnumDescriptorProtoValue[]
  service: ServiceDescriptorProtoValue[]
  extension: FieldDescriptorProtoValue[]
  options?: FileOptionsValue
  syntax?: string
  edition?: Edition
}

export interface DescriptorProtoValue {
  name?: string
  field: FieldDescriptorProtoValue[]
  extension: FieldDescriptorProtoValue[]
  nested_type: DescriptorProtoValue[]
  enum_type: EnumDescriptorProtoValue[]
  extension_range: ExtensionRangeValue[]
  oneof_decl: OneofDescriptorProtoValue[]
  options?: MessageOptionsValue
  reserved_range: ReservedRangeValue[]
  reserved_name: string[]
  visibility?: SymbolVisibility
}

export interface ExtensionRangeValue {
  start?: number
  end?: number
  options?: ExtensionRangeOptionsValue
}

/** A message's reserved range, its end exclusive. */
export interface ReservedRangeValue {
  start?: number
  end?: number
}

export interface ExtensionRangeOptionsValue {
  uninterpreted_option: UninterpretedOptionValue[]
  declaration: { number?: number; full_name?: string; type?: string; reserved?: boolean; repeated?: boolean }[]
  features?: FeatureSetValue
  verification?: 'DECLARATION' | 'UNVERIFIED'
}

export type FieldType =
  | 'TYPE_DOUBLE'
  | 'TYPE_FLOAT'
  | 'TYPE_INT64'
  | 'TYPE_UINT64'
  | 'TYPE_INT32'
  | 'TYPE_FIXED64'
  | 'TYPE_FIXED32'
  | 'TYPE_BOOL'
  | 'TYPE_STRING'
  | 'TYPE_GROUP'
  | 'TYPE_MESSAGE'
  | 'TYPE_BYTES'
  | 'TYPE_UINT32'
  | 'TYPE_ENUM'
  | 'TYPE_SFIXED32'
  | 'TYPE_SFIXED64'
  | 'TYPE_SINT32'
  | 'TYPE_SINT64'

export type FieldLabel = 'LABEL_OPTIONAL' | 'LABEL_REPEATED' | 'LABEL_REQUIRED'

export interface FieldDescriptorProtoValue {
  name?: string
  number?: number
  label?: FieldLabel
  type?: FieldType
  /** Fully qualified, with a leading dot. */
  type_name?: string
  /** Fully qualified, with a leading dot. */
  extendee?: string
  default_value?: string
  oneof_index?: number
  json_name?: string
  options?: FieldOptionsValue
  proto3_optional?: boolean
}

export interface OneofDescriptorProtoValue {
  name?: string
  options?: OneofOptionsValue
}

export interface EnumDescriptorProtoValue {
  name?: string
  value: EnumValueDescriptorProtoValue[]
  options?: EnumOptionsValue
  reserved_range: EnumReservedRangeValue[]
  reserved_name: string[]
  visibility?: SymbolVisibility
}

/** An enumeration's reserved range, its end inclusive. */
export interface EnumReservedRangeValue {
  start?: number
  end?: number
}

export interface EnumValueDescriptorProtoValue {
  name?: string
  number?: number
  options?: EnumValueOptionsValue
}

export interface ServiceDescriptorProtoValue {
  name?: string
  method: MethodDescriptorProtoValue[]
  options?: ServiceOptionsValue
}

export interface MethodDescriptorProtoValue {
  name?: string
  input_type?: string
  output_type?: string
  options?: MethodOptionsValue
  client_streaming?: boolean
  server_streaming?: boolean
}

export interface FileOptionsValue {
  java_package?: string
  java_outer_classname?: string
  java_multiple_files?: boolean
  java_generate_equals_and_hash?: boolean
  java_string_check_utf8?: boolean
  optimize_for?: 'SPEED' | 'CODE_SIZE' | 'LITE_RUNTIME'
  go_package?: string
  cc_generic_services?: boolean
  java_generic_services?: boolean
  py_generic_services?: boolean
  deprecated?: boolean
  cc_enable_arenas?: boolean
  objc_class_prefix?: string
  csharp_namespace?: string
  swift_prefix?: string
  php_class_prefix?: string
  php_namespace?: string
  php_metadata_namespace?: string
  ruby_package?: string
  features?: FeatureSetValue
  uninterpreted_option: UninterpretedOptionValue[]
}

export interface MessageOptionsValue {
  message_set_wire_format?: boolean
  no_standard_descriptor_accessor?: boolean
  deprecated?: boolean
  map_entry?: boolean
  deprecated_legacy_json_field_conflicts?: boolean
  features?: FeatureSetValue
  uninterpreted_option: UninterpretedOptionValue[]
}

export type OptionTargetType =
  | 'TARGET_TYPE_UNKNOWN'
  | 'TARGET_TYPE_FILE'
  | 'TARGET_TYPE_EXTENSION_RANGE'
  | 'TARGET_TYPE_MESSAGE'
  | 'TARGET_TYPE_FIELD'
  | 'TARGET_TYPE_ONEOF'
  | 'TARGET_TYPE_ENUM'
  | 'TARGET_TYPE_ENUM_ENTRY'
  | 'TARGET_TYPE_SERVICE'
  | 'TARGET_TYPE_METHOD'

export interface FieldOptionsValue {
  ctype?: 'STRING' | 'CORD' | 'STRING_PIECE'
  packed?: boolean
  jstype?: 'JS_NORMAL' | 'JS_STRING' | 'JS_NUMBER'
  lazy?: boolean
  unverified_lazy?: boolean
  deprecated?: boolean
  weak?: boolean
  debug_redact?: boolean
  retention?: 'RETENTION_UNKNOWN' | 'RETENTION_RUNTIME' | 'RETENTION_SOURCE'
  targets: OptionTargetType[]
  edition_defaults: { edition?: Edition; value?: string }[]
  features?: FeatureSetValue
  feature_support?: FeatureSupportValue
  uninterpreted_option: UninterpretedOptionValue[]
}

export interface FeatureSupportValue {
  edition_introduced?: Edition
  edition_deprecated?: Edition
  deprecation_warning?: string
  edition_removed?: Edition
}

export interface OneofOptionsValue {
  features?: FeatureSetValue
  uninterpreted_option: UninterpretedOptionValue[]
}

export interface EnumOptionsValue {
  allow_alias?: boolean
  deprecated?: boolean
  deprecated_legacy_json_field_conflicts?: boolean
  features?: FeatureSetValue
  uninterpreted_option: UninterpretedOptionValue[]
}

export interface EnumValueOptionsValue {
  deprecated?: boolean
  features?: FeatureSetValue
  debug_redact?: boolean
  feature_support?: FeatureSupportValue
  uninterpreted_option: UninterpretedOptionValue[]
}

export interface ServiceOptionsValue {
  features?: FeatureSetValue
  deprecated?: boolean
  uninterpreted_option: UninterpretedOptionValue[]
}

export interface MethodOptionsValue {
  deprecated?: boolean
  idempotency_level?: 'IDEMPOTENCY_UNKNOWN' | 'NO_SIDE_EFFECTS' | 'IDEMPOTENT'
  features?: FeatureSetValue
  uninterpreted_option: UninterpretedOptionValue[]
}

/** An option protoc could not interpret; protoc interprets all it writes, so the parser makes none. */
export interface UninterpretedOptionValue {
  name: { name_part?: string; is_extension?: boolean }[]
  identifier_value?: string
  positive_int_value?: bigint
  negative_int_value?: bigint
  double_value?: number
  string_value?: Uint8Array
  aggregate_value?: string
}

export interface FeatureSetValue {
  field_presence?: 'FIELD_PRESENCE_UNKNOWN' | 'EXPLICIT' | 'IMPLICIT' | 'LEGACY_REQUIRED'
  enum_type?: 'ENUM_TYPE_UNKNOWN' | 'OPEN' | 'CLOSED'
  repeated_field_encoding?: 'REPEATED_FIELD_ENCODING_UNKNOWN' | 'PACKED' | 'EXPANDED'
  utf8_validation?: 'UTF8_VALIDATION_UNKNOWN' | 'VERIFY' | 'NONE'
  message_encoding?: 'MESSAGE_ENCODING_UNKNOWN' | 'LENGTH_PREFIXED' | 'DELIMITED'
  json_format?: 'JSON_FORMAT_UNKNOWN' | 'ALLOW' | 'LEGACY_BEST_EFFORT'
  enforce_naming_style?: 'ENFORCE_NAMING_STYLE_UNKNOWN' | 'STYLE2024' | 'STYLE_LEGACY' | 'STYLE2026'
  default_symbol_visibility?: 'DEFAULT_SYMBOL_VISIBILITY_UNKNOWN' | 'EXPORT_ALL' | 'EXPORT_TOP_LEVEL' | 'LOCAL_ALL' | 'STRICT'
  enforce_proto_limits?: 'PROTO_LIMITS_UNKNOWN' | 'LEGACY_NO_EXPLICIT_LIMITS' | 'PROTO_LIMITS2026'
}
