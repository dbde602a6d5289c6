/**
 * Random templates for property tests: a template is generated as a plain
 * description (a spec), then built. Specs can be transformed (packed and
 * unpacked swapped) and shown, which templates cannot.
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
export const enumClosed = P.enumeration('e_closed', { zero: 0, one: 1, minus: -5, big: 1000 })
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
      : n === 'atom' || n === 'string' || n === 'e_closed'
        ? ['string']
        : n === 'e_open'
          ? ['string', 'number']
          : n === 'codes'
            ? ['bytes']
            : n === 'utf8Codes'
              ? ['array']
              : ['number']

export type FieldSpec =
  | { readonly kind: 'scalar'; readonly type: HostName; readonly presence: 'required' | 'optional' | 'defaulted' }
  | { readonly kind: 'constant'; readonly type: HostName; readonly value: unknown }
  | { readonly kind: 'repeated' | 'packed'; readonly type: HostName }
  | { readonly kind: 'embedded' | 'group'; readonly message: MessageSpec; readonly optional: boolean }
  | { readonly kind: 'repeatedEmbedded' | 'repeatedGroup'; readonly message: MessageSpec }
  | { readonly kind: 'oneof'; readonly form: 'tuple' | 'record'; readonly alternatives: readonly AltSpec[]; readonly optional: boolean }
  | { readonly kind: 'unknown' }

export type AltSpec = { readonly kind: 'scalar'; readonly type: HostName } | { readonly kind: 'embedded'; readonly message: MessageSpec }

export interface MessageSpec {
  readonly form: 'tuple' | 'record'
  readonly fields: readonly FieldSpec[]
}

const hostName = fc.constantFrom(...hostNames)

const constantSpec = hostName.chain((type) =>
  arbitrary(hosts[type] as AnyHostType).map((value): FieldSpec => ({ kind: 'constant', type, value })),
)

const scalarSpec = fc.oneof(
  fc.record({ kind: fc.constant('scalar' as const), type: hostName, presence: fc.constantFrom('required' as const, 'optional' as const) }),
  fc.record({ kind: fc.constant('scalar' as const), type: fc.constantFrom(...withZero), presence: fc.constant('defaulted' as const) }),
)

const listSpec = fc.oneof(
  fc.record({ kind: fc.constant('repeated' as const), type: hostName }),
  fc.record({ kind: fc.constant('packed' as const), type: fc.constantFrom(...packable) }),
)

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
      fc.record({ kind: fc.constant('unknown' as const) }),
      fc.record({ kind: fc.constantFrom('embedded' as const, 'group' as const), message: tie('message'), optional: fc.boolean() }),
      fc.record({ kind: fc.constantFrom('repeatedEmbedded' as const, 'repeatedGroup' as const), message: tie('message') }),
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
    ),
  }))
  return message
}

function distinctKinds(alts: readonly AltSpec[]): AltSpec[] {
  const seen = new Set<string>()
  return alts.filter((a) => {
    const ks = a.kind === 'scalar' ? valueKinds(a.type) : a.message.form === 'tuple' ? ['array'] : ['record']
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

/** A field of a built template, described for peers that need a schema. */
export type FieldDesc =
  | { readonly kind: 'scalar'; readonly tag: number; readonly type: HostName; readonly presence: 'required' | 'optional' | 'defaulted' | 'constant'; readonly value?: unknown }
  | { readonly kind: 'list'; readonly tag: number; readonly type: HostName; readonly packed: boolean }
  | { readonly kind: 'message'; readonly tag: number; readonly group: boolean; readonly inner: Built; readonly presence: 'required' | 'optional' | 'constant' }
  | { readonly kind: 'messageList'; readonly tag: number; readonly group: boolean; readonly inner: Built }
  | { readonly kind: 'oneof'; readonly alternatives: readonly FieldDesc[]; readonly record: boolean; readonly optional: boolean }
  | { readonly kind: 'unknown' }

/** A field and how to write one value of it as SWI-Prolog template fields (none, one or several). */
interface BuiltField {
  readonly field: AnyField
  prolog(value: unknown): string[]
  readonly desc: FieldDesc
}

/** Build the template a spec describes. */
export function build(spec: MessageSpec, seed = 0): AnyTemplate {
  return compile(spec, seed).template
}

export function compile(spec: MessageSpec, seed = 0): Built {
  const tags = tagsFor(spec, seed)
  const fields = spec.fields.map((f, i) => buildField(f, tags[i]!, seed + i + 1))
  const template =
    spec.form === 'tuple'
      ? P.protobuf(fields.map((f) => f.field))
      : P.message(Object.fromEntries(fields.map((f, i) => [`f${i}`, f.field])))
  const split = (value: unknown): unknown[] => {
    let k = 0
    return fields.map((f, i) => {
      if (f.field.presence === 'constant') return f.desc.kind === 'scalar' ? f.desc.value : []
      return spec.form === 'tuple' ? (value as unknown[])[k++] : (value as Record<string, unknown>)[`f${i}`]
    })
  }
  const list = (value: unknown): string => {
    const vs = split(value)
    return Pl.fields(fields.flatMap((f, i) => f.prolog(vs[i])))
  }
  return { template, fields: list, prolog: (value) => `protobuf(${list(value)})`, descs: fields.map((f) => f.desc), split }
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
      const zero = hosts[f.type].impl.zero as unknown
      return {
        field: P.defaulted(hole as Req),
        desc,
        prolog: (v) => (v === undefined || isDeepStrictEqual(v, zero) ? [] : [Pl.scalar(f.type, tag, v)]),
      }
    }
    case 'constant':
      return {
        field: (hosts[f.type] as AnyHostType)(tag, f.value),
        desc: { kind: 'scalar', tag, type: f.type, presence: 'constant', value: f.value },
        prolog: () => [Pl.scalar(f.type, tag, f.value)],
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
    case 'embedded':
    case 'group': {
      const inner = compile(f.message, seed)
      const group = f.kind === 'group'
      const wrap = (v: unknown): string => (group ? `group(${tag}, ${inner.fields(v)})` : `embedded(${tag}, ${inner.prolog(v)})`)
      const field = (group ? P.group(tag, inner.template) : P.embedded(tag, inner.template)) as AnyField
      if (field.presence === 'constant') {
        return { field, desc: { kind: 'message', tag, group, inner, presence: 'constant' }, prolog: () => [wrap([])] }
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
  if (d.kind === 'message') return d.inner.template.impl.check(v, 0) === undefined
  return false
}

/** The same spec with every repeated field packed and every packed one repeated, where the type allows. */
export function swapPacking(spec: MessageSpec): MessageSpec {
  return {
    form: spec.form,
    fields: spec.fields.map((f): FieldSpec => {
      switch (f.kind) {
        case 'repeated':
          return hosts[f.type].impl.packable ? { kind: 'packed', type: f.type } : f
        case 'packed':
          return { kind: 'repeated', type: f.type }
        case 'embedded':
        case 'group':
        case 'repeatedEmbedded':
        case 'repeatedGroup':
          return { ...f, message: swapPacking(f.message) }
        case 'oneof':
          return { ...f, alternatives: f.alternatives.map((a) => (a.kind === 'embedded' ? { ...a, message: swapPacking(a.message) } : a)) }
        default:
          return f
      }
    }),
  }
}

/** The same spec without captures of unknown fields, at any depth (for peers with a schema). */
export function withoutCapture(spec: MessageSpec): MessageSpec {
  const inner = (m: MessageSpec): MessageSpec => withoutCapture(m)
  return {
    form: spec.form,
    fields: spec.fields
      .filter((f) => f.kind !== 'unknown')
      .map((f): FieldSpec => {
        switch (f.kind) {
          case 'embedded':
          case 'group':
          case 'repeatedEmbedded':
          case 'repeatedGroup':
            return { ...f, message: inner(f.message) }
          case 'oneof':
            return { ...f, alternatives: f.alternatives.map((a) => (a.kind === 'embedded' ? { ...a, message: inner(a.message) } : a)) }
          default:
            return f
        }
      }),
  }
}

/** Whether the top level of a spec captures unknown fields. */
export const captures = (spec: MessageSpec): boolean => spec.fields.some((f) => f.kind === 'unknown')

/** A generated template with a seed for its tags. */
export const templateCase = fc.tuple(messageSpec(), fc.nat(1000))
