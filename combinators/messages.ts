/**
 * Messages: `protobuf([...])` (the Prolog form, a tuple of the holes'
 * values) and `message({...})` (a record), and the ways to nest them:
 * `embedded`, `repeatedEmbedded` and `group`, whose host type (a message
 * type, with its interpreter and its emitter) is here too.
 *
 * @module
 */
import type * as fc from 'fast-check'
import {
  type AnyField,
  type AnyTemplate,
  type Depth,
  type Field,
  type Gen,
  type HostEmitter,
  type HostImpl,
  type HostType,
  isLazy,
  type Mergeable,
  type Presence,
  type Problem,
  problem,
  type Template,
} from '../src/core.js'
import { ProtoError, TemplateError } from '../src/errors.js'
import { type Reader, tagValue, WireType, type Writer } from '../src/wire.js'
import { defineHostType, makeField, scalarField } from './host.js'
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

/** Whether a template's value has no place at all (a template of constants). */
export type IsEmpty<A> = A extends readonly [] ? true : A extends readonly unknown[] ? false : [keyof A] extends [never] ? true : false

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
export function protobuf<const Fs extends readonly AnyField[]>(fields: Fs): Template<TupleValue<Fs>> {
  return template(fields, undefined)
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
export function message<const Fs extends Readonly<Record<string, AnyField>>>(fields: Fs): Template<RecordValue<Fs>> {
  const keys = Object.keys(fields)
  return template(
    keys.map((k) => fields[k]!),
    keys,
  )
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
export function embedded<A>(template: Template<A>): HostType<A>
export function embedded<A>(tag: number, template: Template<A>): Field<A, IsEmpty<A> extends true ? 'constant' : 'required'>
export function embedded<A>(tagOrTemplate: number | Template<A>, template?: Template<A>): HostType<A> | Field<A> {
  if (typeof tagOrTemplate !== 'number') return defineHostType(messageHost(tagOrTemplate, 'embedded'))
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
export function group<const B extends GroupBody>(body: B): HostType<GroupValue<B>>
export function group<const B extends GroupBody>(
  tag: number,
  body: B,
): Field<GroupValue<B>, IsEmpty<GroupValue<B>> extends true ? 'constant' : 'required'>
export function group(tagOrBody: number | GroupBody, body?: GroupBody): HostType<unknown> | Field<unknown> {
  if (typeof tagOrBody !== 'number') {
    const t: AnyTemplate = Array.isArray(tagOrBody) ? protobuf(tagOrBody as readonly AnyField[]) : (tagOrBody as AnyTemplate)
    return defineHostType(messageHost(t, 'group'))
  }
  const t: AnyTemplate = Array.isArray(body) ? protobuf(body as readonly AnyField[]) : (body as AnyTemplate)
  return nestedField(tagOrBody, t, group(t))
}

function nestedField<A>(tag: number, template: Template<A>, host: HostType<A>): Field<A, 'required' | 'constant'> {
  // A lazy template may not be defined yet; it stands for a recursive
  // message, which has holes.
  const constant = !isLazy(template) && !template.impl.hasHoles
  return makeField(scalarField(host, tag, constant ? [emptyValue(template) as A] : []) as ReturnType<typeof scalarField> & {
    presence: 'required' | 'constant'
  })
}

// ---------------------------------------------------------------------------
// Message types as host types

/** The state of a message read from one or more occurrences. */
export interface MessageState {
  readonly slots: unknown[]
  /** Where the first occurrence's payload starts (for errors about the whole value). */
  start: number
  /** Where the last occurrence ended (for errors about missing fields). */
  end: number
}

function enter(ctx: Depth, offset: number | undefined): void {
  if (++ctx.depth > ctx.maxDepth) {
    throw new ProtoError(
      'depth-limit',
      offset === undefined
        ? `value nested deeper than ${ctx.maxDepth} levels (a cycle?)`
        : `messages nested deeper than ${ctx.maxDepth} levels`,
      offset,
    )
  }
}

/**
 * A message type as a host type: `embedded(template)` (length-delimited) or
 * `group(template)` (start and end tags). Occurrences of a singular field of
 * such a type merge, as the specification says.
 */
export function messageHost<A>(template: Template<A>, form: 'embedded' | 'group', name: string = form): HostImpl<A> {
  const group = form === 'group'
  const merge: Mergeable<A> = {
    init: (): MessageState => ({ slots: template.impl.init(), start: -1, end: 0 }),
    readInto(r: Reader, fieldNumber: number, ctx: Depth, state: unknown): void {
      const s = state as MessageState
      const start = r.pos
      if (s.start < 0) s.start = start
      enter(ctx, start)
      if (group) {
        template.impl.readInto(r, s.slots, ctx, fieldNumber, false)
      } else {
        const end = r.length()
        const outer = r.end
        r.end = end
        template.impl.readInto(r, s.slots, ctx, undefined, false)
        r.end = outer
      }
      s.end = r.pos
      ctx.depth--
    },
    finish: (state: unknown, ctx: Depth): A => {
      const s = state as MessageState
      return template.impl.finish(s.slots, ctx, s.end) as A
    },
  }
  return {
    name,
    wireType: group ? WireType.SGROUP : WireType.LEN,
    packable: false,
    check(v: unknown, depth: number): Problem | undefined {
      if (depth > 1000) return problem('depth-limit', 'value nested too deeply (a cycle?)')
      return template.impl.check(v, depth + 1)
    },
    write(w: Writer, v: A, fieldNumber: number, ctx: Depth): void {
      enter(ctx, undefined)
      if (group) {
        template.impl.write(w, v, ctx)
        w.tag(fieldNumber, WireType.EGROUP)
      } else {
        const mark = w.fork()
        template.impl.write(w, v, ctx)
        w.join(mark)
      }
      ctx.depth--
    },
    read(r: Reader, fieldNumber: number, ctx: Depth): A {
      const s = merge.init()
      merge.readInto(r, fieldNumber, ctx, s)
      return merge.finish(s, ctx, r.pos)
    },
    equals: (a, b) => template.impl.diff(a, b) === undefined,
    diff: (a, b) => template.impl.diff(a, b),
    arbitrary: (ctx) => template.impl.arbitrary(ctx) as fc.Arbitrary<A> | null,
    merge,
    emit: messageEmitter(template, group),
  }
}

/**
 * Compiled code of a message type: a call to the template's own compiled
 * code, inside its length (or before its end-group tag), the depth counted.
 */
function messageEmitter(template: AnyTemplate, group: boolean): HostEmitter {
  const enter = (g: Gen) => `if (++ctx.depth > ctx.maxDepth) ${g.bail}`
  return {
    write(g, x, fieldNumber) {
      const body = `${enter(g)} ${g.unit(template.impl)}.encode(w, ${x}, ctx); ctx.depth--;`
      return group ? `${body} ${g.tag(fieldNumber, WireType.EGROUP)}` : g.delimited(body)
    },
    read(g, out, fieldNumber) {
      const unit = g.unit(template.impl)
      if (group) return `${enter(g)} ${out} = ${unit}.decode(r, r.end, ctx, ${tagValue(fieldNumber, WireType.EGROUP)}); ctx.depth--;`
      const e = g.local('e')
      const o = g.local('o')
      return `${g.readLength(e)} ${enter(g)} const ${o} = r.end; r.end = ${e}; ${out} = ${unit}.decode(r, ${e}, ctx, 0); r.end = ${o}; ctx.depth--;`
    },
    // The value's form only: a deep check would walk the whole value at
    // every level of a recursive message. A value of the wrong depth makes
    // the message's own encode bail.
    is(_g, x) {
      const m = template.impl
      const holes = m.fields.filter((f) => f.presence !== 'constant').length
      return m.keys === undefined
        ? `(Array.isArray(${x}) && ${x}.length === ${holes})`
        : `(typeof ${x} === 'object' && ${x} !== null && !Array.isArray(${x}) && !(${x} instanceof Uint8Array))`
    },
  }
}
