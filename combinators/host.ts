/**
 * Host types are callable, and calling one makes the simplest field kind:
 * one host type under one tag, a required hole (`unsigned(1)`) or a
 * constant (`unsigned(1, 100)`), with its interpreter and its emitter.
 * The combinators' plumbing (`defineHostType`, `makeField`); not exported
 * from the package.
 *
 * @module
 */
import {
  type AnyHostType,
  AS_UNKNOWN,
  codecOf,
  type Depth,
  type Field,
  type FieldEmitter,
  type FieldImpl,
  type HostImpl,
  type HostType,
  MISSING,
  problem,
  raise,
  show,
  validateTag,
} from '../src/core.js'
import { describeDifference, hostDiff } from '../src/equal.js'
import { ProtoError, TemplateError } from '../src/errors.js'
import { type Reader, Writer } from '../src/wire.js'

/** Make the public, callable host type of an implementation. */
export function defineHostType<A>(impl: HostImpl<A>): HostType<A> {
  return fromImplGetter<A>(impl.name, () => impl)
}

/**
 * A host type whose implementation is looked up on use (`lazy` uses this
 * with a getter that forces its thunk).
 */
export function fromImplGetter<A>(name: string, get: () => HostImpl<A>, overrides: PropertyDescriptorMap = {}): HostType<A> {
  function host(tag: number, ...constant: [] | [A]): Field<A> {
    return makeField(hostField(host as HostType<A>, tag, constant))
  }
  Object.defineProperties(host, {
    kind: { value: 'hostType' },
    typeName: { value: name },
    impl: { get },
    codec: { get: memo(() => codecOf<A>(name, (v) => get().check(v, 0))) },
    ...overrides,
  })
  return host as unknown as HostType<A>
}

function memo<T>(f: () => T): () => T {
  let cached: { v: T } | undefined
  return () => (cached ??= { v: f() }).v
}

/**
 * The holes that calling a host type made, with the host type: what a
 * message of implicit presence turns into `defaulted` or `optional`
 * (combinators/messages.ts). Fields made from them (`optional(f)`,
 * `defaulted(f)`) are other objects, and not here.
 */
export const holes = new WeakMap<FieldImpl, AnyHostType>()

/** Host types whose fields have presence of their own (message types), and fields that do (oneofs). */
const explicit = new WeakSet<object>()

/** Mark a host type or a field implementation as having presence of its own. */
export function markExplicit<T extends object>(x: T): T {
  explicit.add(x)
  return x
}

export function hasExplicitPresence(x: object): boolean {
  return explicit.has(x)
}

export function makeField<A, P extends Field<A>['presence']>(impl: FieldImpl & { presence: P }): Field<A, P> {
  return { kind: 'field', presence: impl.presence, impl }
}

/**
 * A field of one host type under one tag: a required hole, or a constant
 * when a value is given. Occurrences of message types merge; a scalar that
 * occurs more than once takes the last.
 */
export function hostField<A>(host: HostType<A>, tag: number, constant: [] | [A]): FieldImpl {
  validateTag(tag, `${host.typeName}(${tag})`)
  const isConstant = constant.length === 1
  const value = constant[0] as A
  if (isConstant) {
    const p = host.impl.check(value, 0)
    if (p !== undefined) {
      throw new TemplateError(`${host.typeName}(${tag}, ${show(value)}): the constant is not a value of ${host.typeName}: ${p.detail}`)
    }
  }
  // The constant's bytes, tag included, are made once on first use.
  let constantBytes: Uint8Array | undefined
  const impl: FieldImpl = {
    emit: isConstant ? constantEmitter(host, tag, value) : holeEmitter(host, tag),
    shape: { kind: 'single', tag, host, presence: isConstant ? 'constant' : 'required', ...(isConstant ? { value } : {}) },
    tags: [tag],
    presence: isConstant ? 'constant' : 'required',
    label: host.typeName,
    pathTag: tag,
    singular: true,
    accepts: (_, wireType) => wireType === host.impl.wireType,
    init: () => MISSING,
    read(r: Reader, slot: unknown, _tag: number, ctx: Depth): unknown {
      const impl = host.impl
      if (impl.merge !== undefined) {
        const state = slot === MISSING ? impl.merge.init() : slot
        impl.merge.readInto(r, tag, ctx, state)
        return state
      }
      const at = r.pos
      const v = impl.read(r, tag, ctx)
      if ((v as unknown) === AS_UNKNOWN) return AS_UNKNOWN
      if (isConstant && !impl.equals(v, value)) {
        throw new ProtoError('constant-mismatch', `expected ${show(value)}, found ${show(v)}`, at)
      }
      return v
    },
    finish(slot: unknown, ctx: Depth, end: number): unknown {
      if (slot === MISSING) {
        throw new ProtoError('missing-field', `required field ${host.typeName}(${tag}) is absent`, end)
      }
      const merge = host.impl.merge
      if (merge === undefined) return slot
      const v = merge.finish(slot, ctx, end)
      // A message constant: its occurrences, merged, must be the constant.
      if (isConstant) {
        const d = hostDiff(host.impl, value, v as A)
        if (d !== undefined) throw new ProtoError('constant-mismatch', describeDifference(d), end)
      }
      return v
    },
    write(w: Writer, v: unknown, ctx: Depth): void {
      if (isConstant) {
        if (constantBytes === undefined) {
          const cw = new Writer(16)
          cw.tag(tag, host.impl.wireType)
          host.impl.write(cw, value, tag, { depth: 0, maxDepth: ctx.maxDepth })
          constantBytes = cw.finish()
        }
        w.raw(constantBytes)
        return
      }
      if (v === undefined) raise(problem('missing-field', `no value for required field ${host.typeName}(${tag})`))
      const impl = host.impl
      w.tag(tag, impl.wireType)
      impl.write(w, v as A, tag, ctx)
    },
    check: (v, depth) =>
      v === undefined && !isConstant
        ? problem('missing-field', `no value for required field ${host.typeName}(${tag})`)
        : isConstant
          ? undefined
          : host.impl.check(v, depth),
    diff: (a, b) => hostDiff(host.impl, a as A, b as A),
    arbitrary: (ctx) => host.impl.arbitrary(ctx),
    host,
  }
  if (!isConstant) holes.set(impl, host)
  return impl
}

/** Compiled code of a hole of one host type: the last occurrence wins, and a message type's second occurrence (to merge) bails. */
function holeEmitter(host: AnyHostType, tag: number): FieldEmitter {
  return {
    encode: (g, x) => `if (${x} === undefined) ${g.bail} ${g.tag(tag, host.impl.wireType)} ${g.write(host.impl, x, tag)}`,
    decode(g, s) {
      const impl = host.impl
      g.declare(`let ${s};`)
      const merge = impl.merge === undefined ? '' : `if (${s} !== undefined) ${g.bail}`
      g.on(tag, impl.wireType, `${merge} ${g.read(impl, s, tag)} continue;`)
      return { missing: `${s} === undefined`, value: s, result: `(${s} === undefined ? ${g.bailExpr} : ${s})` }
    },
  }
}

/** Compiled decode of a constant of one host type: each occurrence must be the constant; its encode is made once. */
function constantEmitter<A>(host: HostType<A>, tag: number, value: A): FieldEmitter {
  return {
    decode(g, s) {
      const impl = host.impl
      const c = g.local('c')
      g.declare(`let ${s};`)
      const merge = impl.merge === undefined ? '' : `if (${s} !== undefined) ${g.bail}`
      g.on(tag, impl.wireType, `${merge} let ${c}; ${g.read(impl as HostImpl<unknown>, c, tag)} if (!${g.ref(impl.equals)}(${c}, ${g.ref(value)})) ${g.bail} ${s} = ${c}; continue;`)
      return { missing: `${s} === undefined`, value: s, result: `(${s} === undefined ? ${g.bailExpr} : ${s})` }
    },
  }
}
