/**
 * Length-delimited streams of messages: a varint length before each
 * message, as Google's `writeDelimitedTo`/`parseDelimitedFrom` and gRPC-style
 * framings use. From and to bytes, and from and to Node streams (any
 * `AsyncIterable<Uint8Array>`, which a `Readable` is).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Encodable, Template } from './core.js'
import { ProtoError } from './errors.js'
import { checkArgs, decodeOrThrow, encodeOrThrow, type EncodeArgs, type EncodeOptions, type Options, toProtoError } from './ops.js'
import { MAX_LENGTH, plain, Reader, Writer } from './wire.js'

export interface StreamOptions extends Options {
  /** The largest message a stream may announce, in bytes. Default 64 MiB. */
  readonly maxMessageBytes?: number
}

const DEFAULT_MAX_MESSAGE = 64 * 1024 * 1024

/** Re-anchor an error's offset from the start of one message to the start of the stream. */
function shifted(e: unknown, base: number, index: number): ProtoError {
  const p = toProtoError(e)
  const out = new ProtoError(p.kind, p.detail, p.offset === undefined ? undefined : p.offset + base, [{ index }, ...p.path])
  return out
}

/**
 * Every value, each behind its length. As with `encode`, a small result
 * may share its `.buffer` with other results unless `ownBuffer` is set.
 */
export function encodeDelimited<A>(template: Template<A>, values: Iterable<NoInfer<Encodable<A>>>, options?: EncodeOptions): E.Either<ProtoError, Uint8Array> {
  const w = new Writer()
  let i = 0
  try {
    checkArgs(template, options)
  } catch (e) {
    return E.left(toProtoError(e))
  }
  // Each message is copied into w: only the whole needs its own buffer.
  const each = options?.ownBuffer === true ? { ...options, ownBuffer: false } : options
  try {
    for (const v of values) {
      w.bytes(encodeOrThrow(template, ...([v, each] as EncodeArgs<A>)))
      i++
    }
  } catch (e) {
    return E.left(shifted(e, 0, i))
  }
  return E.right(w.finish(options?.ownBuffer === true))
}

/** Every message of a length-delimited stream held in memory (a Uint8Array, or an ArrayBuffer read whole). */
export function decodeDelimited<A>(template: Template<A>, bytes: Uint8Array | ArrayBuffer, options?: Options): E.Either<ProtoError, A[]> {
  let r: Reader
  try {
    checkArgs(template, options)
    r = new Reader(bytes)
  } catch (e) {
    return E.left(toProtoError(e))
  }
  const out: A[] = []
  while (r.pos < r.end) {
    let end: number
    try {
      end = r.length()
    } catch (e) {
      // The reader spans the whole stream: its offsets need no shift.
      return E.left(shifted(e, 0, out.length))
    }
    try {
      out.push(decodeOrThrow(template, r.buf.subarray(r.pos, end), options))
    } catch (e) {
      return E.left(shifted(e, r.pos, out.length))
    }
    r.pos = end
  }
  return E.right(out)
}

/**
 * Read a length-delimited stream: yields each message as soon as its bytes
 * have arrived, and throws a `ProtoError` on bad input (with the offset in
 * the whole stream). A length over `maxMessageBytes` is refused before any
 * of it is buffered. The source yields Uint8Arrays (a Node `Readable`
 * without an encoding yields Buffers) or ArrayBuffers; a source that is not
 * iterable, or a chunk of anything else (a string, from a stream with an
 * encoding set), is an `invalid-argument` error.
 *
 * ```ts
 * for await (const person of readDelimited(personTemplate, fs.createReadStream('people.bin'))) …
 * ```
 */
export async function* readDelimited<A>(
  template: Template<A>,
  source: AsyncIterable<Uint8Array | ArrayBuffer> | Iterable<Uint8Array | ArrayBuffer>,
  options: StreamOptions = {},
): AsyncGenerator<A, void, undefined> {
  checkArgs(template, options)
  const limit = Math.min(options?.maxMessageBytes ?? DEFAULT_MAX_MESSAGE, MAX_LENGTH) // options may be null, from JavaScript
  const s = source as Partial<AsyncIterable<unknown> & Iterable<unknown>> | null | undefined
  if (typeof s?.[Symbol.asyncIterator] !== 'function' && typeof s?.[Symbol.iterator] !== 'function') {
    throw new ProtoError('invalid-argument', `expected a source of bytes (an AsyncIterable, such as a Node Readable, or an Iterable), got ${source === null ? 'null' : typeof source}`)
  }
  let buf: Uint8Array = new Uint8Array(0)
  let base = 0 // stream offset of buf[0]
  let index = 0
  for await (const chunk of source) {
    let bytes: Uint8Array
    try {
      bytes = plain(chunk)
    } catch (e) {
      throw shifted(e, base + buf.length, index)
    }
    buf = concat(buf, bytes)
    for (;;) {
      const r = new Reader(buf)
      let end: number
      try {
        r.varint64()
      } catch (e) {
        if (e instanceof ProtoError && e.kind === 'truncated') break // the length is still arriving
        throw shifted(e, base, index)
      }
      if (r.hi !== 0 || r.lo > limit) {
        throw new ProtoError('invalid-length', `message of ${r.hi !== 0 ? 'over 2^32' : r.lo} bytes announced, over the limit of ${limit}`, base, [{ index }])
      }
      end = r.pos + r.lo
      if (end > buf.length) break
      try {
        yield decodeOrThrow(template, buf.subarray(r.pos, end), options)
      } catch (e) {
        throw shifted(e, base + r.pos, index)
      }
      index++
      buf = buf.subarray(end)
      base += end
    }
  }
  if (buf.length > 0) {
    throw new ProtoError('truncated', `stream ends inside message ${index}`, base, [{ index }])
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

/**
 * Write values as a length-delimited stream: yields one chunk per message,
 * for `Readable.from(writeDelimited(...))` or `pipeline`. Throws a
 * `ProtoError` for a value that does not encode; nothing of it is yielded.
 * A small chunk may share its `.buffer` with other results unless
 * `ownBuffer` is set.
 */
export async function* writeDelimited<A>(
  template: Template<A>,
  values: AsyncIterable<NoInfer<Encodable<A>>> | Iterable<NoInfer<Encodable<A>>>,
  options?: EncodeOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  checkArgs(template, options)
  let index = 0
  // Each message is copied into its chunk: only the chunk needs its own buffer.
  const each = options?.ownBuffer === true ? { ...options, ownBuffer: false } : options
  for await (const v of values) {
    let bytes: Uint8Array
    try {
      bytes = encodeOrThrow(template, ...([v, each] as EncodeArgs<A>))
    } catch (e) {
      throw shifted(e, 0, index)
    }
    const w = new Writer(bytes.length + 5)
    w.bytes(bytes)
    yield w.finish(options?.ownBuffer === true)
    index++
  }
}
