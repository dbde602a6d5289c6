/**
 * protoplate/testing — the bridges to io-ts and fast-check: a template as an
 * io-ts `Type` whose input is bytes, and `arbitrary(template)` for property
 * tests.
 *
 * ```ts
 * import { arbitrary, ioTsType } from 'protoplate/testing'
 * ```
 *
 * They are a subpath of their own so that importing `protoplate` does not
 * load fast-check (nor need its types): only this module imports it, and
 * hands it to the templates' `arbitrary` methods (see src/arb.ts).
 *
 * @module
 */
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { asFastCheck, real } from './arb.js'
import type { HostType, Template } from './core.js'
import { TemplateError } from './errors.js'
import { decode, encodeOrThrow, type EncodeArgs, type EncodeOptions } from './ops.js'

/**
 * A template as an io-ts `Type<A, Uint8Array, unknown>`: `decode` takes
 * bytes, a Uint8Array or an ArrayBuffer (failing with the `ProtoError`'s
 * message and path, `invalid-argument` for anything else), `encode` gives
 * bytes, `is` is the template's deep guard. The options go to both
 * directions (`ownBuffer` to encode only).
 *
 * ```ts
 * const People = ioTsType(person)
 * People.decode(bytes) // Either<t.Errors, Person>
 * ```
 */
export function ioTsType<A>(template: Template<A>, name = 'protoplate', options?: EncodeOptions): t.Type<A, Uint8Array, unknown> {
  return new t.Type<A, Uint8Array, unknown>(
    name,
    (u): u is A => template.impl.check(u, 0) === undefined,
    (u, c) => {
      // Anything but a Uint8Array or an ArrayBuffer is decode's invalid-argument error.
      const r = decode(template, u as Uint8Array, options)
      return E.isRight(r) ? t.success(r.right) : t.failure(u, c, r.left.message)
    },
    (a) => encodeOrThrow(template, ...([a, options] as EncodeArgs<A>)),
  )
}

export interface ArbitraryOptions {
  /** How many times a value may pass through a `lazy` (recursion). Default 3. */
  readonly depth?: number
}

/**
 * Values of a template (or host type) for property tests. Recursion through
 * `lazy` is bounded by `depth`: where it runs out, lists are empty,
 * optional fields absent and `oneof` takes a non-recursive alternative.
 *
 * ```ts
 * fc.assert(fc.property(arbitrary(person), (p) => deepEqual(decodeOrThrow(person, encodeOrThrow(person, p)), p)))
 * ```
 *
 * @throws TemplateError for a template with no finite value (it requires itself).
 */
export function arbitrary<A>(template: Template<A> | HostType<A>, options: ArbitraryOptions = {}): fc.Arbitrary<A> {
  const a = template.impl.arbitrary({ fc: asFastCheck(fc), depth: options.depth ?? 3 })
  if (a === null) throw new TemplateError('arbitrary: the template has no finite value (it requires itself)')
  return real(a) as fc.Arbitrary<A>
}
