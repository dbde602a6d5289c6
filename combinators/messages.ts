/**
 * Messages: `protobuf([...])` (the Prolog form, a tuple of the holes'
 * values) and `message({...})` (a record), and the ways to nest them:
 * `embedded`, `repeatedEmbedded` and `group`, whose host type is in
 * message-host.ts.
 *
 * @module
 */
import { type AnyField, type AnyTemplate, type Field, type HostType, isLazy, type IsEmpty, type Presence, type Template } from '../src/core.js'

export type { IsEmpty } from '../src/core.js'
import { TemplateError } from '../src/errors.js'
import { messageHost } from './message-host.js'
import { defineHostType, hasExplicitPresence, holes, hostField, makeField, markExplicit } from './host.js'
import { defaulted, optional } from './fields.js'
import { buildMessage, emptyValue } from '../src/message.js'
import { repeated } from './collections.js'


type FieldValue<F> = F extends Field<infer A, Presence> ? A : never

/**
 * The tuple of the values of the holes of a list of fields, in order.
 * Readonly, so that a mapping can return `[a, b] as const` (TypeScript does
 * not type an array literal as a tuple while it is still inferring).
 */
export type TupleValue<Fs extends readonly AnyField[]> = Readonly<Holes<Fs>>

type Holes<Fs extends readonly AnyField[]> = Fs extends readonly [infer F, ...infer R extends readonly AnyField[]]
  ? F extends Field<infer A, infer P>
    ? P extends 'constant'
      ? Holes<R>
      : [A, ...Holes<R>]
    : never
  : Fs extends readonly []
    ? []
    : FieldValue<Fs[number]>[]

type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** The record of the values of the holes of named fields; optional holes are optional keys. */
/* eslint-disable @typescript-eslint/no-explicit-any */
export type RecordValue<Fs extends Readonly<Record<string, AnyField>>> = Simplify<
  { -readonly [K in keyof Fs as Fs[K] extends Field<any, 'required'> ? K : never]: FieldValue<Fs[K]> } & {
    -readonly [K in keyof Fs as Fs[K] extends Field<any, 'optional'> ? K : never]?: FieldValue<Fs[K]>
  }
>


function template<A>(fields: readonly AnyField[], keys: readonly string[] | undefined): Template<A> {
  for (const f of fields) {
    if (f === null || typeof f !== 'object' || f.kind !== 'field') {
      throw new TemplateError(`expected a field, got ${typeof f === 'function' ? 'a host type without a tag' : String(f)}`)
    }
  }
  return { kind: 'template', impl: buildMessage(fields.map((f) => f.impl), keys) }
}

/**
 * A message in the Prolog form: its value is the tuple of its holes' values,
 * in order; constants take no place.
 *
 * ```ts
 * const t = protobuf([atom(1, 'command'), integer(3), integer(4)])
 * encode(t, [3, -4]) // 0a 07 63 6f 6d 6d 61 6e 64 18 06 20 07
 * ```
 *
 * Encode writes the fields in template order; decode accepts them in any
 * order. `protobuf([])` is the empty message.
 *
 * @throws TemplateError for a tag used twice.
 */
export function protobuf<const Fs extends readonly AnyField[]>(fields: Fs): Template<TupleValue<Fs>>
export function protobuf<const Fs extends readonly AnyField[]>(fields: Fs, options: ImplicitPresence): Template<TupleValue<Implicit<Fs>>>
export function protobuf(fields: readonly AnyField[], options?: MessageOptions): AnyTemplate {
  return template(withPresence(fields, options), undefined)
}

/**
 * A message in the record form: one key per hole, optional holes as
 * optional keys.
 *
 * ```ts
 * const person = message({ name: string(1), id: signed32(2), email: optional(string(3)) })
 * encode(person, { name: 'Ann', id: 7 }) // 0a 03 41 6e 6e 10 07
 * ```
 *
 * @throws TemplateError for a tag used twice.
 */
export function message<const Fs extends Readonly<Record<string, AnyField>>>(fields: Fs): Template<RecordValue<Fs>>
export function message<const Fs extends Readonly<Record<string, AnyField>>>(fields: Fs, options: ImplicitPresence): Template<RecordValue<Implicit<Fs>>>
export function message(fields: Readonly<Record<string, AnyField>>, options?: MessageOptions): AnyTemplate {
  const keys = Object.keys(fields)
  return template(
    withPresence(keys.map((k) => fields[k]!), options),
    keys,
  )
}

export interface MessageOptions {
  /**
   * `'explicit'` (the default, SWI-Prolog's): a bare hole is required.
   * `'implicit'` (proto3's): a bare hole of a type with a zero is
   * `defaulted` (the zero is not written, and a missing field reads as the
   * zero), and one of a message type, or a `oneof`, is `optional`. Lists,
   * maps, constants and fields already wrapped keep their own presence.
   */
  readonly presence?: 'explicit' | 'implicit'
}

/** The option of implicit presence, by which the value type changes. */
export type ImplicitPresence = MessageOptions & { readonly presence: 'implicit' }

/** A field as a message of implicit presence has it: a message-typed hole or a oneof, optional. */
export type ImplicitField<F> = F extends Field<infer A, 'required', true> ? Field<A | undefined, 'optional'> : F
/** The fields of a message of implicit presence. */
export type Implicit<Fs> = { readonly [K in keyof Fs]: ImplicitField<Fs[K]> }

/** The fields as a message of the given presence has them. */
function withPresence(fields: readonly AnyField[], options: MessageOptions | undefined): readonly AnyField[] {
  const presence = options?.presence ?? 'explicit'
  if (presence !== 'explicit' && presence !== 'implicit') throw new TemplateError(`presence must be 'explicit' or 'implicit', not ${String(presence)}`)
  return presence === 'explicit' ? fields : fields.map(implicitly)
}

/**
 * A bare hole under implicit presence. A `lazy` host type is left as it is:
 * what it stands for is not known until its first use (annotated as
 * `HostType<T>`, its value type is `T` either way).
 */
function implicitly(f: AnyField): AnyField {
  if (f?.kind !== 'field' || f.presence !== 'required') return f
  const hole = f as Field<unknown, 'required'>
  if (hasExplicitPresence(f.impl)) return optional(hole)
  const host = holes.get(f.impl)
  if (host === undefined || isLazy(host)) return f
  if (hasExplicitPresence(host)) return optional(hole)
  return host.impl.zero === undefined ? f : defaulted(hole)
}

/**
 * A nested message. With a tag it is a field (`embedded(5, nested)`); without
 * one it is the host type, for lists: `repeated(6, embedded(nested))`.
 * A nested template with no holes is a constant: always written, required
 * on decode, and no place in the value.
 *
 * ```ts
 * embedded(5, protobuf([integer(1, -666)])) // 2a 03 08 b3 0a
 * ```
 *
 * Two occurrences of a singular embedded field merge, as the specification says.
 */
export function embedded<A>(template: Template<A>): HostType<A, true>
export function embedded<A>(tag: number, template: Template<A>): Field<A, IsEmpty<A> extends true ? 'constant' : 'required', true>
export function embedded<A>(tagOrTemplate: number | Template<A>, template?: Template<A>): HostType<A, true> | Field<A> {
  if (typeof tagOrTemplate !== 'number') return markExplicit(defineHostType(messageHost(tagOrTemplate, 'embedded'))) as HostType<A, true>
  return nestedField(tagOrTemplate, template!, embedded(template!))
}

/** `repeated(tag, embedded(template))`: a list of nested messages. */
export function repeatedEmbedded<A>(tag: number, template: Template<A>): Field<A[], 'required'> {
  return repeated(tag, embedded(template))
}

type GroupBody = AnyTemplate | readonly AnyField[]
type GroupValue<B> = B extends Template<infer A> ? A : B extends readonly AnyField[] ? TupleValue<B> : never

/**
 * A group (wire types 3 and 4; deprecated in protobuf, kept for old data).
 * Like `embedded`, with a tag a field, without one a host type for lists.
 * The body is a template, or a list of fields as in SWI-Prolog:
 *
 * ```ts
 * group(2, [double(1, 1.5), double(2, -2.5)]) // 13 09 … 11 … 14
 * ```
 */
export function group<const B extends GroupBody>(body: B): HostType<GroupValue<B>, true>
export function group<const B extends GroupBody>(
  tag: number,
  body: B,
): Field<GroupValue<B>, IsEmpty<GroupValue<B>> extends true ? 'constant' : 'required', true>
export function group(tagOrBody: number | GroupBody, body?: GroupBody): HostType<unknown> | Field<unknown> {
  if (typeof tagOrBody !== 'number') {
    const t: AnyTemplate = Array.isArray(tagOrBody) ? protobuf(tagOrBody as readonly AnyField[]) : (tagOrBody as AnyTemplate)
    return markExplicit(defineHostType(messageHost(t, 'group')))
  }
  const t: AnyTemplate = Array.isArray(body) ? protobuf(body as readonly AnyField[]) : (body as AnyTemplate)
  return nestedField(tagOrBody, t, group(t))
}

function nestedField<A>(tag: number, template: Template<A>, host: HostType<A>): Field<A, 'required' | 'constant'> {
  // A lazy template may not be defined yet; it stands for a recursive
  // message, which has holes.
  const constant = !isLazy(template) && !template.impl.hasHoles
  return makeField(hostField(host, tag, constant ? [emptyValue(template) as A] : []) as ReturnType<typeof hostField> & {
    presence: 'required' | 'constant'
  })
}
