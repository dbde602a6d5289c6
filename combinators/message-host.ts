/**
 * A message type as a host type, with its interpreter and its emitter:
 * what `embedded(template)` and `group(template)` are, and what a user's
 * `hostType` travels as. Not exported from the package.
 *
 * @module
 */
import {
  type AnyTemplate,
  type Arb,
  type Depth,
  type Gen,
  type HostEmitter,
  type HostImpl,
  type Mergeable,
  type Problem,
  problem,
  type Template,
  targetOf,
} from '../src/core.js'
import { ProtoError } from '../src/errors.js'
import { type Reader, tagValue, WireType, type Writer } from '../src/wire.js'

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
    shape: () => ({ kind: 'message', name, template: targetOf(template) as Template<unknown>, group }),
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
    arbitrary: (ctx) => template.impl.arbitrary(ctx) as Arb<A> | null,
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
