/**
 * The operations: `encode`, `decode`, `decodePrefix` (SWI-Prolog's
 * `protobuf_message/3`), and length-delimited streams of messages.
 *
 * Inside, the engine throws one error type; here it is caught, once, and
 * returned as the `Left` of an fp-ts `Either`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Depth, Encodable, IsEmpty, Template } from './core.js'
import { ProtoError } from './errors.js'
import { bails, isBail, isStackOverflow } from './bail.js'
import { type Compiled, compiledOf } from './compile.js'
import { emptyValue } from './message.js'
import { Reader, Writer } from './wire.js'

export interface Options {
  /** How deeply messages (embedded or groups) may nest. Default 100. */
  readonly maxDepth?: number
}

export const DEFAULT_MAX_DEPTH = 100

export interface EncodeOptions extends Options {
  /**
   * Give a result that owns its whole buffer: `byteOffset` 0 and
   * `buffer.byteLength === length`, so that its `.buffer` may be
   * transferred (`postMessage(x, [x.buffer])`) or kept without holding
   * anything else. By default a result of up to 4 KiB is a view into a
   * buffer shared with other results (see `Writer.finish`). Default false.
   */
  readonly ownBuffer?: boolean
}

/**
 * The arguments after the template: a value, which a template of constants
 * does not need. Readonly arrays, tuples and records are taken at any depth.
 */
export type EncodeArgs<A> = IsEmpty<A> extends true
  ? [value?: NoInfer<Encodable<A>>, options?: EncodeOptions]
  : [value: NoInfer<Encodable<A>>, options?: EncodeOptions]

/**
 * Turn anything thrown inside the engine into a `ProtoError`; rethrow what
 * is not one (a `TemplateError` from a `lazy` forced at first use: the
 * program's mistake, not the data's, so never a `Left`).
 */
export function toProtoError(e: unknown): ProtoError {
  if (e instanceof ProtoError) return e
  if (isStackOverflow(e)) {
    return new ProtoError('depth-limit', 'nesting too deep for the stack; lower maxDepth')
  }
  throw e
}

// What TypeScript cannot hold a JavaScript caller to is checked below: that
// the template is one, and that the options are what they say. Anything
// else is an `invalid-argument` `ProtoError`, never a `TypeError`. Options
// are checked where their depth limit is read, free when there are none.
// encode and decode check the template only where it failed (a template
// that is not one throws on its way to compiled code) or where the
// interpreter is to run: a check up front costs a small message's decode
// several per cent (docs/performance.md).

/** That the template is one. */
export function checkTemplate(template: unknown): void {
  // A lazy template's `kind` forces it: a TemplateError if its target is not defined yet.
  if (template === null || template === undefined || (template as Template<unknown>).kind !== 'template') throw notTemplate(template)
}

function notTemplate(x: unknown): ProtoError {
  const kind = (x as { kind?: unknown } | null | undefined)?.kind
  const name = String((x as { typeName?: unknown } | null | undefined)?.typeName)
  const got =
    kind === 'hostType' ? `the host type ${name}, which makes fields: protobuf([${name}(1), …])`
    : kind === 'field' ? 'a field; a template holds fields: protobuf([field, …])'
    : Array.isArray(x) ? 'an array; a template holds fields: protobuf([…])'
    : x === null || x === undefined ? String(x)
    : `a${typeof x === 'object' ? 'n object' : ` ${typeof x}`}`
  return new ProtoError('invalid-argument', `expected a template (protobuf([…]) or message({…})), got ${got}`)
}

/** The depth limit of the options, once they are checked. */
export function maxDepthOf(options: Options | undefined): number {
  return options === undefined ? DEFAULT_MAX_DEPTH : checkOptions(options)
}

/** Both checks at once, for the operations off the hot path (the streams). */
export function checkArgs(template: unknown, options: Options | undefined): void {
  checkTemplate(template)
  maxDepthOf(options)
}

/** A count an option gives: a whole number ≥ 0, or Infinity for no bound. */
function isCount(n: unknown): boolean {
  return n === Infinity || (Number.isInteger(n) && (n as number) >= 0)
}

function shown(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' && v !== null ? 'an object' : String(v)
}

/**
 * Check options (null is none, as JavaScript callers write it); returns
 * their depth limit. The options of every operation are checked alike
 * (`maxMessageBytes` and `ownBuffer` too), as one object may serve several.
 */
function checkOptions(o: unknown): number {
  if (o === null) return DEFAULT_MAX_DEPTH
  if (typeof o !== 'object') throw new ProtoError('invalid-argument', `expected options as an object, got ${typeof o} ${shown(o)}`)
  const { maxDepth, ownBuffer, maxMessageBytes } = o as EncodeOptions & { maxMessageBytes?: unknown }
  if (maxDepth !== undefined && !isCount(maxDepth)) {
    throw new ProtoError('invalid-argument', `maxDepth must be a whole number ≥ 0 (or Infinity), got ${shown(maxDepth)}`)
  }
  if (ownBuffer !== undefined && typeof ownBuffer !== 'boolean') {
    throw new ProtoError('invalid-argument', `ownBuffer must be a boolean, got ${shown(ownBuffer)}`)
  }
  if (maxMessageBytes !== undefined && !isCount(maxMessageBytes)) {
    throw new ProtoError('invalid-argument', `maxMessageBytes must be a whole number ≥ 0 (or Infinity), got ${shown(maxMessageBytes)}`)
  }
  return maxDepth ?? DEFAULT_MAX_DEPTH
}

function depthOf(maxDepth: number): Depth {
  // Every member from the start: a context that gained one later would have another shape to V8, and every access to it would slow.
  return { depth: 0, maxDepth, unknown: undefined }
}

/** A context kept between operations, made ready for another (and holding nothing of the last one's input). */
function resetDepth(kept: Depth & { maxDepth: number }, maxDepth: number): Depth {
  kept.depth = 0
  kept.maxDepth = maxDepth
  kept.unknown = undefined
  return kept
}

/**
 * Encode, throwing a `ProtoError` on failure. Nothing is written anywhere on failure.
 * The result may share its `.buffer` with other results: see `encode`.
 */
export function encodeOrThrow<A>(template: Template<A>, ...[value, options]: EncodeArgs<A>): Uint8Array {
  const maxDepth = maxDepthOf(options) // before the scratch buffer is taken
  let v: unknown
  let unit: Compiled | undefined
  try {
    v = value === undefined && !template.impl.hasHoles ? emptyValue(template) : value
    unit = compiledOf(template.impl)
  } catch (e) {
    checkTemplate(template) // a template that is not one fails here, compiled
    throw e
  }
  if (unit === undefined) checkTemplate(template) // and here, interpreted
  // One buffer, and one context, for every encode; the result is a copy of
  // exactly its bytes. An encode inside a user's mapping, while they are
  // taken, gets its own.
  const own = scratch
  scratch = undefined
  const w = own ?? new Writer()
  const ctx = own === undefined ? depthOf(maxDepth) : resetDepth(scratchCtx, maxDepth)
  try {
    if (unit !== undefined) {
      w.reset()
      try {
        unit.encode(w, v, ctx)
        return w.finish(options?.ownBuffer === true)
      } catch (e) {
        if (!isBail(e)) throw e
        // The interpreter gives the error, with its path, from the start.
        bails.count++
        ctx.depth = 0
      }
    }
    w.reset()
    try {
      template.impl.write(w, v, ctx)
    } catch (e) {
      throw toProtoError(e)
    }
    return w.finish(options?.ownBuffer === true)
  } finally {
    if (own !== undefined) scratch = own.buf.length > MAX_SCRATCH ? new Writer(1024) : own
  }
}

let scratch: Writer | undefined = new Writer(1024)
/** The context that goes with the scratch buffer. */
const scratchCtx = depthOf(DEFAULT_MAX_DEPTH)
let scratchReader: Reader | undefined = new Reader(new Uint8Array(0))
const scratchReaderCtx = depthOf(DEFAULT_MAX_DEPTH)
const NOTHING = new Uint8Array(0)
/** A scratch buffer that grew past this is dropped after use, not kept. */
const MAX_SCRATCH = 1 << 22

/**
 * The wire bytes of a value. Fields are written in template order, so the
 * output is deterministic (and SWI-Prolog's, for the same template).
 * A template with no holes needs no value.
 *
 * A result of up to 4 KiB is a view into a buffer shared with other
 * results: read and write it only within the view (mind `byteOffset` when
 * reaching for `.buffer`), and never transfer its `.buffer` — that would
 * empty the other results. With `{ ownBuffer: true }` the result owns its
 * whole buffer and may be transferred.
 */
export function encode<A>(template: Template<A>, ...args: EncodeArgs<A>): E.Either<ProtoError, Uint8Array> {
  try {
    return E.right(encodeOrThrow(template, ...args))
  } catch (e) {
    return E.left(toProtoError(e))
  }
}

/**
 * Decode, throwing a `ProtoError` on failure. `bytes` is a Uint8Array (a
 * Node Buffer too, at any byteOffset) or an ArrayBuffer, read whole;
 * anything else is an `invalid-argument` error.
 */
export function decodeOrThrow<A>(template: Template<A>, bytes: Uint8Array | ArrayBuffer, options?: Options): A {
  const maxDepth = maxDepthOf(options) // before the scratch reader is taken
  let unit: Compiled | undefined
  try {
    unit = compiledOf(template.impl)
  } catch (e) {
    checkTemplate(template) // a template that is not one fails here, compiled
    throw e
  }
  if (unit !== undefined) {
    // One reader, and one context, for every decode, as for encode: a
    // decode allocates its values only. One inside a user's mapping, while
    // they are taken, gets its own.
    const own = scratchReader
    scratchReader = undefined
    const ctx = own === undefined ? depthOf(maxDepth) : resetDepth(scratchReaderCtx, maxDepth)
    try {
      const r = own ?? new Reader(bytes)
      own?.reset(bytes)
      return unit.decode(r, r.end, ctx, 0) as A
    } catch (e) {
      if (!isBail(e)) throw e
      // The interpreter gives the error with its path, or reads what the compiled code left to it.
      bails.count++
    } finally {
      if (own !== undefined) {
        own.reset(NOTHING) // not to keep the caller's bytes alive
        scratchReader = own
      }
    }
  }
  if (unit === undefined) checkTemplate(template) // and here, interpreted
  try {
    const r = new Reader(bytes)
    const ctx = depthOf(maxDepth)
    const slots = template.impl.init()
    template.impl.readInto(r, slots, ctx, undefined, false)
    return template.impl.finish(slots, ctx, r.pos) as A
  } catch (e) {
    throw toProtoError(e)
  }
}

/**
 * The value of a whole message. Fields may come in any order; unknown
 * fields are skipped (or captured by `unknownFields`). `bytes` is a
 * Uint8Array (a Node Buffer too, at any byteOffset) or an ArrayBuffer, read
 * whole; anything else is an `invalid-argument` error.
 */
export function decode<A>(template: Template<A>, bytes: Uint8Array | ArrayBuffer, options?: Options): E.Either<ProtoError, A> {
  try {
    return E.right(decodeOrThrow(template, bytes, options))
  } catch (e) {
    return E.left(toProtoError(e))
  }
}

/** A message read from the front of a stream of fields, and the bytes after it. */
export interface Prefix<A> {
  readonly value: A
  /** A view of the input after the message (a subarray of it when it is a Uint8Array), not a copy. */
  readonly rest: Uint8Array
}

/**
 * Decode one message from the front of `bytes` and return it with the rest:
 * SWI-Prolog's `protobuf_message/3`. The message ends before the first field
 * that cannot continue it: a field the template does not have (or not with
 * that wire type) unless the template captures unknown fields, or a second
 * occurrence of a singular field. So a concatenation of encodings reads back
 * one message at a time.
 */
export function decodePrefix<A>(template: Template<A>, bytes: Uint8Array | ArrayBuffer, options?: Options): E.Either<ProtoError, Prefix<A>> {
  try {
    checkTemplate(template)
    const ctx = depthOf(maxDepthOf(options))
    const r = new Reader(bytes)
    const slots = template.impl.init()
    template.impl.readInto(r, slots, ctx, undefined, true)
    const value = template.impl.finish(slots, ctx, r.pos) as A
    return E.right({ value, rest: (bytes instanceof Uint8Array ? bytes : r.buf).subarray(r.pos) })
  } catch (e) {
    return E.left(toProtoError(e))
  }
}
