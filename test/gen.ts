/**
 * Random templates for property tests: a template is generated as a plain
 * description (a spec), then built. Specs can be transformed (packed and
 * unpacked swapped) and shown, which templates cannot.
 *
 * Every combinator is generated: every host type as a hole (required,
 * `optional`, `defaulted` with the type's zero or with an explicit default),
 * as a constant, and in `repeated` and `packed` lists (constant lists too);
 * `embedded` and `group` messages, single, optional and repeated, and ones
 * with no holes (groups of constants, which are constants themselves);
 * `unknownFields`; both forms of `oneof`, optional or not; `hostType` with
 * a mapping from a tuple template to a domain object (no `is`) and one with
 * a given `is`, single, optional, repeated, as a oneof alternative, and as
 * a constant (one value, or a constant list); and
 * recursion through `lazy`: a linked list, a tree of embedded messages, a
 * tree of groups, and a tree through a `hostType` (as examples/xml.ts has
 * it), bounded by `arbitrary`'s depth.
 */
import * as fc from 'fast-check'
import * as P from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { isDeepStrictEqual } from 'node:util'
import type { AnyField, AnyHostType, AnyTemplate, Field } from '../src/core.js'
import * as Pl from './prolog.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Req = Field<any, 'required'>

/** The scalar host types a spec may name. */
export const enumClosed = P.enumeration('e_closed', { zero: 0, one: 1, minus: -5, big: 1000 }, { unknown: 'field' })
export const enumOpen = P.enumeration('e_open', { first: 1, second: 2 }, { open: true })

export const hosts = {
  double: P.double,
  float: P.float,
  integer: P.integer,
  sint32: P.sint32,
  unsigned: P.unsigned,
  uint32: P.uint32,
  signed64: P.signed64,
  signed32: P.signed32,
  integer64: P.integer64,
  integer32: P.integer32,
  unsigned64: P.unsigned64,
  unsigned32: P.unsigned32,
  integerBig: P.integerBig,
  unsignedBig: P.unsignedBig,
  signed64Big: P.signed64Big,
  integer64Big: P.integer64Big,
  unsigned64Big: P.unsigned64Big,
  boolean: P.boolean,
  atom: P.atom,
  string: P.string,
  unvalidatedString: P.unvalidatedString,
  utf8Codes: P.utf8Codes,
  codes: P.codes,
  e_closed: enumClosed,
  e_open: enumOpen,
} as const satisfies Record<string, AnyHostType>

export type HostName = keyof typeof hosts
const hostNames = Object.keys(hosts) as HostName[]
const packable = hostNames.filter((n) => hosts[n].impl.packable)
const withZero = hostNames.filter((n) => hosts[n].impl.zero !== undefined)

/**
 * The JavaScript kinds of each type's values: a tuple-form oneof takes
 * alternatives of disjoint kinds, since encode picks the first that accepts
 * a value and a later one that shares its kind would be shadowed. An open
 * enumeration takes numbers as well as names; code lists and tuples are
 * both arrays.
 */
const valueKinds = (n: HostName): readonly string[] =>
  n.endsWith('Big')
    ? ['bigint']
    : n === 'boolean'
      ? ['boolean']
      : n === 'atom' || n === 'string' || n === 'unvalidatedString' || n === 'e_closed'
        ? ['string']
        : n === 'e_open'
          ? ['string', 'number']
          : n === 'codes'
            ? ['bytes']
            : n === 'utf8Codes'
              ? ['array']
              : ['number']

export type FieldSpec =
  /** A hole; a defaulted one has the type's zero as its default unless `default` is given. */
  | { readonly kind: 'scalar'; readonly type: HostName; readonly presence: 'required' | 'optional' | 'defaulted'; readonly default?: unknown }
  | { readonly kind: 'constant'; readonly type: HostName; readonly value: unknown }
  | { readonly kind: 'constantList'; readonly type: HostName; readonly packed: boolean; readonly value: readonly unknown[] }
  | { readonly kind: 'repeated' | 'packed'; readonly type: HostName }
  /** A map, of a key type protobuf allows and a scalar value. */
  | { readonly kind: 'map'; readonly key: HostName; readonly value: HostName }
  | { readonly kind: 'embedded' | 'group'; readonly message: MessageSpec; readonly optional: boolean }
  | { readonly kind: 'repeatedEmbedded' | 'repeatedGroup'; readonly message: MessageSpec }
  | { readonly kind: 'oneof'; readonly form: 'tuple' | 'record'; readonly alternatives: readonly AltSpec[]; readonly optional: boolean }
  | { readonly kind: 'host'; readonly mapping: Mapping; readonly message: MessageSpec; readonly use: 'required' | 'optional' | 'repeated' }
  | { readonly kind: 'recursive'; readonly shape: Shape; readonly message: MessageSpec; readonly optional: boolean }
  /** A constant of a host type (one, or a constant list): the values of its (flat) template, mapped to the domain when built. */
  | { readonly kind: 'hostConstant'; readonly mapping: Mapping; readonly message: MessageSpec; readonly list: boolean; readonly values: readonly unknown[] }
  | { readonly kind: 'unknown' }

export type AltSpec =
  | { readonly kind: 'scalar'; readonly type: HostName }
  | { readonly kind: 'embedded'; readonly message: MessageSpec }
  | { readonly kind: 'host'; readonly mapping: Mapping; readonly message: MessageSpec }

/**
 * How a generated `hostType` maps: `object` takes a tuple template's value
 * `[a, b]` to the domain object `{ k0: a, k1: b }` (and gives no `is`);
 * `tagged` takes any template's value `a` to `{ tag: name, value: a }`, with
 * an `is` that asks for the tag.
 */
export type Mapping = 'object' | 'tagged'

/**
 * A recursive message through `lazy`: its own fields and one that holds
 * more of itself. `list`: an optional embedded next node; `tree`: repeated
 * embedded children; `groupTree`: repeated group children; `host`: a
 * `hostType` whose template holds repeated children of that host type.
 */
export type Shape = 'list' | 'tree' | 'groupTree' | 'host'

export interface MessageSpec {
  readonly form: 'tuple' | 'record'
  readonly fields: readonly FieldSpec[]
}

const hostName = fc.constantFrom(...hostNames)

const constantSpec = hostName.chain((type) =>
  arbitrary(hosts[type] as AnyHostType).map((value): FieldSpec => ({ kind: 'constant', type, value })),
)

/** The key types of a map. */
const mapKeys = hostNames.filter((n) => !['double', 'float', 'utf8Codes', 'codes', 'e_closed', 'e_open'].includes(n))
const mapSpec = fc.record({ kind: fc.constant('map' as const), key: fc.constantFrom(...mapKeys), value: hostName })

const listSpec = fc.oneof(
  fc.record({ kind: fc.constant('repeated' as const), type: hostName }),
  fc.record({ kind: fc.constant('packed' as const), type: fc.constantFrom(...packable) }),
)

const constantListSpec = hostName.chain((type) =>
  fc
    .tuple(fc.boolean(), fc.array(arbitrary(hosts[type] as AnyHostType), { maxLength: 4 }))
    .map(([packed, value]): FieldSpec => ({ kind: 'constantList', type, packed: packed && hosts[type].impl.packable, value })),
)

/** A default other than the type's zero (for any type, those without a zero too). */
const explicitDefault = hostName.chain((type) =>
  arbitrary(hosts[type] as AnyHostType)
    .filter((v) => !isDeepStrictEqual(v, hosts[type].impl.zero))
    .map((value): FieldSpec => ({ kind: 'scalar', type, presence: 'defaulted', default: value })),
)

const scalarSpec = fc.oneof(
  fc.record({ kind: fc.constant('scalar' as const), type: hostName, presence: fc.constantFrom('required' as const, 'optional' as const) }),
  fc.record({ kind: fc.constant('scalar' as const), type: fc.constantFrom(...withZero), presence: fc.constant('defaulted' as const) }),
  explicitDefault,
)

/** A message of scalars, constants and lists only: what a recursive node holds, so that recursion does not multiply. */
const flatMessage: fc.Arbitrary<MessageSpec> = fc.record({
  form: fc.constantFrom('tuple' as const, 'record' as const),
  fields: fc.array(fc.oneof(scalarSpec, constantSpec, constantListSpec, listSpec), { maxLength: 3 }),
})

/** A message of constants only (constants, constant lists, and such messages within): a constant itself, wherever it is embedded. */
const groundMessage: fc.Arbitrary<MessageSpec> = fc.letrec<{ message: MessageSpec; field: FieldSpec }>((tie) => ({
  message: fc.record({ form: fc.constantFrom('tuple' as const, 'record' as const), fields: fc.array(tie('field'), { maxLength: 3 }) }),
  field: fc.oneof(
    { depthSize: 'small', maxDepth: 2 },
    constantSpec,
    constantListSpec,
    fc.record({ kind: fc.constantFrom('embedded' as const, 'group' as const), message: tie('message'), optional: fc.constant(false) }),
  ),
})).message

const tupleOf = (m: fc.Arbitrary<MessageSpec>): fc.Arbitrary<MessageSpec> => m.map((x) => ({ ...x, form: 'tuple' as const }))

/** A constant of a generated host type over a flat message (whose values carry no names that depend on tags). */
const hostConstantSpec: fc.Arbitrary<FieldSpec> = fc
  .tuple(fc.constantFrom('object' as const, 'tagged' as const), flatMessage, fc.boolean())
  .chain(([mapping, m, list]) => {
    const message = mapping === 'object' ? { ...m, form: 'tuple' as const } : m
    const inner = arbitrary(compile(message).template)
    return fc
      .array(inner, { minLength: list ? 0 : 1, maxLength: list ? 3 : 1 })
      .map((values): FieldSpec => ({ kind: 'hostConstant', mapping, message, list, values }))
  })


/** Specs of messages nested up to `depth` deep. */
export function messageSpec(depth = 3): fc.Arbitrary<MessageSpec> {
  const { message } = fc.letrec<{ message: MessageSpec; field: FieldSpec; alt: AltSpec }>((tie) => ({
    message: fc
      .record({
        form: fc.constantFrom('tuple' as const, 'record' as const),
        fields: fc.array(tie('field'), { maxLength: 5 }),
        capture: fc.boolean(),
      })
      .map(({ form, fields, capture }) => ({
        form,
        // At most one capture of unknown fields per message.
        fields: [...fields.filter((f) => f.kind !== 'unknown'), ...(capture && fields.some((f) => f.kind === 'unknown') ? [{ kind: 'unknown' as const }] : [])],
      })),
    field: fc.oneof(
      { depthSize: 'small', withCrossShrink: true, maxDepth: depth },
      scalarSpec,
      scalarSpec,
      constantSpec,
      listSpec,
      mapSpec,
      fc.record({ kind: fc.constant('unknown' as const) }),
      fc.record({ kind: fc.constantFrom('embedded' as const, 'group' as const), message: tie('message'), optional: fc.boolean() }),
      fc.record({ kind: fc.constantFrom('repeatedEmbedded' as const, 'repeatedGroup' as const), message: tie('message') }),
      fc.record({ kind: fc.constantFrom('embedded' as const, 'group' as const), message: groundMessage, optional: fc.boolean() }),
      constantListSpec,
      hostConstantSpec,
      fc.oneof(
        fc.record({ kind: fc.constant('host' as const), mapping: fc.constant('object' as const), message: tupleOf(tie('message')), use: fc.constantFrom('required' as const, 'optional' as const, 'repeated' as const) }),
        fc.record({ kind: fc.constant('host' as const), mapping: fc.constant('tagged' as const), message: tie('message'), use: fc.constantFrom('required' as const, 'optional' as const, 'repeated' as const) }),
      ),
      fc.record({ kind: fc.constant('recursive' as const), shape: fc.constantFrom('list' as const, 'tree' as const, 'groupTree' as const, 'host' as const), message: flatMessage, optional: fc.boolean() }),
      fc
        .record({
          kind: fc.constant('oneof' as const),
          form: fc.constantFrom('tuple' as const, 'record' as const),
          alternatives: fc.array(tie('alt'), { minLength: 1, maxLength: 3 }),
          optional: fc.boolean(),
        })
        .map((o) => ({ ...o, alternatives: o.form === 'tuple' ? distinctKinds(o.alternatives) : o.alternatives })),
    ),
    alt: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      fc.record({ kind: fc.constant('scalar' as const), type: hostName }),
      fc.record({ kind: fc.constant('embedded' as const), message: tie('message') }),
      fc.record({ kind: fc.constant('host' as const), mapping: fc.constant('object' as const), message: tupleOf(tie('message')) }),
      fc.record({ kind: fc.constant('host' as const), mapping: fc.constant('tagged' as const), message: tie('message') }),
    ),
  }))
  return message
}

function distinctKinds(alts: readonly AltSpec[]): AltSpec[] {
  const seen = new Set<string>()
  return alts.filter((a) => {
    const ks = a.kind === 'scalar' ? valueKinds(a.type) : a.kind === 'host' || a.message.form === 'record' ? ['record'] : ['array']
    if (ks.some((k) => seen.has(k))) return false
    for (const k of ks) seen.add(k)
    return true
  })
}

/** Tags for the fields of one message: increasing, with gaps, some very large, none reserved. */
function tagsFor(spec: MessageSpec, seed: number): number[][] {
  const out: number[][] = []
  let next = 1 + (seed % 5)
  const take = (): number => {
    const t = next
    next += 1 + ((seed >>> (next % 13)) % 3 === 0 ? 7 : 0)
    if (next >= 19000 && next <= 19999) next = 20000
    return t
  }
  spec.fields.forEach((f, i) => {
    // Now and then, jump far: to 16 (two-byte tags), 2^11, or near 2^29.
    if (i === 2 && seed % 3 === 0) next = Math.max(next, 16)
    if (i === 3 && seed % 7 === 0) next = Math.max(next, 2048)
    if (i === 4 && seed % 11 === 0) next = Math.max(next, 2 ** 29 - 40)
    out.push(f.kind === 'oneof' ? f.alternatives.map(take) : f.kind === 'unknown' ? [] : [take()])
  })
  return out
}

/**
 * A template built from a spec, with its SWI-Prolog twin: `prolog(v)` gives
 * the ground `protobuf([...])` term that `protobuf_message/2` encodes to the
 * bytes protoplate must write for `v`.
 */
export interface Built {
  readonly template: AnyTemplate
  prolog(value: unknown): string
  /** The Prolog list of fields inside `protobuf(...)`, which is what a group holds. */
  fields(value: unknown): string
  /** What each field is, for other peers' renderings (test/protoc.ts). */
  readonly descs: readonly FieldDesc[]
  /** The value of each field of a message value (a constant's own value, for constants). */
  split(value: unknown): unknown[]
}

/**
 * A field of a built template, described for peers that need a schema. A
 * `hostType` travels as its embedded message: it is described as that
 * message, with `toInner` to take a domain value to the template's value.
 * A recursive message's `inner` is the Built of the message itself.
 */
export type FieldDesc =
  | {
      readonly kind: 'scalar'
      readonly tag: number
      readonly type: HostName
      readonly presence: 'required' | 'optional' | 'defaulted' | 'constant'
      /** A constant's value. */
      readonly value?: unknown
      /** A defaulted field's default (the type's zero if not given). */
      readonly default?: unknown
    }
  | { readonly kind: 'list'; readonly tag: number; readonly type: HostName; readonly packed: boolean }
  | {
      readonly kind: 'message'
      readonly tag: number
      readonly group: boolean
      readonly inner: Built
      readonly presence: 'required' | 'optional' | 'constant'
      readonly toInner?: (v: unknown) => unknown
      /** Whether a value is one of this field's (a host type's guard). */
      readonly accepts?: (v: unknown) => boolean
    }
  | {
      readonly kind: 'messageList'
      readonly tag: number
      readonly group: boolean
      readonly inner: Built
      readonly toInner?: (v: unknown) => unknown
      /** The field's value as the list of its messages, where it is not one (a map: its entries). */
      readonly list?: (v: unknown) => readonly unknown[]
    }
  | { readonly kind: 'oneof'; readonly alternatives: readonly FieldDesc[]; readonly record: boolean; readonly optional: boolean }
  | { readonly kind: 'unknown' }

/** A field and how to write one value of it as SWI-Prolog template fields (none, one or several). */
interface BuiltField {
  readonly field: AnyField
  prolog(value: unknown): string[]
  readonly desc: FieldDesc
  /** A constant's value, as `split` gives it. */
  readonly constant?: unknown
}

/** Build the template a spec describes. */
export function build(spec: MessageSpec, seed = 0): AnyTemplate {
  return compile(spec, seed).template
}

export function compile(spec: MessageSpec, seed = 0): Built {
  const tags = tagsFor(spec, seed)
  return assemble(
    spec.form,
    spec.fields.map((f, i) => buildField(f, tags[i]!, seed + i + 1)),
  )
}

/** A message of built fields; into `into` when given (a recursive message is referred to before it is built). */
function assemble(form: 'tuple' | 'record', fields: readonly BuiltField[], into?: Built): Built {
  const template =
    form === 'tuple' ? P.protobuf(fields.map((f) => f.field)) : P.message(Object.fromEntries(fields.map((f, i) => [`f${i}`, f.field])))
  const split = (value: unknown): unknown[] => {
    let k = 0
    return fields.map((f, i) => {
      if (f.field.presence === 'constant') return f.constant
      return form === 'tuple' ? (value as unknown[])[k++] : (value as Record<string, unknown>)[`f${i}`]
    })
  }
  const list = (value: unknown): string => {
    const vs = split(value)
    return Pl.fields(fields.flatMap((f, i) => f.prolog(vs[i])))
  }
  const built: Built = { template, fields: list, prolog: (value) => `protobuf(${list(value)})`, descs: fields.map((f) => f.desc), split }
  return into === undefined ? built : Object.assign(into, built)
}

/** A generated host type over a built template. */
interface Mapped {
  readonly type: AnyHostType
  /** A domain value to the template's value. */
  toInner(d: unknown): unknown
  /** The template's value to a domain value. */
  fromInner(a: unknown): unknown
}

function mapped(mapping: Mapping, inner: Built, name: string): Mapped {
  if (mapping === 'object') {
    // A tuple template's value [a, b] as the record { k0: a, k1: b }; no `is`.
    const toInner = (d: unknown): unknown => {
      if (typeof d !== 'object' || d === null || Array.isArray(d) || d instanceof Uint8Array) throw new Error('not a record')
      const r = d as Record<string, unknown>
      return Object.keys(r).map((_, i) => {
        if (!(`k${i}` in r)) throw new Error(`no k${i}`)
        return r[`k${i}`]
      })
    }
    const fromInner = (a: unknown): unknown => Object.fromEntries((a as unknown[]).map((x, i) => [`k${i}`, x]))
    const type = P.hostType(name, inner.template as P.Template<readonly unknown[]>, {
      decode: fromInner,
      encode: (d) => toInner(d) as readonly unknown[],
    }) as AnyHostType
    return { type, toInner, fromInner }
  }
  // Any template's value a as { tag: name, value: a }, with an `is` that asks for the tag.
  interface Tagged {
    readonly tag: string
    readonly value: unknown
  }
  const is = (u: unknown): u is Tagged => typeof u === 'object' && u !== null && (u as Tagged).tag === name && 'value' in u
  const type = P.hostType(name, inner.template as P.Template<unknown>, {
    decode: (a): Tagged => ({ tag: name, value: a }),
    encode: (d) => d.value,
    is,
  }) as AnyHostType
  return { type, toInner: (d) => (d as Tagged).value, fromInner: (a): Tagged => ({ tag: name, value: a }) }
}

/** A recursive message through `lazy`: its Built (whose descs refer to itself), and what a field of it is. */
function recursive(shape: Shape, spec: MessageSpec, seed: number): { built: Built; field: (tag: number) => AnyField; toInner?: (v: unknown) => unknown } {
  const tags = tagsFor(spec, seed)
  const own = spec.fields.map((f, i) => buildField(f, tags[i]!, seed + i + 1))
  let selfTag = Math.max(0, ...tags.flat()) + 1
  if (selfTag >= 19000 && selfTag <= 19999) selfTag = 20000
  const node = {} as Built
  const embed = (v: unknown): string => `embedded(${selfTag}, ${node.prolog(v)})`
  switch (shape) {
    case 'list':
    case 'tree':
    case 'groupTree': {
      const self: AnyTemplate = P.lazy(() => node.template, `node${seed}`)
      const field: BuiltField =
        shape === 'list'
          ? {
              field: P.optional(P.embedded(selfTag, self) as Req),
              desc: { kind: 'message', tag: selfTag, group: false, inner: node, presence: 'optional' },
              prolog: (v) => (v === undefined ? [] : [embed(v)]),
            }
          : shape === 'tree'
            ? {
                field: P.repeatedEmbedded(selfTag, self),
                desc: { kind: 'messageList', tag: selfTag, group: false, inner: node },
                prolog: (v) => (v as unknown[]).map(embed),
              }
            : {
                field: P.repeated(selfTag, P.group(self)),
                desc: { kind: 'messageList', tag: selfTag, group: true, inner: node },
                prolog: (v) => (v as unknown[]).map((x) => `group(${selfTag}, ${node.fields(x)})`),
              }
      assemble(spec.form, [...own, field], node)
      return { built: node, field: (tag) => P.embedded(tag, self) as AnyField }
    }
    case 'host': {
      // As examples/xml.ts: the host type's template holds repeated children of the host type.
      // Its value is the tuple [...holes, children]; the domain value { v: [...holes], kids: children }.
      interface Node {
        readonly v: readonly unknown[]
        readonly kids: readonly Node[]
      }
      const toInner = (d: unknown): unknown => [...(d as Node).v, (d as Node).kids]
      const host: AnyHostType = P.lazy(
        () =>
          P.hostType(`tree${seed}`, node.template as P.Template<readonly unknown[]>, {
            decode: (a): Node => ({ v: a.slice(0, -1), kids: a[a.length - 1] as Node[] }),
            encode: (d) => toInner(d) as readonly unknown[],
            is: (u): u is Node => typeof u === 'object' && u !== null && Array.isArray((u as Node).v) && Array.isArray((u as Node).kids),
          }) as AnyHostType,
        `tree${seed}`,
      )
      const field: BuiltField = {
        field: P.repeated(selfTag, host),
        desc: { kind: 'messageList', tag: selfTag, group: false, inner: node, toInner },
        prolog: (v) => (v as unknown[]).map((x) => embed(toInner(x))),
      }
      assemble('tuple', [...own, field], node)
      return { built: node, field: (tag) => host(tag) as AnyField, toInner }
    }
  }
}

function buildField(f: FieldSpec, tags: number[], seed: number): BuiltField {
  const tag = tags[0]!
  switch (f.kind) {
    case 'scalar': {
      const hole = hosts[f.type](tag) as AnyField
      const desc: FieldDesc = { kind: 'scalar', tag, type: f.type, presence: f.presence }
      if (f.presence === 'required') return { field: hole, desc, prolog: (v) => [Pl.scalar(f.type, tag, v)] }
      if (f.presence === 'optional') {
        return { field: P.optional(hole as Req), desc, prolog: (v) => (v === undefined ? [] : [Pl.scalar(f.type, tag, v)]) }
      }
      const dflt = 'default' in f ? f.default : (hosts[f.type].impl.zero as unknown)
      return {
        field: 'default' in f ? P.defaulted(hole as Req, f.default) : P.defaulted(hole as Req),
        desc: { ...desc, default: dflt },
        prolog: (v) => (v === undefined || isDeepStrictEqual(v, dflt) ? [] : [Pl.scalar(f.type, tag, v)]),
      }
    }
    case 'constant':
      return {
        field: (hosts[f.type] as AnyHostType)(tag, f.value),
        desc: { kind: 'scalar', tag, type: f.type, presence: 'constant', value: f.value },
        prolog: () => [Pl.scalar(f.type, tag, f.value)],
        constant: f.value,
      }
    case 'constantList': {
      const type = hosts[f.type] as AnyHostType
      const kind = f.packed ? 'packed' : 'repeated'
      return {
        field: f.packed ? P.packed(tag, type, f.value as never) : P.repeated(tag, type, f.value as never),
        desc: { kind: 'list', tag, type: f.type, packed: f.packed },
        prolog: () => [Pl.list(kind, f.type, tag, f.value)],
        constant: f.value,
      }
    }
    case 'repeated':
    case 'packed': {
      const type = hosts[f.type] as AnyHostType
      return {
        field: f.kind === 'packed' ? P.packed(tag, type) : P.repeated(tag, type),
        desc: { kind: 'list', tag, type: f.type, packed: f.kind === 'packed' },
        prolog: (v) => [Pl.list(f.kind, f.type, tag, v as unknown[])],
      }
    }
    case 'map': {
      // On the wire, a repeated message of the key (1) and the value (2), both always written.
      const entry = assemble('tuple', [
        buildField({ kind: 'scalar', type: f.key, presence: 'required' }, [1], seed),
        buildField({ kind: 'scalar', type: f.value, presence: 'required' }, [2], seed),
      ])
      const list = (v: unknown): unknown[] => Array.from(v as Map<unknown, unknown>)
      return {
        field: P.map(tag, hosts[f.key] as AnyHostType, hosts[f.value] as AnyHostType),
        desc: { kind: 'messageList', tag, group: false, inner: entry, list },
        prolog: (v) => list(v).map((e) => `embedded(${tag}, ${entry.prolog(e)})`),
      }
    }
    case 'embedded':
    case 'group': {
      const inner = compile(f.message, seed)
      const group = f.kind === 'group'
      const wrap = (v: unknown): string => (group ? `group(${tag}, ${inner.fields(v)})` : `embedded(${tag}, ${inner.prolog(v)})`)
      const field = (group ? P.group(tag, inner.template) : P.embedded(tag, inner.template)) as AnyField
      if (field.presence === 'constant') {
        return { field, desc: { kind: 'message', tag, group, inner, presence: 'constant' }, prolog: () => [wrap([])], constant: [] }
      }
      // The value of a record with no holes is {}, of a tuple [], as the template has them.
      if (!f.optional) return { field, desc: { kind: 'message', tag, group, inner, presence: 'required' }, prolog: (v) => [wrap(v)] }
      return {
        field: P.optional(field as Req),
        desc: { kind: 'message', tag, group, inner, presence: 'optional' },
        prolog: (v) => (v === undefined ? [] : [wrap(v)]),
      }
    }
    case 'repeatedEmbedded':
    case 'repeatedGroup': {
      const inner = compile(f.message, seed)
      const group = f.kind === 'repeatedGroup'
      return {
        field: group ? P.repeated(tag, P.group(inner.template)) : P.repeatedEmbedded(tag, inner.template),
        desc: { kind: 'messageList', tag, group, inner },
        prolog: (v) => (v as unknown[]).map((x) => (group ? `group(${tag}, ${inner.fields(x)})` : `embedded(${tag}, ${inner.prolog(x)})`)),
      }
    }
    case 'host': {
      const inner = compile(f.message, seed)
      const { type, toInner } = mapped(f.mapping, inner, `h${seed}_${tag}`)
      const embed = (x: unknown): string => `embedded(${tag}, ${inner.prolog(toInner(x))})`
      if (f.use === 'repeated') {
        return { field: P.repeated(tag, type), desc: { kind: 'messageList', tag, group: false, inner, toInner }, prolog: (v) => (v as unknown[]).map(embed) }
      }
      const desc: FieldDesc = { kind: 'message', tag, group: false, inner, presence: f.use, toInner, accepts: (v) => type.codec.is(v) }
      const field = type(tag) as AnyField
      if (f.use === 'required') return { field, desc, prolog: (v) => [embed(v)] }
      return { field: P.optional(field as Req), desc, prolog: (v) => (v === undefined ? [] : [embed(v)]) }
    }
    case 'hostConstant': {
      const inner = compile(f.message, seed)
      const { type, toInner, fromInner } = mapped(f.mapping, inner, `h${seed}_${tag}`)
      const values = f.values.map(fromInner)
      const embed = (x: unknown): string => `embedded(${tag}, ${inner.prolog(toInner(x))})`
      if (f.list) {
        return {
          field: P.repeated(tag, type, values as never),
          desc: { kind: 'messageList', tag, group: false, inner, toInner },
          prolog: () => values.map(embed),
          constant: values,
        }
      }
      return {
        field: type(tag, values[0]) as AnyField,
        desc: { kind: 'message', tag, group: false, inner, presence: 'constant', toInner },
        prolog: () => [embed(values[0])],
        constant: values[0],
      }
    }
    case 'recursive': {
      const node = recursive(f.shape, f.message, seed)
      const toInner = node.toInner ?? ((v: unknown) => v)
      const base = { kind: 'message' as const, tag, group: false, inner: node.built, ...(node.toInner === undefined ? {} : { toInner }) }
      const embed = (v: unknown): string => `embedded(${tag}, ${node.built.prolog(toInner(v))})`
      const field = node.field(tag)
      if (!f.optional) return { field, desc: { ...base, presence: 'required' }, prolog: (v) => [embed(v)] }
      return { field: P.optional(field as Req), desc: { ...base, presence: 'optional' }, prolog: (v) => (v === undefined ? [] : [embed(v)]) }
    }
    case 'oneof': {
      const alts = f.alternatives.map((a, i): BuiltField => {
        const t = tags[i]!
        if (a.kind === 'scalar') {
          return {
            field: (hosts[a.type] as AnyHostType)(t) as AnyField,
            desc: { kind: 'scalar', tag: t, type: a.type, presence: 'required' },
            prolog: (v) => [Pl.scalar(a.type, t, v)],
          }
        }
        const inner = compile(a.message, seed + i)
        if (a.kind === 'host') {
          const { type, toInner } = mapped(a.mapping, inner, `h${seed}_${t}`)
          return {
            field: type(t) as AnyField,
            desc: { kind: 'message', tag: t, group: false, inner, presence: 'required', toInner, accepts: (v) => type.codec.is(v) },
            prolog: (v) => [`embedded(${t}, ${inner.prolog(toInner(v))})`],
          }
        }
        const field = P.embedded(t, inner.template) as AnyField
        return {
          field,
          desc: { kind: 'message', tag: t, group: false, inner, presence: field.presence === 'constant' ? 'constant' : 'required' },
          prolog: (v) => [`embedded(${t}, ${inner.prolog(v)})`],
        }
      })
      // An alternative of a template with no holes is a constant, which no oneof takes.
      const holes = alts.filter((a) => a.field.presence === 'required')
      if (holes.length === 0) {
        const t = tags[0]!
        return {
          field: P.optional(hosts.unsigned(t)),
          desc: { kind: 'scalar', tag: t, type: 'unsigned', presence: 'optional' },
          prolog: (v) => (v === undefined ? [] : [Pl.scalar('unsigned', t, v)]),
        }
      }
      const fields = holes.map((a) => a.field as Req)
      const record = f.form === 'record'
      const o = record ? P.oneof(Object.fromEntries(fields.map((a, i) => [`a${i}`, a]))) : P.oneof(fields)
      const desc: FieldDesc = { kind: 'oneof', alternatives: holes.map((h) => h.desc), record, optional: f.optional }
      return {
        field: f.optional ? P.optional(o) : o,
        desc,
        prolog: (v) => {
          if (v === undefined) return []
          const [i, x] = oneofChoice(desc, v)
          return holes[i]!.prolog(x)
        },
      }
    }
    case 'unknown':
      return { field: P.unknownFields(), desc: { kind: 'unknown' }, prolog: (v) => (v === undefined ? [] : Pl.rawFields(v as Uint8Array)) }
  }
}

/** Which alternative of a oneof a value takes (its index among `alternatives`), and that alternative's value. */
export function oneofChoice(desc: Extract<FieldDesc, { kind: 'oneof' }>, v: unknown): [number, unknown] {
  if (desc.record) {
    const { case: c, value } = v as { case: string; value: unknown }
    return [Number(c.slice(1)), value]
  }
  const i = desc.alternatives.findIndex((a) => accepts(a, v))
  return [i, v]
}

function accepts(d: FieldDesc, v: unknown): boolean {
  if (d.kind === 'scalar') return hosts[d.type].codec.is(v)
  if (d.kind === 'message') return d.accepts !== undefined ? d.accepts(v) : d.inner.template.impl.check(v, 0) === undefined
  return false
}

/** A spec with `f` applied to each of its fields, and to the fields of every message within (first the inner ones). */
function mapFields(spec: MessageSpec, f: (field: FieldSpec) => FieldSpec | undefined): MessageSpec {
  const inner = (m: MessageSpec): MessageSpec => mapFields(m, f)
  return {
    form: spec.form,
    fields: spec.fields.flatMap((x): FieldSpec[] => {
      let y: FieldSpec
      switch (x.kind) {
        case 'embedded':
        case 'group':
        case 'repeatedEmbedded':
        case 'repeatedGroup':
        case 'host':
        case 'recursive':
          y = { ...x, message: inner(x.message) }
          break
        case 'hostConstant':
          // Its values are its message's: a change to that message would not fit them.
          y = x
          break
        case 'oneof':
          y = { ...x, alternatives: x.alternatives.map((a) => (a.kind === 'scalar' ? a : { ...a, message: inner(a.message) })) }
          break
        default:
          y = x
      }
      const z = f(y)
      return z === undefined ? [] : [z]
    }),
  }
}

/** The same spec with every repeated field packed and every packed one repeated, where the type allows (constant lists too). */
export function swapPacking(spec: MessageSpec): MessageSpec {
  return mapFields(spec, (f) => {
    switch (f.kind) {
      case 'repeated':
        return hosts[f.type].impl.packable ? { kind: 'packed', type: f.type } : f
      case 'packed':
        return { kind: 'repeated', type: f.type }
      case 'constantList':
        return { ...f, packed: !f.packed && hosts[f.type].impl.packable }
      default:
        return f
    }
  })
}

/** The same spec without captures of unknown fields, at any depth. */
export function withoutCapture(spec: MessageSpec): MessageSpec {
  return mapFields(spec, (f) => (f.kind === 'unknown' ? undefined : f))
}

/**
 * The same spec as a .proto schema can declare it, for the peers with a
 * schema (protoc, protobufjs): without captures of unknown fields (a schema
 * has no place for them), and with a recursion through groups made one
 * through embedded messages (proto2 cannot name a group's own type as the
 * type of a group field inside it: `group` always declares a new type).
 */
export function forSchemas(spec: MessageSpec): MessageSpec {
  return mapFields(spec, (f) => (f.kind === 'unknown' ? undefined : f.kind === 'recursive' && f.shape === 'groupTree' ? { ...f, shape: 'tree' } : f))
}

/** Whether the top level of a spec captures unknown fields. */
export const captures = (spec: MessageSpec): boolean => spec.fields.some((f) => f.kind === 'unknown')

/** A generated template with a seed for its tags. */
export const templateCase = fc.tuple(messageSpec(), fc.nat(1000))

/** A generated template, with its spec and seed, and a value of it. */
export interface Case {
  readonly spec: MessageSpec
  readonly seed: number
  readonly template: AnyTemplate
  readonly value: unknown
}

/** Generated templates, each with a value. */
export const cases: fc.Arbitrary<Case> = templateCase.chain(([spec, seed]) => {
  const template = build(spec, seed)
  return arbitrary(template).map((value) => ({ spec, seed, template, value }))
})
