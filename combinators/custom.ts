/**
 * User host types and recursion: `hostType` maps a domain value to and
 * from the value of a template that travels embedded (what the SWI-Prolog
 * manual's `message_sequence` hook was for: library(protobufs) no longer
 * has that hook, and 9.0.4's `protobuf_message/2` fails on a template that
 * uses a type defined through it), and `lazy` lets a template refer to one
 * not defined yet.
 *
 * @module
 */
import { type AnyHostType, type AnyTemplate, type Arb, type ArbCtx, type Difference, type Encodable, type Gen, type HostEmitter, type HostImpl, type HostType, markLazy, type Problem, problem, raise, show, type TypeOf } from '../src/core.js'
import { hostDiff, structuralDiff } from '../src/equal.js'
import { ProtoError, TemplateError } from '../src/errors.js'
import { defineHostType, fromImplGetter, markExplicit } from './host.js'
import { type MessageState, messageHost } from './message-host.js'

/** How a domain value `D` maps to and from a template's value `A`. */
export interface Mapping<A, D> {
  /** From the decoded template value to the domain value; throw to reject it. */
  decode(a: A): D
  /** From the domain value to the template value (readonly forms taken, as by encode); throw to reject it. */
  encode(d: D): Encodable<A>
  /**
   * Whether a value is of this host type: what `oneof` asks, and encode
   * refuses a value it refuses (`invalid-value`). Without it, a value is
   * accepted when `encode` takes it and the template accepts the result.
   */
  is?(u: unknown): u is D
  /**
   * Values for property tests (a fast-check `Arbitrary<D>`); by default the
   * template's, mapped by `decode`.
   */
  arbitrary?: Arb<D>
}

/**
 * A user-defined host type. The domain value travels as the embedded
 * message of `template`:
 *
 * ```ts
 * const kvPair = hostType('kv_pair', protobuf([atom(30), oneof([integer(31), double(32), atom(33)])]), {
 *   decode: ([key, value]) => ({ key, value }),
 *   encode: ({ key, value }) => [key, value],
 * })
 * repeated(22, kvPair) // [{ key: 'foo', value: '1' }] → b2 01 0a f2 01 03 66 6f 6f 8a 02 01 31
 * ```
 *
 * A mapping that throws gives a `mapping` error with the path, in either direction.
 */
export function hostType<T extends AnyTemplate, D>(name: string, template: T, mapping: Mapping<TypeOf<T>, D>): HostType<D, true> {
  type A = TypeOf<T>
  const inner = messageHost(template, 'embedded', name)
  const innerMerge = inner.merge!
  const { is } = mapping

  const toTemplate = (d: D): A => {
    try {
      // Readonly or not, the engine only reads it.
      return mapping.encode(d) as A
    } catch (e) {
      throw new ProtoError('mapping', `${name}: encode failed: ${reason(e)}`)
    }
  }
  const toDomain = (a: A, at: number): D => {
    try {
      return mapping.decode(a)
    } catch (e) {
      throw new ProtoError('mapping', `${name}: decode failed: ${reason(e)}`, at)
    }
  }

  function diff(a: D, b: D): Difference | undefined {
    if (Object.is(a, b)) return undefined
    let ta: Encodable<A>, tb: Encodable<A>
    try {
      ta = mapping.encode(a)
      tb = mapping.encode(b)
    } catch {
      return structuralDiff(a, b)
    }
    return hostDiff(inner, ta as A, tb as A)
  }

  const impl: HostImpl<D> = {
    name,
    wireType: inner.wireType,
    packable: false,
    ...(is === undefined ? {} : { guard: is }),
    emit: mappedEmitter(inner as HostImpl<unknown>, mapping as Mapping<unknown, unknown>),
    shape: inner.shape!,
    check(v: unknown, depth: number): Problem | undefined {
      if (is !== undefined && !is(v)) return problem('invalid-value', `${show(v)} is not a ${name}`)
      let a: A
      try {
        a = toTemplate(v as D)
      } catch (e) {
        return problem('mapping', (e as ProtoError).detail)
      }
      return inner.check(a, depth)
    },
    write(w, v, fieldNumber, ctx) {
      // A value its `is` refuses is refused here too, as `check` refuses it: a oneof that picked this type's message by its form alone learns so.
      if (is !== undefined && !is(v)) raise(problem('invalid-value', `${show(v)} is not a ${name}`))
      inner.write(w, toTemplate(v), fieldNumber, ctx)
    },
    read(r, fieldNumber, ctx) {
      const at = r.pos
      return toDomain(inner.read(r, fieldNumber, ctx), at)
    },
    // Two domain values are equal when they map to equal template values (so the same bytes).
    equals: (a, b) => diff(a, b) === undefined,
    diff,
    arbitrary(ctx: ArbCtx) {
      if (mapping.arbitrary !== undefined) return mapping.arbitrary
      const a = inner.arbitrary(ctx)
      if (a === null) return null
      const sentinel = {}
      return a
        .map((x) => {
          try {
            return mapping.decode(x)
          } catch {
            return sentinel as D
          }
        })
        .filter((d) => d !== sentinel)
    },
    merge: {
      init: innerMerge.init,
      readInto: innerMerge.readInto,
      finish: (state, ctx, offset) => toDomain(innerMerge.finish(state, ctx, offset), (state as MessageState).start),
    },
  }
  return markExplicit(defineHostType(impl)) as HostType<D, true>
}

/**
 * Compiled code of a user host type: the user's own functions called
 * directly around the message's code (not the interpreter's wrappers,
 * whose error handling made every call slower); what they throw bails, and
 * the interpreter reports it as a `mapping` error.
 */
function mappedEmitter(inner: HostImpl<unknown>, mapping: Mapping<unknown, unknown>): HostEmitter {
  const { is } = mapping
  return {
    write(g, x, fieldNumber) {
      const y = g.local('y')
      const refused = is === undefined ? '' : `if (!${g.ref(is)}(${x})) ${g.bail}`
      return `${refused} let ${y}; try { ${y} = ${g.ref(mapping.encode)}(${x}) } catch { ${g.bail} } ${g.write(inner, y, fieldNumber)}`
    },
    read(g, out, fieldNumber) {
      const a = g.local('a')
      return `let ${a}; ${g.read(inner, a, fieldNumber)} try { ${out} = ${g.ref(mapping.decode)}(${a}) } catch { ${g.bail} }`
    },
    ...(is === undefined ? {} : { is: (g: Gen, x: string) => `${g.ref(is)}(${x})` }),
  }
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/**
 * A template or host type defined later, for recursion. The thunk is called
 * once, on first use, and its result is kept:
 *
 * ```ts
 * const tree: Template<Tree> = lazy(() => message({ label: string(1), kids: repeatedEmbedded(2, tree) }))
 * ```
 *
 * In `arbitrary`, each pass through a `lazy` spends one level of depth.
 *
 * @throws TemplateError on first use (the first encode, decode or
 * `arbitrary` that reaches it, which throw it rather than return it in a
 * `Left`) if the thunk's target is not defined yet, is not a template or
 * host type, or is itself not a valid template (its own `TemplateError`,
 * whose message this one repeats); the thunk is tried again at the next use.
 */
export function lazy<T extends AnyHostType | AnyTemplate>(thunk: () => T, name = 'lazy'): T {
  let target: { impl: unknown; typeName?: string; kind: string } | undefined
  let impl: HostImpl<unknown> | AnyTemplate['impl'] | undefined
  const force = () => {
    if (target === undefined) {
      let t: T
      try {
        t = thunk()
      } catch (e) {
        // The target may be defined but wrong (its own TemplateError, such
        // as a tag used twice), not defined yet (a ReferenceError: a const
        // read before its declaration ran), or the thunk may fail otherwise.
        if (e instanceof TemplateError) throw new TemplateError(`lazy ${name}: its target is not a valid template: ${e.message}`, { cause: e })
        if (e instanceof ReferenceError) throw new TemplateError(`lazy ${name}: its target is not defined yet (${e.message})`, { cause: e })
        throw new TemplateError(`lazy ${name}: its thunk threw: ${reason(e)}`, { cause: e })
      }
      if (t === null || (typeof t !== 'object' && typeof t !== 'function') || (t.kind !== 'template' && t.kind !== 'hostType')) {
        throw new TemplateError(`lazy ${name}: the thunk must return a template or a host type`)
      }
      target = t as unknown as typeof target
      const real = (t as { impl: HostImpl<unknown> }).impl
      // Recursion in property tests stops where the depth runs out.
      // The target's own implementation, but for arbitrary (a message's is a class instance, so not a copy).
      impl = Object.create(real, {
        arbitrary: { value: (ctx: ArbCtx) => (ctx.depth <= 0 ? null : real.arbitrary({ ...ctx, depth: ctx.depth - 1 })) },
      }) as HostImpl<unknown>
    }
    return impl!
  }
  const host = fromImplGetter<unknown>(name, force as () => HostImpl<unknown>, {
    kind: { get: () => (force(), target!.kind) },
    typeName: { get: () => target?.typeName ?? name },
  })
  return markLazy(host, () => (force(), target!)) as unknown as T
}
