/**
 * Lists: `repeated` (one field per element, SWI-Prolog's form) and `packed`
 * (one length-delimited run). Decoding either accepts both encodings, and
 * the occurrences of a list gather wherever they stand in the message.
 *
 * @module
 */
import { fcOf, real } from '../src/arb.js'
import {
  AS_UNKNOWN,
  type Depth,
  type Field,
  type FieldEmitter,
  type FieldImpl,
  type HostImpl,
  type AnyHostType,
  type HostType,
  isLazy,
  problem,
  raise,
  show,
  validateTag,
} from '../src/core.js'
import { describeDifference, listDiff, structuralDiff } from '../src/equal.js'
import { ProtoError, TemplateError, within } from '../src/errors.js'
import { makeField } from './host.js'
import { type Vector, type Vectorable, vectorField } from './vectors.js'
import { type Reader, WireType, Writer } from '../src/wire.js'

/**
 * Zero or more values of a host type, one field each:
 *
 * ```ts
 * repeated(3, atom)                 // a hole: string[]
 * repeated(3, atom, ['foo', 'bar']) // a constant: 1a 03 66 6f 6f 1a 03 62 61 72
 * ```
 *
 * An empty list writes nothing; a missing field decodes to `[]`. Packed
 * runs of a packable type decode too.
 */
export function repeated<A>(tag: number, type: HostType<A>): Field<A[], 'required'>
export function repeated<A>(tag: number, type: HostType<A>, constant: NoInfer<readonly A[]>): Field<A[], 'constant'>
export function repeated<A>(tag: number, type: HostType<A>, ...constant: [] | [readonly A[]]): Field<A[]> {
  return makeField(listField(tag, type, constant, false))
}

/**
 * Zero or more values of a numeric, boolean or enum type, as one
 * length-delimited run:
 *
 * ```ts
 * packed(8, integer, [5, 6, 7, 8]) // 42 04 0a 0c 0e 10
 * ```
 *
 * An empty list writes nothing (not an empty run). Unpacked occurrences
 * decode too.
 *
 * @throws TemplateError when the type is length-delimited or a group.
 */
export function packed<A>(tag: number, type: HostType<A>): Field<A[], 'required'>
export function packed<A>(tag: number, type: HostType<A>, constant: NoInfer<readonly A[]>): Field<A[], 'constant'>
export function packed<V extends Vector>(tag: number, type: AnyHostType & Vectorable<V>, options: PackedOptions & { readonly typed: true }): Field<V, 'required'>
export function packed<A>(tag: number, type: HostType<A>, options: PackedOptions & { readonly typed?: false }): Field<A[], 'required'>
export function packed<A>(tag: number, type: HostType<A>, ...rest: [] | [readonly A[]] | [PackedOptions]): Field<A[]> | Field<Vector> {
  const [third] = rest
  if (third !== undefined && !Array.isArray(third)) {
    const typed = (third as PackedOptions).typed
    if (typed !== undefined && typed !== true && typed !== false) throw new TemplateError(`packed(${tag}, ${type.typeName}): typed is true or false, not ${show(typed)}`)
    if (typed === true) return makeField<Vector, 'required'>(vectorField(tag, type) as FieldImpl & { presence: 'required' })
    return packed(tag, type)
  }
  if (!isLazy(type)) checkPackable(type)
  return makeField<A[], 'required' | 'constant'>(listField(tag, type, rest as [] | [readonly A[]], true) as FieldImpl & { presence: 'required' | 'constant' })
}

export interface PackedOptions {
  /**
   * The value is a typed array (`Float64Array` for `double`, …;
   * combinators/vectors.ts has the table) rather than an array: a run of
   * fixed-width elements is one copy each way.
   */
  readonly typed?: boolean
}

function checkPackable(type: AnyHostType): void {
  if (!type.impl.packable) {
    throw new TemplateError(`packed: ${type.typeName} is not a numeric, boolean or enum type, so it cannot be packed`)
  }
}

function listField<A>(tag: number, type: HostType<A>, constant: [] | [readonly A[]], pack: boolean): FieldImpl {
  const where = `${pack ? 'packed' : 'repeated'}(${tag}, ${type.typeName})`
  validateTag(tag, where)
  const isConstant = constant.length === 1
  const expected = constant[0] ?? []
  if (isConstant) {
    const p = checkList(type, expected, 0)
    if (p !== undefined) {
      throw new TemplateError(`${pack ? 'packed' : 'repeated'}(${tag}, ${type.typeName}, [...]): the constant is not a list of ${type.typeName}: ${p.detail}`)
    }
  }
  let constantBytes: Uint8Array | undefined
  let packableChecked = !pack

  function writeList(w: Writer, list: readonly A[], ctx: Depth): void {
    const impl = type.impl
    if (pack) {
      if (!packableChecked) {
        checkPackable(type)
        packableChecked = true
      }
      if (list.length === 0) return
      w.tag(tag, WireType.LEN)
      const mark = w.fork()
      for (let i = 0; i < list.length; i++) {
        try {
          impl.write(w, list[i]!, tag, ctx)
        } catch (e) {
          within(e, { index: i })
        }
      }
      w.join(mark)
    } else {
      const wireType = impl.wireType
      for (let i = 0; i < list.length; i++) {
        w.tag(tag, wireType)
        try {
          impl.write(w, list[i]!, tag, ctx)
        } catch (e) {
          within(e, { index: i })
        }
      }
    }
  }

  const sameAsConstant = (list: readonly A[]): boolean => listDiff(type.impl, expected, list) === undefined

  return {
    emit: listEmitter(type, tag, pack, isConstant ? (sameAsConstant as (l: readonly unknown[]) => boolean) : undefined),
    shape: { kind: 'list', tag, host: type, packed: pack, ...(isConstant ? { value: expected } : {}) },
    tags: [tag],
    presence: isConstant ? 'constant' : 'required',
    label: type.typeName,
    pathTag: tag,
    singular: false,
    accepts(_, wireType) {
      const impl = type.impl
      return wireType === impl.wireType || (impl.packable && wireType === WireType.LEN)
    },
    init: () => [],
    read: (r: Reader, slot: unknown, t: number, ctx: Depth): unknown => readOccurrence(type.impl, tag, slot as A[], r, t, ctx),
    finish(slot: unknown, _ctx: Depth, end: number): unknown {
      if (isConstant) {
        const d = listDiff(type.impl, expected, slot as A[])
        if (d !== undefined) throw new ProtoError('constant-mismatch', describeDifference(d), end)
      }
      return slot
    },
    write(w: Writer, v: unknown, ctx: Depth): void {
      if (isConstant) {
        if (constantBytes === undefined) {
          const cw = new Writer(32)
          writeList(cw, expected, { depth: 0, maxDepth: ctx.maxDepth })
          constantBytes = cw.finish()
        }
        w.raw(constantBytes)
        return
      }
      if (!Array.isArray(v)) raise(problem('invalid-value', `expected an array, got ${show(v)}`))
      writeList(w, v as A[], ctx)
    },
    check: (v, depth) => (isConstant ? undefined : checkList(type, v, depth)),
    diff: (a, b) => (Array.isArray(a) && Array.isArray(b) ? listDiff(type.impl, a as A[], b as A[]) : structuralDiff(a, b)),
    arbitrary(ctx) {
      const fc = fcOf(ctx)
      const a = type.impl.arbitrary(ctx)
      return a === null ? fc.constant([]) : fc.array(real(a), { maxLength: 6 })
    },
  }
}

/** Read one occurrence of a list into it: one value, or a packed run of them. */
function readOccurrence<A>(impl: HostImpl<A>, tag: number, list: A[], r: Reader, t: number, ctx: Depth): unknown {
  if ((t & 7) === WireType.LEN && impl.wireType !== WireType.LEN) {
    // A packed run: its elements are bounded by the run, not the message.
    const end = r.length()
    const outer = r.end
    r.end = end
    if (impl.keepsUnknown === true) readRunKeepingUnknown(impl, tag, list, r, end, ctx)
    else {
      while (r.pos < end) {
        try {
          list.push(impl.read(r, tag, ctx))
        } catch (e) {
          within(e, { index: list.length })
        }
      }
    }
    r.end = outer
    return list
  }
  try {
    const v = impl.read(r, tag, ctx)
    if ((v as unknown) === AS_UNKNOWN) return AS_UNKNOWN
    list.push(v)
  } catch (e) {
    within(e, { index: list.length })
  }
  return list
}

/** A packed run of a type that keeps some values as unknown fields: each such value a varint field of its own, its bytes as they were. */
function readRunKeepingUnknown<A>(impl: HostImpl<A>, tag: number, list: A[], r: Reader, end: number, ctx: Depth): void {
  while (r.pos < end) {
    const at = r.pos
    try {
      const v = impl.read(r, tag, ctx)
      if ((v as unknown) !== AS_UNKNOWN) list.push(v)
      else ctx.unknown?.push(varintField(tag, r.buf.subarray(at, r.pos)))
    } catch (e) {
      within(e, { index: list.length })
    }
  }
}

/** A varint field of its own: the tag, then a value's bytes as they were read. */
function varintField(fieldNumber: number, value: Uint8Array): Uint8Array {
  const w = new Writer(value.length + 5)
  w.tag(fieldNumber, WireType.VARINT)
  w.raw(value)
  return w.finish(true)
}

/** Fixed sizes of packable wire types: their runs' lengths are known before they are written. */
const fixedSize = (wireType: number): number => (wireType === WireType.I64 ? 8 : wireType === WireType.I32 ? 4 : 0)

/**
 * Compiled code of a list: a loop over its values, and a case for each
 * wire form it reads (one value, or a packed run of a packable type).
 * `constant` is given for a constant list, whose decode checks the whole
 * list at the end.
 */
function listEmitter(type: AnyHostType, tag: number, pack: boolean, constant: ((l: readonly unknown[]) => boolean) | undefined): FieldEmitter {
  return {
    encode(g, x) {
      const impl: HostImpl<unknown> = type.impl
      const e = g.local('e')
      const i = g.local('i')
      const each = (write: string): string => `for (let ${i} = 0; ${i} < ${x}.length; ${i}++) { const ${e} = ${x}[${i}]; ${write} }`
      const isArray = `if (!Array.isArray(${x})) ${g.bail}`
      if (!pack) return `${isArray} ${each(`${g.tag(tag, impl.wireType)} ${g.write(impl, e, tag)}`)}`
      const size = fixedSize(impl.wireType)
      const run = size > 0 ? `w.uint32(${x}.length * ${size}); ${each(g.write(impl, e, tag))}` : g.delimited(each(g.write(impl, e, tag)))
      return `${isArray} if (${x}.length > 0) { ${g.tag(tag, WireType.LEN)} ${run} }`
    },
    decode(g, s) {
      const impl: HostImpl<unknown> = type.impl
      g.declare(`const ${s} = [];`)
      const v = g.local('v')
      g.on(tag, impl.wireType, `let ${v}; ${g.read(impl, v, tag)} ${s}.push(${v}); continue;`)
      if (impl.packable && impl.wireType !== WireType.LEN) {
        // Packed and unpacked both read, whichever the field was declared.
        const e = g.local('e')
        const o = g.local('o')
        g.on(tag, WireType.LEN, `${g.readLength(e)} const ${o} = r.end; r.end = ${e}; ${g.readRun(impl, s, e)} r.end = ${o}; continue;`)
      }
      const result = constant === undefined ? s : `(${g.ref(constant)}(${s}) ? ${s} : ${g.bailExpr})`
      return { missing: 'false', value: s, result }
    },
  }
}

function checkList<A>(type: HostType<A>, v: unknown, depth: number) {
  if (!Array.isArray(v)) return problem('invalid-value', `expected an array, got ${show(v)}`)
  for (let i = 0; i < v.length; i++) {
    const p = type.impl.check(v[i], depth)
    if (p !== undefined) return problem(p.kind, `[${i}]: ${p.detail}`)
  }
  return undefined
}
