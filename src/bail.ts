/**
 * The one rule that joins compiled code to the interpreter.
 *
 * Compiled code (src/compile.ts) is a fast path: it takes the values and
 * bytes it knows how to take, and for anything else it *bails*, and the
 * operation runs again, from the start, in the interpreter, which gives the
 * value or the exact error with its path and offset. It bails in these
 * cases, and no others:
 *
 * - a value it does not take: of the wrong type, out of range, or past what
 *   an inlined fast path covers (the interpreter checks it and says why);
 * - input it does not take: malformed, truncated, or a field missing (the
 *   interpreter reports where);
 * - a singular message field that occurs twice and must be merged;
 * - a value kept as an unknown field (a closed enumeration's unknown
 *   number, with `{ unknown: 'field' }`), which the interpreter places;
 * - a user mapping (`hostType`) that threw (the interpreter reports it as a
 *   `mapping` error);
 * - a `ProtoError` thrown by an interpreter piece that compiled code calls
 *   (a field kind without an emitter, a host type's general read): it means
 *   the same as the cases above, and only the interpreter knows the path;
 * - the JavaScript stack running out in deep recursion (the interpreter
 *   reports the depth limit).
 *
 * Anything else that compiled code throws is a bug, and is not caught.
 *
 * @module
 */
import { ProtoError } from './errors.js'

/** What compiled code throws to hand an operation to the interpreter. */
export const BAIL: unique symbol = Symbol('protoplate: to the interpreter')

/** Whether an exception thrown by compiled code hands the operation to the interpreter. */
export function isBail(e: unknown): boolean {
  return e === BAIL || e instanceof ProtoError || isStackOverflow(e)
}

export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message)
}

/**
 * How many operations compiled code handed to the interpreter since the
 * process started: tests assert that canonical input takes none.
 */
export const bails = { count: 0 }
