/**
 * Presence: a bare hole is required (SWI-Prolog's behaviour); `optional`
 * and `defaulted` relax it.
 *
 * @module
 */
import { fcOf, real } from '../src/arb.js'
import { type AnyField, type Field, type FieldImpl, MISSING } from '../src/core.js'
import { deepEqual } from '../src/equal.js'
import { ProtoError, TemplateError } from '../src/errors.js'
import { makeField } from '../src/host.js'

/**
 * A hole that may be absent: its value is `A | undefined`, `undefined`
 * writes nothing, and a missing field decodes to `undefined` (in a record,
 * to an absent key).
 *
 * ```ts
 * message({ id: unsigned(1), nick: optional(string(2)) }) // { id: number; nick?: string | undefined }
 * ```
 */
export function optional<A>(field: Field<A, 'required'>): Field<A | undefined, 'optional'> {
  const inner = requiredHole(field, 'optional')
  return makeField<A | undefined, 'optional'>({
    ...inner,
    shape: { kind: 'optional', inner },
    presence: 'optional',
    finish: (slot, ctx, end) => (slot === MISSING ? undefined : inner.finish(slot, ctx, end)),
    write(w, v, ctx) {
      if (v !== undefined) inner.write(w, v, ctx)
    },
    check: (v, depth) => (v === undefined ? undefined : inner.check(v, depth)),
    arbitrary(ctx) {
      const fc = fcOf(ctx)
      const a = inner.arbitrary(ctx)
      return a === null ? fc.constant(undefined) : fc.option(real(a), { nil: undefined })
    },
  })
}

/**
 * A hole with a default, as in proto3: a missing field decodes to the
 * default, and the default (or `undefined`) is not written. Without a value
 * the default is the type's zero (0, false, '', empty bytes, the enum member
 * numbered 0).
 *
 * ```ts
 * encode(protobuf([defaulted(unsigned(1))]), [0]) // no bytes
 * ```
 *
 * @throws TemplateError when no default is given and the type has no zero.
 */
export function defaulted<A>(field: Field<A, 'required'>, ...value: [] | [A]): Field<A, 'required'> {
  const inner = requiredHole(field, 'defaulted')
  const zero = inner.host?.impl.zero as A | undefined
  if (value.length === 0 && zero === undefined) {
    throw new TemplateError(`defaulted(${inner.label}): the type has no zero; give the default`)
  }
  const dflt = value.length === 1 ? value[0] : (zero as A)
  const p = inner.check(dflt, 0)
  if (p !== undefined) throw new ProtoError(p.kind, `default of ${inner.label}: ${p.detail}`)
  return makeField<A, 'required'>({
    ...inner,
    shape: { kind: 'defaulted', inner, value: dflt },
    presence: 'required',
    finish: (slot, ctx, end) => (slot === MISSING ? dflt : inner.finish(slot, ctx, end)),
    write(w, v, ctx) {
      if (v !== undefined && !deepEqual(v, dflt)) inner.write(w, v, ctx)
    },
    check: (v, depth) => (v === undefined ? undefined : inner.check(v, depth)),
  })
}

function requiredHole(field: AnyField, what: string): FieldImpl {
  if (field?.kind !== 'field') throw new TemplateError(`${what}: expected a field`)
  if (field.presence !== 'required') throw new TemplateError(`${what}: ${field.impl.label} is not a required hole`)
  return field.impl
}
