/**
 * The template core: the three kinds of thing a template is made of, and the
 * one interface each of them implements.
 *
 * - A **host type** (`HostType<A>`) maps one value to one payload: `unsigned`,
 *   `atom`, `embedded(template)`, a user's `hostType(...)`. It is callable:
 *   `unsigned(1)` is a field.
 * - A **field** (`Field<A, P>`) is an element of a message: one or more tags
 *   and what to do with their occurrences. `P` says whether it is a required
 *   hole, an optional hole, or a constant that takes no place in the value.
 * - A **template** (`Template<A>`) is a message: `protobuf([...])` or
 *   `message({...})`. It is what `encode` and `decode` take.
 *
 * The public objects are thin: each carries an `impl` that the engine runs.
 * Engine code reads `impl` when it runs, never when a template is built, so
 * that `lazy` can stand for something not defined yet.
 *
 * @module
 */
import * as t from 'io-ts'
import { type ErrorKind, ProtoError, TemplateError } from './errors.js'
import { MAX_FIELD_NUMBER, type Reader, type WireType, type Writer } from './wire.js'

// ---------------------------------------------------------------------------
// Public types

declare const valueType: unique symbol

/** Whether a field is a required hole, an optional hole, or a constant. */
export type Presence = 'required' | 'optional' | 'constant'

/** A field of a message, whose occurrences give a value of type `A`. */
export interface Field<A, P extends Presence = Presence> {
  readonly kind: 'field'
  readonly presence: P
  readonly impl: FieldImpl
  /** @internal Carries the value type (invariantly); never present at run time. */
  readonly [valueType]?: (a: A) => A
}

/** A message template whose value is `A`. */
export interface Template<A> {
  readonly kind: 'template'
  readonly impl: MessageImpl
  /** @internal Carries the value type (invariantly); never present at run time. */
  readonly [valueType]?: (a: A) => A
}

/**
 * A host type: a mapping between a value of type `A` and one payload on the
 * wire. Call it with a tag for a field (a hole), or with a tag and a value
 * for a constant.
 */
export interface HostType<A> {
  (tag: number): Field<A, 'required'>
  (tag: number, constant: A): Field<A, 'constant'>
  readonly kind: 'hostType'
  /** The host type's name, as in SWI-Prolog (`unsigned`, `atom`, ...). */
  readonly typeName: string
  /** The io-ts codec of its values: its guard decides `oneof`, and encode validates through it. */
  readonly codec: t.Type<A, A, unknown>
  readonly impl: HostImpl<A>
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/** Any field, whatever its value type (values are invariant, so `unknown` would not do). */
export type AnyField = Field<any, Presence>
/** Any template, whatever its value type. */
export type AnyTemplate = Template<any>
/** Any host type, whatever its value type. */
export type AnyHostType = HostType<any>
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The value type of a template, field or host type. */
export type TypeOf<T> =
  T extends Template<infer A> ? A : T extends Field<infer A, Presence> ? A : T extends HostType<infer A> ? A : never

// ---------------------------------------------------------------------------
// Engine interfaces

/** A problem with a value about to be encoded; becomes a `ProtoError`. */
export interface Problem {
  readonly kind: ErrorKind
  readonly detail: string
}

export interface DecodeCtx {
  depth: number
  readonly maxDepth: number
}

export interface EncodeCtx {
  depth: number
  readonly maxDepth: number
}

/**
 * A fast-check `Arbitrary<A>`, as the engine sees it. Declared here without
 * fast-check's types, so that the main entry's declarations need none of
 * them; `arbitrary` of protoplate/testing gives it as `fc.Arbitrary<A>`
 * (of which this is a part).
 */
export interface Arb<A> {
  map<B>(f: (a: A) => B): Arb<B>
  filter(p: (a: A) => boolean): Arb<A>
}

/**
 * The fast-check module, opaque here for the same reason; src/arb.ts gives
 * it its type.
 */
export interface FastCheck {
  readonly [fastCheckBrand]: true
}
declare const fastCheckBrand: unique symbol

/**
 * Bounds `arbitrary` for recursive templates (each `lazy` spends one
 * level), and carries fast-check, which only protoplate/testing loads.
 */
export interface ArbCtx {
  /** The fast-check module: see `fcOf` in src/arb.ts. */
  readonly fc: FastCheck
  readonly depth: number
  /** The field numbers of the message being generated, which captured unknown fields must avoid. */
  readonly usedTags?: ReadonlySet<number>
}

/** How messages merge: the state of a message decoded from one or more occurrences. */
export interface Mergeable<A> {
  init(): unknown
  /** Read one occurrence's payload (after its tag) into the state. */
  readInto(r: Reader, fieldNumber: number, ctx: DecodeCtx, state: unknown): void
  /** The value of the state, once every occurrence has been read. */
  finish(state: unknown, ctx: DecodeCtx, offset: number): A
}

export interface HostImpl<A> {
  readonly name: string
  readonly wireType: WireType
  /** Numeric, boolean and enum types: allowed in a packed run. */
  readonly packable: boolean
  /** The proto3 default, where the type has one. */
  readonly zero?: A
  /** What is wrong with a value, or undefined when it encodes. Deep. */
  check(v: unknown, depth: number): Problem | undefined
  /** Write the payload after the tag (a length prefix included). Validates `v`. */
  write(w: Writer, v: A, fieldNumber: number, ctx: EncodeCtx): void
  /** Read the payload after the tag. */
  read(r: Reader, fieldNumber: number, ctx: DecodeCtx): A
  /**
   * A cheap test of whether a value is of this type, by which `oneof`
   * chooses an alternative (a user host type's `is`); without it, `check`
   * decides.
   */
  readonly guard?: (v: unknown) => boolean
  equals(a: A, b: A): boolean
  /** Values for property tests; null where recursion ran out of depth. */
  arbitrary(ctx: ArbCtx): Arb<A> | null
  /** Present on message types: repeated occurrences of a singular field merge. */
  readonly merge?: Mergeable<A>
  /** Scalars: write a value that passed `check`, and read one (`at` is where it starts). For the compiler. */
  readonly fast?: {
    put(w: Writer, v: A): void
    get(r: Reader, at: number): A
    /** The host's `guard` as source: an expression of the local `x`. */
    is?(x: string, ref: (v: unknown) => string): string
    /**
     * Source of statements that write the value in the local `x` (after its
     * tag) when they take it, and run `other` (check and put) when they do
     * not: inlined into each template's code (src/inline.ts).
     */
    enc?(x: string, other: string): string
    /**
     * Source of statements that set the local `out` to the value at
     * `r.pos` when they take it, and run `other` (get) when they do not;
     * `ref` names a value in the generated code's scope.
     */
    dec?(out: string, other: string, ref: (v: unknown) => string): string
    /**
     * Source of statements that append the values of a packed run, from
     * `r.pos` to the local `end`, to the array `arr`; `other` reads the
     * run one value at a time.
     */
    decRun?(arr: string, end: string, other: string, ref: (v: unknown) => string): string
  }
  /** Message types: the template and how it travels. For the compiler. */
  readonly message?: { readonly template: AnyTemplate; readonly group: boolean }
  /** User host types: the message type they travel as, and the mapping. For the compiler. */
  readonly mapped?: {
    readonly inner: HostImpl<unknown>
    toTemplate(d: A): unknown
    toDomain(a: unknown, at: number): A
    /** The user's own functions, which compiled code calls directly: what they throw sends the operation to the interpreter, which reports it. */
    readonly encode: (d: A) => unknown
    readonly decode: (a: unknown) => A
  }
}

/** Whether a value is of a host type, as `oneof` asks: its guard where it has one, else its deep check. */
export function guardOf<A>(impl: HostImpl<A>): (v: unknown) => boolean {
  return impl.guard ?? ((v) => impl.check(v, 0) === undefined)
}

/**
 * What a field is made of, for the compiler (src/compile.ts). A field
 * without a shape is compiled as a call to its own methods.
 */
export type FieldShape =
  | { readonly kind: 'host'; readonly host: AnyHostType; readonly tag: number; readonly constant: boolean; readonly value?: unknown }
  | { readonly kind: 'list'; readonly host: AnyHostType; readonly tag: number; readonly packed: boolean; readonly constant: boolean }
  | { readonly kind: 'optional'; readonly inner: FieldImpl }
  | { readonly kind: 'defaulted'; readonly inner: FieldImpl; readonly value: unknown }
  | {
      readonly kind: 'oneof'
      readonly alternatives: readonly FieldImpl[]
      readonly keys: readonly string[] | undefined
    }

export interface FieldImpl {
  /** Every field number this field claims in its message. */
  readonly tags: readonly number[]
  readonly presence: Presence
  /** The name used in paths when the field has no record key. */
  readonly label: string
  /** The tag shown in encode paths; none for fields with several tags. */
  readonly pathTag: number | undefined
  /** A second occurrence replaces or merges (false for repeated fields). */
  readonly singular: boolean
  /** Whether an occurrence with this field number and wire type is this field's. */
  accepts(fieldNumber: number, wireType: number): boolean
  /** The slot before any occurrence: MISSING, or an empty list. */
  init(): unknown
  /** Read one occurrence whose tag has been read; returns the new slot. */
  read(r: Reader, slot: unknown, tag: number, ctx: DecodeCtx): unknown
  /** The field's value from its slot. `end` is where the message ended. */
  finish(slot: unknown, ctx: DecodeCtx, end: number): unknown
  /** Write the field (tags included); nothing for an absent optional. */
  write(w: Writer, v: unknown, ctx: EncodeCtx): void
  check(v: unknown, depth: number): Problem | undefined
  arbitrary(ctx: ArbCtx): Arb<unknown> | null
  /** The host type of a single-tag field of one type (for `defaulted`'s zero). */
  readonly host?: AnyHostType
  readonly shape?: FieldShape
}

export interface MessageImpl {
  readonly fields: readonly FieldImpl[]
  /** Record keys, or undefined for the tuple form. */
  readonly keys: readonly string[] | undefined
  /** Whether the value has any place (a template of constants has none). */
  readonly hasHoles: boolean
  write(w: Writer, v: unknown, ctx: EncodeCtx): void
  init(): unknown[]
  /**
   * Read fields into `slots` until `r.end`, or until the end-group tag of
   * `group` when it is given. In prefix mode, stop before the first field
   * that does not continue this message; returns false if stopped so.
   */
  readInto(r: Reader, slots: unknown[], ctx: DecodeCtx, group: number | undefined, prefix: boolean): void
  finish(slots: unknown[], ctx: DecodeCtx, end: number): unknown
  check(v: unknown, depth: number): Problem | undefined
  arbitrary(ctx: ArbCtx): Arb<unknown> | null
}

// ---------------------------------------------------------------------------
// Helpers shared by the engine and the combinators

/** The slot of a field that has not occurred. */
export const MISSING: unique symbol = Symbol('missing')

export function problem(kind: ErrorKind, detail: string): Problem {
  return { kind, detail }
}

export function raise(p: Problem, offset?: number): never {
  throw new ProtoError(p.kind, p.detail, offset)
}

/** A short description of a JavaScript value for error texts. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)
  if (typeof v === 'bigint') return `${v}n`
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v)
  if (v === null || v === undefined || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return `an array of ${v.length}`
  if (v instanceof Uint8Array) return `${v.length} bytes`
  return typeof v === 'object' ? 'an object' : typeof v
}

/** Tags are 1 … 2^29−1, not 19000–19999. */
export function validateTag(tag: number, where: string): void {
  if (!Number.isInteger(tag) || tag < 1 || tag > MAX_FIELD_NUMBER) {
    throw new TemplateError(`${where}: tag ${String(tag)} is not an integer from 1 to 2^29−1`)
  }
  if (tag >= 19000 && tag <= 19999) {
    throw new TemplateError(`${where}: tag ${tag} is reserved (19000–19999) by the protobuf implementation`)
  }
}

/** The io-ts codec whose guard is a host type's check. */
export function codecOf<A>(name: string, check: (v: unknown) => Problem | undefined): t.Type<A, A, unknown> {
  return new t.Type<A, A, unknown>(
    name,
    (u): u is A => check(u) === undefined,
    (u, c) => {
      const p = check(u)
      return p === undefined ? t.success(u as A) : t.failure(u, c, p.detail)
    },
    t.identity,
  )
}

const lazyMarker: unique symbol = Symbol('lazy')

/** Whether `x` is a `lazy` whose target may not be defined yet. */
export function isLazy(x: object): boolean {
  return (x as { [lazyMarker]?: true })[lazyMarker] === true
}

export function markLazy<T extends object>(x: T): T {
  Object.defineProperty(x, lazyMarker, { value: true })
  return x
}
