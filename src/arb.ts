/**
 * fast-check for the templates' `arbitrary` methods. None of them imports
 * fast-check: protoplate/testing (src/testing.ts) loads it and hands it to
 * them in the `ArbCtx`, so that the main entry loads only what encode and
 * decode need. This module imports fast-check's types only.
 *
 * @module
 */
import type * as FC from 'fast-check'
import type { Arb, ArbCtx, FastCheck } from './core.js'

/** The fast-check module, with its types. */
export type FastCheckModule = typeof FC

/** The fast-check module that `arbitrary` was called with. */
export function fcOf(ctx: ArbCtx): FastCheckModule {
  return ctx.fc as unknown as FastCheckModule
}

/** The fast-check module as the `ArbCtx` carries it. */
export function asFastCheck(fc: FastCheckModule): FastCheck {
  return fc as unknown as FastCheck
}

/** An arbitrary of the engine as fast-check's own type (it is one). */
export function real<A>(a: Arb<A>): FC.Arbitrary<A> {
  return a as FC.Arbitrary<A>
}
