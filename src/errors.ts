/**
 * The two error types of protoplate.
 *
 * A `ProtoError` is about data: bytes that do not decode, or a value that does
 * not encode (and, of kind `invalid-argument`, an argument of an operation that
 * is not of a kind it takes). It is what `encode`/`decode` return on their
 * `Left` side, and the only thing that ever escapes a decode.
 *
 * A `TemplateError` is about the program: a template that cannot be right
 * (a tag out of range, a reserved or duplicate tag, `packed` over a
 * length-delimited type). It is thrown when the template is built, or, for
 * a `lazy`, at its first use, by the operation that reaches it (which
 * throws it, never returns it in a `Left`).
 *
 * @module
 */

/** What went wrong, in one word. */
export type ErrorKind =
  /** The input ends inside a tag, a varint, a fixed value, a payload or a group. */
  | 'truncated'
  /** A varint runs past 10 bytes (or a tag past 5). */
  | 'malformed-varint'
  /** Field number 0, or beyond 2^29−1. */
  | 'invalid-tag'
  /** Wire type 6 or 7. */
  | 'invalid-wire-type'
  /** An end-group marker with no group open, or closing another group. */
  | 'group-mismatch'
  /** A length prefix of 2^31 or more. */
  | 'invalid-length'
  /** The wire carries a value other than the template's constant. */
  | 'constant-mismatch'
  /** A required field (or oneof) is absent: on decode from the bytes, on encode from the value. */
  | 'missing-field'
  /** A string that is not valid UTF-8 (or, on encode, not well-formed UTF-16). */
  | 'invalid-utf8'
  /** A number outside the range of its host type. */
  | 'out-of-range'
  /** Nesting deeper than the limit (decode), or a value nested deeper than it (encode; a cycle). */
  | 'depth-limit'
  /** An enumeration number or name that the enumeration does not have. */
  | 'unknown-enum'
  /** A value of the wrong JavaScript type for its template. */
  | 'invalid-value'
  /** A user host type's mapping failed, in either direction. */
  | 'mapping'
  /** ProtoJSON: text that is not JSON, or a JSON value of the wrong kind for its field (a string for a message, a fraction for an integer). */
  | 'invalid-json'
  /** ProtoJSON: a key the message has no field of (unless unknown fields are ignored). */
  | 'unknown-field'
  /** The text format: text that does not read as the message (the detail gives the line and column). */
  | 'invalid-text'
  /**
   * An argument of the operation is not of a kind it takes: a template that
   * is not one (null, a host type, a field), bytes to decode that are not a
   * Uint8Array or an ArrayBuffer (null, a string, an array, a DataView, a
   * detached ArrayBuffer), a stream source that does not yield bytes, or
   * options that are not an object or hold a bad value (a `maxDepth` or
   * `maxMessageBytes` that is not a whole number ≥ 0 or Infinity, an
   * `ownBuffer` that is not a boolean). A mistake in the calling program,
   * not in the data; it has no offset.
   */
  | 'invalid-argument'

/** One step of a path from the root value: a field (its name and tag) or a list index. */
export type PathSegment =
  | { readonly field: string; readonly tag?: number }
  | { readonly index: number }

export function formatPath(path: readonly PathSegment[]): string {
  let out = ''
  for (const seg of path) {
    if ('index' in seg) out += `[${seg.index}]`
    else out += (out === '' ? '' : '.') + seg.field + (seg.tag === undefined ? '' : `(${seg.tag})`)
  }
  return out
}

/**
 * A failure to encode or decode, with where it happened.
 *
 * - `kind` says what went wrong;
 * - `path` leads from the root value to the failing field, with list indexes
 *   (`sixth(6)[1].value(1)`);
 * - `offset` is the byte offset, in the input, of the item that failed to
 *   decode (a tag, a varint, a payload); encode errors have none.
 */
export class ProtoError extends Error {
  override readonly name = 'ProtoError'
  readonly kind: ErrorKind
  /** What went wrong, without the path and offset that `message` adds. */
  readonly detail: string
  /** Mutable while the error unwinds, so that each level can add its step. */
  readonly path: PathSegment[]
  readonly offset: number | undefined

  constructor(kind: ErrorKind, detail: string, offset?: number, path: PathSegment[] = []) {
    super(detail)
    this.kind = kind
    this.detail = detail
    this.offset = offset
    this.path = path
    // The path grows while the error unwinds, so the message is computed
    // when read. Error's constructor made `message` an own data property.
    Object.defineProperty(this, 'message', { get: () => this.describe(), enumerable: false, configurable: true })
  }

  /** One readable line: `kind (at path, byte N): detail`. */
  describe(): string {
    const where = [
      this.path.length > 0 ? `at ${formatPath(this.path)}` : '',
      this.offset === undefined ? '' : `byte ${this.offset}`,
    ].filter((s) => s !== '').join(', ')
    return `${this.kind}${where === '' ? '' : ` (${where})`}: ${this.detail}`
  }
}

/** A template that cannot be right, thrown when it is built. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError'
}

/** Prefix a path step to an error unwinding through a container, and rethrow. */
export function within(e: unknown, seg: PathSegment): never {
  if (e instanceof ProtoError) e.path.unshift(seg)
  throw e
}
