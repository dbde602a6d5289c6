/**
 * Features, as editions name them: the rules a field follows. proto2 and
 * proto3 files are the editions `EDITION_PROTO2` and `EDITION_PROTO3`,
 * whose defaults differ, and some of their syntax (`required`, `[packed]`,
 * `group`, proto3 `optional`) sets a feature of one field.
 *
 * @module
 */
import { SchemaError } from './errors.js'
import type * as D from './descriptor.js'

/** The features of a scope, resolved. */
export interface Features {
  readonly presence: 'EXPLICIT' | 'IMPLICIT' | 'LEGACY_REQUIRED'
  readonly enumType: 'OPEN' | 'CLOSED'
  readonly repeated: 'PACKED' | 'EXPANDED'
  readonly utf8: 'VERIFY' | 'NONE'
  readonly encoding: 'LENGTH_PREFIXED' | 'DELIMITED'
}

const PROTO2: Features = { presence: 'EXPLICIT', enumType: 'CLOSED', repeated: 'EXPANDED', utf8: 'NONE', encoding: 'LENGTH_PREFIXED' }
const PROTO3: Features = { presence: 'IMPLICIT', enumType: 'OPEN', repeated: 'PACKED', utf8: 'VERIFY', encoding: 'LENGTH_PREFIXED' }
const EDITION_2023: Features = { presence: 'EXPLICIT', enumType: 'OPEN', repeated: 'PACKED', utf8: 'VERIFY', encoding: 'LENGTH_PREFIXED' }
/** The editions whose features this resolves; 2024 changed none of these. */
const EDITIONS: Readonly<Record<string, Features>> = { EDITION_2023, EDITION_2024: EDITION_2023 }

/** A file's features: its syntax's or edition's defaults, then the file's own. */
export function fileFeatures(syntax: 'proto2' | 'proto3' | 'editions', edition: string | undefined, own: D.FeatureSet | undefined): Features {
  if (syntax !== 'editions') return merge(syntax === 'proto2' ? PROTO2 : PROTO3, own)
  const defaults = edition === undefined ? undefined : EDITIONS[edition]
  if (defaults === undefined) throw new SchemaError(`edition ${String(edition)} is not supported (${Object.keys(EDITIONS).join(', ')} are)`)
  return merge(defaults, own)
}

/** The features of a scope inside another: the outer ones, with those the inner sets. */
export function merge(outer: Features, own: D.FeatureSet | undefined): Features {
  if (own === undefined) return outer
  return {
    presence: pick(own.field_presence, ['EXPLICIT', 'IMPLICIT', 'LEGACY_REQUIRED'], outer.presence),
    enumType: pick(own.enum_type, ['OPEN', 'CLOSED'], outer.enumType),
    repeated: pick(own.repeated_field_encoding, ['PACKED', 'EXPANDED'], outer.repeated),
    utf8: pick(own.utf8_validation, ['VERIFY', 'NONE'], outer.utf8),
    encoding: pick(own.message_encoding, ['LENGTH_PREFIXED', 'DELIMITED'], outer.encoding),
  }
}

function pick<V extends string>(value: string | number | undefined, known: readonly V[], outer: V): V {
  if (value === undefined) return outer
  if (typeof value === 'string' && (known as readonly string[]).includes(value)) return value as V
  throw new SchemaError(`the feature value ${String(value)} is not one of ${known.join(', ')}`)
}

/** A field's features, with what the syntax of proto2 and proto3 says of it. */
export function legacyFeatures(syntax: 'proto2' | 'proto3' | 'editions', f: D.FieldDescriptorProto, resolved: Features): Features {
  let out = resolved
  if (f.type === 'TYPE_GROUP') out = { ...out, encoding: 'DELIMITED' }
  if (syntax === 'editions') return out
  if (f.label === 'LABEL_REQUIRED') out = { ...out, presence: 'LEGACY_REQUIRED' }
  if (f.proto3_optional === true) out = { ...out, presence: 'EXPLICIT' }
  if (f.options?.packed !== undefined) out = { ...out, repeated: f.options.packed ? 'PACKED' : 'EXPANDED' }
  return out
}
