/**
 * The options messages of google/protobuf/descriptor.proto (protobuf 33),
 * field by field, for turning the options protobufjs parsed (names and
 * JavaScript values) into option values: which names exist, what kind of
 * value each takes, and which are repeated (always an array in a value).
 *
 * protobufjs's own copy of descriptor.proto has these too, but as a
 * reflection tree with camelCase names; a table here says exactly what the
 * parser accepts.
 *
 * @module
 */

export type OptionKind =
  | { readonly scalar: 'bool' | 'string' | 'int32' }
  | { readonly enumeration: string; readonly values: readonly string[] }
  | { readonly message: OptionsName }

export interface OptionField {
  readonly kind: OptionKind
  readonly repeated?: true
}

export type OptionsName =
  | 'FileOptions'
  | 'MessageOptions'
  | 'FieldOptions'
  | 'OneofOptions'
  | 'EnumOptions'
  | 'EnumValueOptions'
  | 'ServiceOptions'
  | 'MethodOptions'
  | 'ExtensionRangeOptions'
  | 'FeatureSet'
  | 'FieldOptions.EditionDefault'
  | 'FieldOptions.FeatureSupport'
  | 'ExtensionRangeOptions.Declaration'

const bool = { kind: { scalar: 'bool' } } as const
const string = { kind: { scalar: 'string' } } as const
const int32 = { kind: { scalar: 'int32' } } as const
const enumeration = (name: string, values: readonly string[]): OptionField => ({ kind: { enumeration: name, values } })
const message = (name: OptionsName, repeated = false): OptionField => ({ kind: { message: name }, ...(repeated ? { repeated: true } : {}) })
const features = message('FeatureSet')

const EDITIONS = [
  'EDITION_UNKNOWN',
  'EDITION_LEGACY',
  'EDITION_PROTO2',
  'EDITION_PROTO3',
  'EDITION_2023',
  'EDITION_2024',
  'EDITION_2026',
  'EDITION_1_TEST_ONLY',
  'EDITION_2_TEST_ONLY',
  'EDITION_99997_TEST_ONLY',
  'EDITION_99998_TEST_ONLY',
  'EDITION_99999_TEST_ONLY',
  'EDITION_MAX',
]
const edition = enumeration('google.protobuf.Edition', EDITIONS)

/** Each options message's fields, by name, in descriptor.proto's order. */
export const optionsMessages: Readonly<Record<OptionsName, Readonly<Record<string, OptionField>>>> = {
  FileOptions: {
    java_package: string,
    java_outer_classname: string,
    java_multiple_files: bool,
    java_generate_equals_and_hash: bool,
    java_string_check_utf8: bool,
    optimize_for: enumeration('google.protobuf.FileOptions.OptimizeMode', ['SPEED', 'CODE_SIZE', 'LITE_RUNTIME']),
    go_package: string,
    cc_generic_services: bool,
    java_generic_services: bool,
    py_generic_services: bool,
    deprecated: bool,
    cc_enable_arenas: bool,
    objc_class_prefix: string,
    csharp_namespace: string,
    swift_prefix: string,
    php_class_prefix: string,
    php_namespace: string,
    php_metadata_namespace: string,
    ruby_package: string,
    features,
  },
  MessageOptions: {
    message_set_wire_format: bool,
    no_standard_descriptor_accessor: bool,
    deprecated: bool,
    map_entry: bool,
    deprecated_legacy_json_field_conflicts: bool,
    features,
  },
  FieldOptions: {
    ctype: enumeration('google.protobuf.FieldOptions.CType', ['STRING', 'CORD', 'STRING_PIECE']),
    packed: bool,
    jstype: enumeration('google.protobuf.FieldOptions.JSType', ['JS_NORMAL', 'JS_STRING', 'JS_NUMBER']),
    lazy: bool,
    unverified_lazy: bool,
    deprecated: bool,
    weak: bool,
    debug_redact: bool,
    retention: enumeration('google.protobuf.FieldOptions.OptionRetention', ['RETENTION_UNKNOWN', 'RETENTION_RUNTIME', 'RETENTION_SOURCE']),
    targets: {
      ...enumeration('google.protobuf.FieldOptions.OptionTargetType', [
        'TARGET_TYPE_UNKNOWN',
        'TARGET_TYPE_FILE',
        'TARGET_TYPE_EXTENSION_RANGE',
        'TARGET_TYPE_MESSAGE',
        'TARGET_TYPE_FIELD',
        'TARGET_TYPE_ONEOF',
        'TARGET_TYPE_ENUM',
        'TARGET_TYPE_ENUM_ENTRY',
        'TARGET_TYPE_SERVICE',
        'TARGET_TYPE_METHOD',
      ]),
      repeated: true,
    },
    edition_defaults: message('FieldOptions.EditionDefault', true),
    features,
    feature_support: message('FieldOptions.FeatureSupport'),
  },
  OneofOptions: { features },
  EnumOptions: {
    allow_alias: bool,
    deprecated: bool,
    deprecated_legacy_json_field_conflicts: bool,
    features,
  },
  EnumValueOptions: {
    deprecated: bool,
    features,
    debug_redact: bool,
    feature_support: message('FieldOptions.FeatureSupport'),
  },
  ServiceOptions: { features, deprecated: bool },
  MethodOptions: {
    deprecated: bool,
    idempotency_level: enumeration('google.protobuf.MethodOptions.IdempotencyLevel', ['IDEMPOTENCY_UNKNOWN', 'NO_SIDE_EFFECTS', 'IDEMPOTENT']),
    features,
  },
  ExtensionRangeOptions: {
    declaration: message('ExtensionRangeOptions.Declaration', true),
    features,
    verification: enumeration('google.protobuf.ExtensionRangeOptions.VerificationState', ['DECLARATION', 'UNVERIFIED']),
  },
  'ExtensionRangeOptions.Declaration': { number: int32, full_name: string, type: string, reserved: bool, repeated: bool },
  FeatureSet: {
    field_presence: enumeration('google.protobuf.FeatureSet.FieldPresence', ['FIELD_PRESENCE_UNKNOWN', 'EXPLICIT', 'IMPLICIT', 'LEGACY_REQUIRED']),
    enum_type: enumeration('google.protobuf.FeatureSet.EnumType', ['ENUM_TYPE_UNKNOWN', 'OPEN', 'CLOSED']),
    repeated_field_encoding: enumeration('google.protobuf.FeatureSet.RepeatedFieldEncoding', ['REPEATED_FIELD_ENCODING_UNKNOWN', 'PACKED', 'EXPANDED']),
    utf8_validation: enumeration('google.protobuf.FeatureSet.Utf8Validation', ['UTF8_VALIDATION_UNKNOWN', 'VERIFY', 'NONE']),
    message_encoding: enumeration('google.protobuf.FeatureSet.MessageEncoding', ['MESSAGE_ENCODING_UNKNOWN', 'LENGTH_PREFIXED', 'DELIMITED']),
    json_format: enumeration('google.protobuf.FeatureSet.JsonFormat', ['JSON_FORMAT_UNKNOWN', 'ALLOW', 'LEGACY_BEST_EFFORT']),
    enforce_naming_style: enumeration('google.protobuf.FeatureSet.EnforceNamingStyle', ['ENFORCE_NAMING_STYLE_UNKNOWN', 'STYLE2024', 'STYLE_LEGACY', 'STYLE2026']),
    default_symbol_visibility: enumeration('google.protobuf.FeatureSet.VisibilityFeature.DefaultSymbolVisibility', [
      'DEFAULT_SYMBOL_VISIBILITY_UNKNOWN',
      'EXPORT_ALL',
      'EXPORT_TOP_LEVEL',
      'LOCAL_ALL',
      'STRICT',
    ]),
    enforce_proto_limits: enumeration('google.protobuf.FeatureSet.ProtoLimitsFeature.EnforceProtoLimits', ['PROTO_LIMITS_UNKNOWN', 'LEGACY_NO_EXPLICIT_LIMITS', 'PROTO_LIMITS2026']),
  },
  'FieldOptions.EditionDefault': { edition, value: string },
  'FieldOptions.FeatureSupport': { edition_introduced: edition, edition_deprecated: edition, deprecation_warning: string, edition_removed: edition },
}

/** The options messages that have `uninterpreted_option` (every one a declaration's `options` field holds). */
export const hasUninterpreted: ReadonlySet<OptionsName> = new Set([
  'FileOptions',
  'MessageOptions',
  'FieldOptions',
  'OneofOptions',
  'EnumOptions',
  'EnumValueOptions',
  'ServiceOptions',
  'MethodOptions',
  'ExtensionRangeOptions',
])
