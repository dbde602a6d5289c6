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
import { type ErrorKind, type PathSegment, ProtoError, TemplateError } from './errors.js'
import { MAX_FIELD_NUMBER, type Reader, type WireType, type Writer } from './wire.js'

// ---------------------------------------------------------------------------
// Public types

declare const valueType: unique symbol

/** Whether a field is a required hole, an optional hole, or a constant. */
export type Presence = 'required' | 'optional' | 'constant'

declare const explicitPresence: unique symbol

/**
 * A field of a message, whose occurrences give a value of type `A`. `X` is
 * `true` for a field with presence of its own in a message of implicit
 * presence (a message type or a oneof: absent, it is `undefined`), and
 * `boolean` for the rest.
 */
export interface Field<A, P extends Presence = Presence, X extends boolean = boolean> {
  readonly kind: 'field'
  readonly presence: P
  readonly impl: FieldImpl
  /** @internal Carries the value type (invariantly); never present at run time. */
  readonly [valueType]?: (a: A) => A
  /** @internal Carries `X`; never present at run time. */
  readonly [explicitPresence]?: X
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
export interface HostType<A, X extends boolean = boolean> {
  (tag: number): Field<A, 'required', X>
  (tag: number, constant: A): Field<A, 'constant', X>
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

/** Whether a template's value has no place at all (a template of constants), so that encode needs none. */
export type IsEmpty<A> = A extends readonly [] ? true : A extends readonly unknown[] ? false : [keyof A] extends [never] ? true : false

/** The value type of a template, field or host type. */
export type TypeOf<T> =
  T extends Template<infer A> ? A : T extends Field<infer A, Presence> ? A : T extends HostType<infer A> ? A : never

/**
 * A value as encode takes it: the value type `A`, with its arrays, tuples
 * and records also accepted readonly at any depth (`as const`, a
 * `readonly number[]`, a frozen record, a `ReadonlyMap`). Decode gives `A`
 * itself.
 */
export type Encodable<A> = A extends string | number | bigint | boolean | symbol | null | undefined | Uint8Array
  ? A
  : A extends (...args: never[]) => unknown
    ? A
    : A extends ReadonlyMap<infer K, infer V>
      ? ReadonlyMap<K, Encodable<V>>
      : A extends object
        ? { readonly [K in keyof A]: Encodable<A[K]> }
        : A

// ---------------------------------------------------------------------------
// Engine interfaces

/** A problem with a value about to be encoded; becomes a `ProtoError`. */
export interface Problem {
  readonly kind: ErrorKind
  readonly detail: string
}

/**
 * How deep an encode or a decode is in nested messages, and how deep it may
 * go: what every interpreter and compiled function is given as `ctx`.
 */
export interface Depth {
  depth: number
  readonly maxDepth: number
  /**
   * Decode: the unknown fields of the message being read, where a value
   * read as unknown inside a packed run goes (a closed enumeration's unknown
   * number, as a field of its own); undefined where the message keeps none.
   */
  unknown?: Uint8Array[] | undefined
}

/**
 * What a host type's read gives for a value that it keeps as an unknown
 * field (a number a closed enumeration does not name, as protobuf says),
 * and what a field's read then returns: the message keeps the occurrence's
 * bytes as an unknown field, and the field's slot stays as it was.
 */
export const AS_UNKNOWN: unique symbol = Symbol('protoplate: an unknown field after all')

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

/**
 * Where two values differ, for `constant-mismatch` texts: the path inside
 * the values (fields and list indexes) and the two values there.
 */
export interface Difference {
  /** Grows while the comparison unwinds, as an error's path does. */
  readonly path: PathSegment[]
  readonly expected: unknown
  readonly found: unknown
  /** The values are the lengths of two lists. */
  readonly lengths?: boolean
}

/** How messages merge: the state of a message decoded from one or more occurrences. */
export interface Mergeable<A> {
  init(): unknown
  /** Read one occurrence's payload (after its tag) into the state. */
  readInto(r: Reader, fieldNumber: number, ctx: Depth, state: unknown): void
  /** The value of the state, once every occurrence has been read. */
  finish(state: unknown, ctx: Depth, offset: number): A
}

/** What a host type is, as a .proto has it. */
export type HostShape =
  /** A scalar; `utf8` says whether a `string` is validated as UTF-8 when read (proto3's and editions' default) or not (proto2's). */
  | { readonly kind: 'scalar'; readonly proto: string; readonly utf8?: boolean }
  | { readonly kind: 'enum'; readonly name: string; readonly members: readonly (readonly [string, number])[]; readonly open: boolean }
  /**
   * A message: embedded, or a group; a user host type travels as its
   * template's message. `template` is the message's own template, a
   * `lazy`'s target rather than the `lazy`, so that one message is one
   * object however it is reached.
   */
  | { readonly kind: 'message'; readonly name: string; readonly template: Template<unknown>; readonly group: boolean }

/** What a field is, as a .proto has it. */
export type FieldShape =
  | {
      readonly kind: 'single'
      readonly tag: number
      readonly host: AnyHostType
      readonly presence: 'required' | 'optional' | 'defaulted' | 'constant'
      /** A constant's value, or a default's. */
      readonly value?: unknown
    }
  | { readonly kind: 'list'; readonly tag: number; readonly host: AnyHostType; readonly packed: boolean; readonly value?: readonly unknown[] }
  | { readonly kind: 'map'; readonly tag: number; readonly key: AnyHostType; readonly value: AnyHostType }
  | { readonly kind: 'oneof'; readonly optional: boolean; readonly members: readonly { readonly name: string | undefined; readonly shape: FieldShape }[] }
  | { readonly kind: 'unknown' }

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
  write(w: Writer, v: A, fieldNumber: number, ctx: Depth): void
  /** Read the payload after the tag. */
  read(r: Reader, fieldNumber: number, ctx: Depth): A
  /**
   * A cheap test of whether a value is of this type, by which `oneof`
   * chooses an alternative (a user host type's `is`); without it, `check`
   * decides.
   */
  readonly guard?: (v: unknown) => boolean
  equals(a: A, b: A): boolean
  /**
   * For a type whose `equals` is not `Object.is`: whether no value but `v`
   * itself equals `v`, so that `defaulted` may compare a value with a
   * default `v` by identity, inlined in compiled code.
   */
  readonly equalsOnlyItself?: (v: A) => boolean
  /**
   * Message types and user host types: where two values differ, member by
   * member with each field's own equality, or undefined when they do not
   * (`equals` is then `diff(a, b) === undefined`). Scalars have `equals` only.
   */
  readonly diff?: (expected: A, found: A) => Difference | undefined
  /** Values for property tests; null where recursion ran out of depth. */
  arbitrary(ctx: ArbCtx): Arb<A> | null
  /** Present on message types: repeated occurrences of a singular field merge. */
  readonly merge?: Mergeable<A>
  /** Whether `read` may give `AS_UNKNOWN` (a closed enumeration that keeps unknown numbers as unknown fields). */
  readonly keepsUnknown?: boolean
  /** What the type contributes to compiled code; without it, compiled code calls the methods above. */
  readonly emit?: HostEmitter
  /** What the type is, for .proto text (`toProto`); a getter, as a lazy type's target is known only when forced. */
  readonly shape?: () => HostShape
}

/** Whether a value is of a host type, as `oneof` asks: its guard where it has one, else its deep check. */
export function guardOf<A>(impl: HostImpl<A>): (v: unknown) => boolean {
  return impl.guard ?? ((v) => impl.check(v, 0) === undefined)
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
  read(r: Reader, slot: unknown, tag: number, ctx: Depth): unknown
  /** The field's value from its slot. `end` is where the message ended. */
  finish(slot: unknown, ctx: Depth, end: number): unknown
  /** Write the field (tags included); nothing for an absent optional. */
  write(w: Writer, v: unknown, ctx: Depth): void
  check(v: unknown, depth: number): Problem | undefined
  /**
   * Where two values of the field differ, with its host types' own
   * equality (float after rounding, NaN equal to NaN, −0 not 0); without
   * it, values compare structurally (`deepEqual`).
   */
  readonly diff?: (expected: unknown, found: unknown) => Difference | undefined
  arbitrary(ctx: ArbCtx): Arb<unknown> | null
  /** The host type of a single-tag field of one type (for `defaulted`'s zero, and `oneof`). */
  readonly host?: AnyHostType
  /** What the field contributes to compiled code; without it, compiled code calls the methods above. */
  readonly emit?: FieldEmitter
  /** What the field is, for .proto text (`toProto`). */
  readonly shape?: FieldShape
}

export interface MessageImpl {
  readonly fields: readonly FieldImpl[]
  /** Record keys, or undefined for the tuple form. */
  readonly keys: readonly string[] | undefined
  /** Whether the value has any place (a template of constants has none). */
  readonly hasHoles: boolean
  write(w: Writer, v: unknown, ctx: Depth): void
  init(): unknown[]
  /**
   * Read fields into `slots` until `r.end`, or until the end-group tag of
   * `group` when it is given. In prefix mode, stop before the first field
   * that does not continue this message; returns false if stopped so.
   */
  readInto(r: Reader, slots: unknown[], ctx: Depth, group: number | undefined, prefix: boolean): void
  finish(slots: unknown[], ctx: Depth, end: number): unknown
  check(v: unknown, depth: number): Problem | undefined
  /** Where two values of the message differ, field by field with each field's own equality. */
  diff(expected: unknown, found: unknown): Difference | undefined
  arbitrary(ctx: ArbCtx): Arb<unknown> | null
}

// ---------------------------------------------------------------------------
// Emitters: what each piece contributes to compiled code

/**
 * What the compiler (src/compile.ts) gives an emitter. Emitters return
 * JavaScript source that runs inside a template's compiled encode, where
 * `w` is the Writer and `ctx` the depth, or its compiled decode, where `r`
 * is the Reader, `t` the tag just read and `ctx` the depth. Source never
 * throws anything but the bail (src/bail.ts).
 */
export interface Gen {
  /** A name, in the generated code's scope, for `v`: a function, a table, a constant. */
  ref(v: unknown): string
  /** A local name used nowhere else in the code. */
  local(prefix: string): string
  /** A statement that hands the operation to the interpreter. */
  readonly bail: string
  /** The same, as an expression. */
  readonly bailExpr: string
  /** Statements writing a tag. */
  tag(fieldNumber: number, wireType: WireType): string
  /** Statements writing the payload that `body` writes, behind its length. */
  delimited(body: string): string
  /** Statements reading a length prefix at `r.pos`, and declaring `end` where its payload ends. */
  readLength(end: string): string
  /** The compiled form of a message, as a name (`.encode(w, v, ctx)`, `.decode(r, end, ctx, endGroupTag)`). */
  unit(m: MessageImpl): string
  /** A host type's write of the value in `x`, after its tag: its emitter's, or a call to its interpreter. */
  write(host: HostImpl<unknown>, x: string, fieldNumber: number): string
  /** A host type's read of one value into the declared local `out`: its emitter's, or a call to its interpreter. */
  read(host: HostImpl<unknown>, out: string, fieldNumber: number): string
  /** Whether `x` is of a host type, as `oneof` picks: its emitter's test, or a call to its guard. */
  is(host: HostImpl<unknown>, x: string): string
  /** A packed run of a host type, from `r.pos` to `end`, appended to the array `arr`. */
  /**
   * A packed run into `arr`: pushed onto an array, or, given `count` (a
   * variable's name), written into a typed array long enough for it (what
   * does not fit bails), its number of elements left in `count`.
   */
  readRun(host: HostImpl<unknown>, arr: string, end: string, count?: string): string
  /** Decode: declare a local before the loop over the fields. */
  declare(code: string): void
  /** Decode: what to do on reading this tag; `body` ends by `continue` (to the next field). */
  on(fieldNumber: number, wireType: WireType, body: string): void
}

/**
 * What a host type contributes to compiled code. Each method is optional:
 * for a missing one, compiled code calls the interpreter.
 */
export interface HostEmitter {
  /** Statements that check the value in `x` and write it after its tag (a length or end-group tag included), bailing on what they do not take. */
  write?(g: Gen, x: string, fieldNumber: number): string
  /** Statements that read a value at `r.pos` into the declared local `out`, bailing on what they do not take. */
  read?(g: Gen, out: string, fieldNumber: number): string
  /**
   * An expression of `x` by which a tuple `oneof` picks this type. It may
   * say yes to a value of the wrong type only if this type's write then
   * bails (a message type tests the value's shape, not its whole depth).
   */
  is?(g: Gen, x: string): string
  /** Statements that append a packed run's values, from `r.pos` to `end`, to `arr`; `other` reads them one by one, from `r.pos`. */
  readRun?(g: Gen, arr: string, end: string, other: string, count?: string): string
}

/** A field's occurrences in compiled decode, as expressions. */
export interface Occurrences {
  /** True when none was read. */
  readonly missing: string
  /** The value read, when one was. */
  readonly value: string
  /** The field's value when the message ends: bailing where it must. */
  readonly result: string
}

/** What a field kind contributes to compiled code. */
export interface FieldEmitter {
  /**
   * Statements that write the field's value, in `x` (its tags included).
   * Constants have none: their bytes are made once, by their interpreter.
   */
  readonly encode?: (g: Gen, x: string) => string
  /** Declares, through `g`, the state (its locals named from `s`) and the tags' cases; returns its occurrences. */
  decode(g: Gen, s: string): Occurrences
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
  return (x as { [lazyMarker]?: unknown })[lazyMarker] !== undefined
}

/** Marks `x` as a `lazy`, whose target `target` gives (forcing it). */
export function markLazy<T extends object>(x: T, target: () => object): T {
  Object.defineProperty(x, lazyMarker, { value: target })
  return x
}

/** What `x` stands for: a `lazy`'s target (forced, through lazies of lazies), or `x` itself. */
export function targetOf<T extends object>(x: T): T {
  let y: object = x
  while (isLazy(y)) y = (y as unknown as { [lazyMarker]: () => object })[lazyMarker]()
  return y as T
}
