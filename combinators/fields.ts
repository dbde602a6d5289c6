/**
 * Presence: a bare hole is required (SWI-Prolog's behaviour); `optional`
 * and `defaulted` relax it.
 *
 * @module
 */
import { fcOf, real } from '../src/arb.js'
import { type AnyField, type Field, type FieldEmitter, type FieldImpl, MISSING, show, type FieldShape } from '../src/core.js'
import { deepEqual, structuralDiff } from '../src/equal.js'
import { TemplateError } from '../src/errors.js'
import { makeField } from './host.js'

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
    presence: 'optional',
    ...(inner.shape === undefined ? {} : { shape: shapeWithPresence(inner.shape, 'optional') }),
    ...(inner.emit === undefined ? {} : { emit: optionalEmitter(inner.emit) }),
    finish: (slot, ctx, end) => (slot === MISSING ? undefined : inner.finish(slot, ctx, end)),
    write(w, v, ctx) {
      if (v !== undefined) inner.write(w, v, ctx)
    },
    check: (v, depth) => (v === undefined ? undefined : inner.check(v, depth)),
    diff: (a, b) => (a === undefined || b === undefined || inner.diff === undefined ? structuralDiff(a, b) : inner.diff(a, b)),
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
  if (p !== undefined) {
    throw new TemplateError(`defaulted(${inner.label}, ${show(dflt)}): the default is not a value of ${inner.label}: ${p.detail}`)
  }
  // A value is left out when it is the default by the field's own equality (a float's after rounding to f32);
  // one of another JavaScript type is not, and is left to the field's check.
  // A host type's own equality is asked directly: its diff would build a difference for every value
  // that is not the default, on every encode.
  const equals = inner.host?.impl.equals as ((a: unknown, b: unknown) => boolean) | undefined
  const byIdentity = equals === Object.is || inner.host?.impl.equalsOnlyItself?.(dflt) === true
  const isDefault = byIdentity
    ? (v: unknown): boolean => Object.is(v, dflt)
    : equals !== undefined
      ? (v: unknown): boolean => typeof v === typeof dflt && equals(v, dflt)
      : (v: unknown): boolean => typeof v === typeof dflt && (inner.diff === undefined ? deepEqual(v, dflt) : inner.diff(dflt, v) === undefined)
  return makeField<A, 'required'>({
    ...inner,
    presence: 'required',
    ...(inner.shape === undefined ? {} : { shape: shapeWithPresence(inner.shape, 'defaulted', dflt) }),
    ...(inner.emit === undefined ? {} : { emit: defaultedEmitter(inner.emit, dflt, byIdentity ? undefined : isDefault) }),
    finish: (slot, ctx, end) => (slot === MISSING ? dflt : inner.finish(slot, ctx, end)),
    write(w, v, ctx) {
      if (v !== undefined && !isDefault(v)) inner.write(w, v, ctx)
    },
    check: (v, depth) => (v === undefined ? undefined : inner.check(v, depth)),
  })
}

/** Compiled code of `optional`: nothing written for `undefined`, and `undefined` where the field is missing. */
function optionalEmitter(inner: FieldEmitter): FieldEmitter {
  return {
    encode: (g, x) => `if (${x} !== undefined) { ${inner.encode!(g, x)} }`,
    decode(g, s) {
      const o = inner.decode(g, s)
      return { ...o, result: `(${o.missing} ? undefined : ${o.value})` }
    },
  }
}

/**
 * Compiled code of `defaulted`: the default not written, and read where
 * the field is missing. `isDefault` is given where the type's equality is
 * not `Object.is`, which is inlined.
 */
function defaultedEmitter(inner: FieldEmitter, dflt: unknown, isDefault: ((v: unknown) => boolean) | undefined): FieldEmitter {
  return {
    encode(g, x) {
      const same = isDefault === undefined ? `Object.is(${x}, ${g.ref(dflt)})` : `${g.ref(isDefault)}(${x})`
      return `if (${x} !== undefined && !${same}) { ${inner.encode!(g, x)} }`
    },
    decode(g, s) {
      const o = inner.decode(g, s)
      return { ...o, result: `(${o.missing} ? ${g.ref(dflt)} : ${o.value})` }
    },
  }
}

function requiredHole(field: AnyField, what: string): FieldImpl {
  if (field?.kind !== 'field') throw new TemplateError(`${what}: expected a field`)
  if (field.presence !== 'required') throw new TemplateError(`${what}: ${field.impl.label} is not a required hole`)
  return field.impl
}

/** A field's shape under `optional` (a oneof: none may be present) or `defaulted` (with its default). */
function shapeWithPresence(shape: FieldShape, presence: 'optional' | 'defaulted', value?: unknown): FieldShape {
  if (shape.kind === 'oneof') return { ...shape, optional: true }
  if (shape.kind !== 'single') return shape
  return presence === 'optional' ? { kind: 'single', tag: shape.tag, host: shape.host, presence } : { kind: 'single', tag: shape.tag, host: shape.host, presence, value }
}
