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
  type DecodeCtx,
  type EncodeCtx,
  type Field,
  type FieldImpl,
  MISSING,
  type Problem,
  problem,
  raise,
  show,
} from '../src/core.js'
import { ProtoError, TemplateError, within } from '../src/errors.js'
import { makeField } from '../src/host.js'
import type { Reader, Writer } from '../src/wire.js'

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
export function oneof<const Fs extends readonly Alternative[]>(alternatives: Fs): Field<AltValue<Fs[number]>, 'required'>
export function oneof<const Fs extends Readonly<Record<string, Alternative>>>(alternatives: Fs): Field<OneofValue<Fs>, 'required'>
export function oneof(alternatives: readonly Alternative[] | Readonly<Record<string, Alternative>>): Field<any, 'required'> {
  const tuple = Array.isArray(alternatives)
  const keys = tuple ? undefined : Object.keys(alternatives)
  const fields: Alternative[] = tuple ? [...alternatives] : keys!.map((k) => (alternatives as Record<string, Alternative>)[k]!)
  if (fields.length === 0) throw new TemplateError('oneof: no alternatives')
  const alts: FieldImpl[] = fields.map((f, i) => {
    const name = keys?.[i] ?? String(i)
    if (f?.kind !== 'field') throw new TemplateError(`oneof: alternative ${name} is not a field`)
    if (f.presence !== 'required' || f.impl.tags.length !== 1 || !f.impl.singular) {
      throw new TemplateError(`oneof: alternative ${name} (${f.impl.label}) must be a required hole of one tag, not a list or a constant`)
    }
    return f.impl
  })
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

  return makeField({
    shape: {
      kind: 'oneof',
      alternatives: alts,
      keys,
    },
    tags,
    presence: 'required',
    label: 'oneof',
    pathTag: undefined,
    singular: true,
    accepts(fieldNumber: number, wireType: number) {
      return alts[byTag.get(fieldNumber)!]!.accepts(fieldNumber, wireType)
    },
    init: () => MISSING,
    read(r: Reader, slot: unknown, tag: number, ctx: DecodeCtx): Chosen {
      const i = byTag.get(tag >>> 3)!
      const alt = alts[i]!
      // The same alternative again merges or replaces; another one replaces.
      const prev = slot !== MISSING && (slot as Chosen).i === i ? (slot as Chosen).s : alt.init()
      try {
        return { i, s: alt.read(r, prev, tag, ctx) }
      } catch (e) {
        within(e, { field: labels[i]!, tag: tag >>> 3 })
      }
    },
    finish(slot: unknown, ctx: DecodeCtx, end: number): unknown {
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
    write(w: Writer, v: unknown, ctx: EncodeCtx): void {
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
    arbitrary(ctx) {
      const fc = fcOf(ctx)
      const arbs: Arbitrary<unknown>[] = []
      alts.forEach((alt, i) => {
        const r = alt.arbitrary(ctx)
        if (r === null) return
        const a = real(r)
        if (tuple) {
          // Encode picks the first alternative that accepts a value, so a
          // value of alternative i round-trips only if no earlier one takes it
          // (an open enumeration before an int32 takes every int32). Filtering
          // alone would then retry forever, so an alternative whose sample has
          // no value of its own is left out.
          const own = (v: unknown) => alts.findIndex((_, k) => takes(k, v, 0)) === i
          if (i > 0 && !fc.sample(a, { numRuns: SHADOW_PROBE, seed: 0 }).some(own)) return
          arbs.push(a.filter(own))
        } else {
          arbs.push(a.map((value) => ({ case: keys![i]!, value })))
        }
      })
      return arbs.length === 0 ? null : fc.oneof(...arbs)
    },
  })
}
