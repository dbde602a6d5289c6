/**
 * Alternatives: `oneof`, in the Prolog form (the value is the alternative's
 * own value, and encode picks the first alternative whose type accepts it)
 * and the record form (a discriminated union).
 *
 * @module
 */
import type { Arbitrary } from 'fast-check'
import { fcOf, real } from '../src/arb.js'
import {
  type Arb,
  AS_UNKNOWN,
  type ArbCtx,
  type Depth,
  type Difference,
  type Field,
  type FieldEmitter,
  type FieldImpl,
  MISSING,
  type Problem,
  problem,
  raise,
  show,
} from '../src/core.js'
import { structuralDiff } from '../src/equal.js'
import { ProtoError, TemplateError, within } from '../src/errors.js'
import { makeField, markExplicit } from './host.js'
import type { Reader, Writer } from '../src/wire.js'

/**
 * Compiled code of a oneof. Encode picks the alternative as the
 * interpreter does: the first whose type takes the value (tuple form,
 * by each type's inlined test), or by the case (record form). Decode keeps
 * the value of the last alternative read and which it was; a message
 * alternative read twice in a row is to be merged, which bails.
 */
function oneofEmitter(alts: readonly FieldImpl[], tags: readonly number[], keys: readonly string[] | undefined): FieldEmitter {
  return {
    encode(g, x) {
      if (keys === undefined) {
        const chain = alts.map((a, j) => `${j === 0 ? '' : 'else '}if (${g.is(a.host!.impl, x)}) { ${a.emit!.encode!(g, x)} }`)
        return `${chain.join(' ')} else ${g.bail}`
      }
      const y = g.local('y')
      const cases = alts.map((a, j) => `case ${JSON.stringify(keys[j])}: { const ${y} = ${x}.value; ${a.emit!.encode!(g, y)} break }`)
      return `if (typeof ${x} !== 'object' || ${x} === null) ${g.bail} switch (${x}.case) { ${cases.join(' ')} default: ${g.bail} }`
    },
    decode(g, s) {
      const which = g.local('w')
      g.declare(`let ${s}, ${which} = -1;`)
      alts.forEach((a, j) => {
        const impl = a.host!.impl
        const merge = impl.merge === undefined ? '' : `if (${which} === ${j}) ${g.bail}`
        g.on(tags[j]!, impl.wireType, `${merge} ${g.read(impl, s, tags[j]!)} ${which} = ${j}; continue;`)
      })
      const value = keys === undefined ? s : `{ case: ${g.ref(keys)}[${which}], value: ${s} }`
      return { missing: `${which} < 0`, value, result: `(${which} < 0 ? ${g.bailExpr} : ${value})` }
    },
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Alternative = Field<any, 'required'>
/** How many values of an alternative are tried to see whether earlier ones shadow it. */
const SHADOW_PROBE = 100

type AltValue<F> = F extends Field<infer A, 'required'> ? A : never

/** The value of a record-form oneof: `{ case: 'mobile', value: string } | …`. */
export type OneofValue<Fs extends Readonly<Record<string, Alternative>>> = {
  [K in keyof Fs & string]: { case: K; value: AltValue<Fs[K]> }
}[keyof Fs & string]

/**
 * Exactly one of several fields.
 *
 * ```ts
 * oneof([integer(31), double(32), atom(33)]) // value: number | string
 * // 3 → f8 01 06 (integer(31) accepts it); 3.5 → 81 02 …; 'x' → 8a 02 01 78
 * oneof({ mobile: string(2), email: string(3) })
 * // value: { case: 'mobile', value: string } | { case: 'email', value: string }
 * ```
 *
 * Decode takes the alternative by the tag on the wire (the last one present
 * wins); none present is a `missing-field` error unless wrapped in `optional`.
 *
 * @throws TemplateError for an alternative that is not a required hole with one tag.
 */
export function oneof<const Fs extends readonly Alternative[]>(alternatives: Fs): Field<AltValue<Fs[number]>, 'required', true>
// OneofValue written out, so that the value type shows as its union (in hovers, errors and inferred declarations), not as OneofValue of fields.
export function oneof<const Fs extends Readonly<Record<string, Alternative>>>(
  alternatives: Fs,
): Field<{ [K in keyof Fs & string]: { case: K; value: AltValue<Fs[K]> } }[keyof Fs & string], 'required', true>
export function oneof(alternatives: readonly Alternative[] | Readonly<Record<string, Alternative>>): Field<any, 'required'> {
  const tuple = Array.isArray(alternatives)
  const keys = tuple ? undefined : Object.keys(alternatives)
  const fields: Alternative[] = tuple ? [...alternatives] : keys!.map((k) => (alternatives as Record<string, Alternative>)[k]!)
  const alts = alternativesOf(fields, keys)
  const labels = alts.map((a, i) => keys?.[i] ?? a.label)
  const byTag = new Map<number, number>(alts.map((a, i) => [a.tags[0]!, i]))
  const tags = alts.map((a) => a.tags[0]!)
  const describe = `oneof(${tags.join(', ')})`

  /**
   * Whether alternative i takes a value: by its type's guard where it has
   * one (a user host type's `is`), else by its deep check. The guard is read
   * at use, so that a `lazy` alternative may be defined later.
   */
  function takes(i: number, v: unknown, depth: number): boolean {
    const guard = alts[i]!.host?.impl.guard
    return guard !== undefined ? guard(v) : alts[i]!.check(v, depth) === undefined
  }

  function pick(v: unknown, depth: number): [number, unknown] | Problem {
    if (tuple) {
      for (let i = 0; i < alts.length; i++) if (takes(i, v, depth)) return [i, v]
      return problem('invalid-value', `no alternative of ${describe} accepts ${show(v)}`)
    }
    if (typeof v !== 'object' || v === null || !('case' in v)) {
      return problem('invalid-value', `expected { case, value } for ${describe}, got ${show(v)}`)
    }
    const i = keys!.indexOf((v as { case: unknown }).case as string)
    if (i < 0) return problem('invalid-value', `${show((v as { case: unknown }).case)} is not a case of ${describe}`)
    return [i, (v as { case: unknown; value?: unknown }).value]
  }

  interface Chosen {
    readonly i: number
    readonly s: unknown
  }

  const field = makeField({
    ...(alts.every((a) => a.emit?.encode !== undefined) ? { emit: oneofEmitter(alts, tags, keys) } : {}),
    ...(alts.every((a) => a.shape !== undefined) ? { shape: { kind: 'oneof', optional: false, members: alts.map((a, i) => ({ name: keys?.[i], shape: a.shape! })) } } : {}),
    tags,
    presence: 'required',
    label: 'oneof',
    pathTag: undefined,
    singular: true,
    accepts(fieldNumber: number, wireType: number) {
      return alts[byTag.get(fieldNumber)!]!.accepts(fieldNumber, wireType)
    },
    init: () => MISSING,
    read(r: Reader, slot: unknown, tag: number, ctx: Depth): Chosen | typeof AS_UNKNOWN {
      const i = byTag.get(tag >>> 3)!
      const alt = alts[i]!
      // The same alternative again merges or replaces; another one replaces.
      const prev = slot !== MISSING && (slot as Chosen).i === i ? (slot as Chosen).s : alt.init()
      try {
        const s = alt.read(r, prev, tag, ctx)
        // An occurrence kept as an unknown field leaves the oneof as it was.
        return s === AS_UNKNOWN ? AS_UNKNOWN : { i, s }
      } catch (e) {
        within(e, { field: labels[i]!, tag: tag >>> 3 })
      }
    },
    finish(slot: unknown, ctx: Depth, end: number): unknown {
      if (slot === MISSING) throw new ProtoError('missing-field', `none of the alternatives of ${describe} is present`, end)
      const { i, s } = slot as Chosen
      let v: unknown
      try {
        v = alts[i]!.finish(s, ctx, end)
      } catch (e) {
        within(e, { field: labels[i]!, tag: tags[i]! })
      }
      return tuple ? v : { case: keys![i]!, value: v }
    },
    write(w: Writer, v: unknown, ctx: Depth): void {
      if (v === undefined) raise(problem('missing-field', `no value for ${describe}`))
      const chosen = pick(v, 0)
      if (!Array.isArray(chosen)) raise(chosen)
      const [i, x] = chosen
      try {
        alts[i]!.write(w, x, ctx)
      } catch (e) {
        within(e, { field: labels[i]!, tag: tags[i]! })
      }
    },
    check(v: unknown, depth: number): Problem | undefined {
      if (v === undefined) return problem('missing-field', `no value for ${describe}`)
      const chosen = pick(v, depth)
      if (!Array.isArray(chosen)) return chosen
      // An alternative chosen by its deep check needs no second one.
      const [i, x] = chosen
      return tuple && alts[i]!.host?.impl.guard === undefined ? undefined : alts[i]!.check(x, depth)
    },
    diff(a: unknown, b: unknown): Difference | undefined {
      // The alternative each value is of: the one encode would pick.
      const pa = pick(a, 0)
      const pb = pick(b, 0)
      if (!Array.isArray(pa) || !Array.isArray(pb)) return structuralDiff(a, b)
      const [i, x] = pa
      const [j, y] = pb
      if (i !== j) {
        // The record form names its cases; in the Prolog form the values say it.
        return tuple ? structuralDiff(a, b) : { path: [{ field: 'case' }], expected: keys![i], found: keys![j] }
      }
      const alt = alts[i]!
      const d = alt.diff !== undefined ? alt.diff(x, y) : structuralDiff(x, y)
      d?.path.unshift({ field: labels[i]!, tag: tags[i]! })
      return d
    },
    arbitrary: (ctx) => arbitraryOf(alts, keys, takes, ctx),
  })
  // None present is a state of its own in a message of implicit presence: the oneof is then optional.
  markExplicit(field.impl)
  return field
}

/** The alternatives' implementations, each a required hole of one tag. */
function alternativesOf(fields: readonly Alternative[], keys: readonly string[] | undefined): FieldImpl[] {
  if (fields.length === 0) throw new TemplateError('oneof: no alternatives')
  return fields.map((f, i) => {
    const name = keys?.[i] ?? String(i)
    if (f?.kind !== 'field') throw new TemplateError(`oneof: alternative ${name} is not a field`)
    if (f.presence !== 'required' || f.impl.tags.length !== 1 || !f.impl.singular) {
      throw new TemplateError(`oneof: alternative ${name} (${f.impl.label}) must be a required hole of one tag, not a list or a constant`)
    }
    return f.impl
  })
}

/**
 * Values of a oneof. Encode picks the first alternative that accepts a
 * value, so in the Prolog form a value of alternative i round-trips only if
 * no earlier one takes it (an open enumeration before an int32 takes every
 * int32). Filtering alone would then retry forever, so an alternative
 * whose sample has no value of its own is left out.
 */
function arbitraryOf(
  alts: readonly FieldImpl[],
  keys: readonly string[] | undefined,
  takes: (i: number, v: unknown, depth: number) => boolean,
  ctx: ArbCtx,
): Arb<unknown> | null {
  const fc = fcOf(ctx)
  const arbs: Arbitrary<unknown>[] = []
  alts.forEach((alt, i) => {
    const r = alt.arbitrary(ctx)
    if (r === null) return
    const a = real(r)
    if (keys === undefined) {
      const own = (v: unknown) => alts.findIndex((_, k) => takes(k, v, 0)) === i
      if (i > 0 && !fc.sample(a, { numRuns: SHADOW_PROBE, seed: 0 }).some(own)) return
      arbs.push(a.filter(own))
    } else {
      arbs.push(a.map((value) => ({ case: keys[i]!, value })))
    }
  })
  return arbs.length === 0 ? null : fc.oneof(...arbs)
}
