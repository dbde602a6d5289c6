/**
 * Lists: `repeated` (one field per element, SWI-Prolog's form) and `packed`
 * (one length-delimited run). Decoding either accepts both encodings, and
 * the occurrences of a list gather wherever they stand in the message.
 *
 * @module
 */
import { fcOf, real } from '../src/arb.js'
import {
  type DecodeCtx,
  type EncodeCtx,
  type Field,
  type FieldImpl,
  type AnyHostType,
  type HostType,
  isLazy,
  problem,
  raise,
  show,
  validateTag,
} from '../src/core.js'
import { ProtoError, TemplateError, within } from '../src/errors.js'
import { makeField } from '../src/host.js'
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
export function packed<A>(tag: number, type: HostType<A>, ...constant: [] | [readonly A[]]): Field<A[]> {
  if (!isLazy(type)) checkPackable(type)
  return makeField(listField(tag, type, constant, true))
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
    if (p !== undefined) throw new ProtoError(p.kind, `constant of ${where}: ${p.detail}`)
  }
  let constantBytes: Uint8Array | undefined
  let packableChecked = !pack

  function writeList(w: Writer, list: readonly A[], ctx: EncodeCtx): void {
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

  return {
    shape: { kind: 'list', host: type, tag, packed: pack, constant: isConstant },
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
    read(r: Reader, slot: unknown, t: number, ctx: DecodeCtx): unknown {
      const list = slot as A[]
      const impl = type.impl
      if ((t & 7) === WireType.LEN && impl.wireType !== WireType.LEN) {
        // A packed run: its elements are bounded by the run, not the message.
        const end = r.length()
        const outer = r.end
        r.end = end
        while (r.pos < end) {
          try {
            list.push(impl.read(r, tag, ctx))
          } catch (e) {
            within(e, { index: list.length })
          }
        }
        r.end = outer
      } else {
        try {
          list.push(impl.read(r, tag, ctx))
        } catch (e) {
          within(e, { index: list.length })
        }
      }
      return list
    },
    finish(slot: unknown, _ctx: DecodeCtx, end: number): unknown {
      if (isConstant) {
        const list = slot as A[]
        const equals = type.impl.equals
        if (list.length !== expected.length || list.some((v, i) => !equals(v, expected[i]!))) {
          throw new ProtoError('constant-mismatch', `expected ${show(expected)}, found ${show(list)}`, end)
        }
      }
      return slot
    },
    write(w: Writer, v: unknown, ctx: EncodeCtx): void {
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
    arbitrary(ctx) {
      const fc = fcOf(ctx)
      const a = type.impl.arbitrary(ctx)
      return a === null ? fc.constant([]) : fc.array(real(a), { maxLength: 6 })
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
