/**
 * ProtoJSON's forms of the scalar types, both ways: 64-bit integers as
 * decimal strings (numbers and strings read), the other integers as
 * numbers, floating point as numbers with "NaN", "Infinity" and
 * "-Infinity" as strings, bytes as base64 (URL-safe read too), booleans and
 * strings as themselves. Reading checks each value's kind and range and
 * throws a `ProtoError` naming what was expected; the caller adds the path.
 *
 * @module
 */
import { isWellFormed, ProtoError } from '../src/index.js'
import type { ScalarName, TypePlan } from '../schema/index.js'

type Scalar = TypePlan & { readonly kind: 'scalar' }

const WIDE: ReadonlySet<ScalarName> = new Set(['int64', 'uint64', 'fixed64', 'sfixed64', 'sint64'])
const UNSIGNED: ReadonlySet<ScalarName> = new Set(['uint32', 'fixed32', 'uint64', 'fixed64'])
const bad = (detail: string): ProtoError => new ProtoError('invalid-json', detail)
const range = (detail: string): ProtoError => new ProtoError('out-of-range', detail)

/** The JSON of a scalar field's value. */
export function scalarToJson(t: Scalar, v: unknown): unknown {
  switch (t.scalar) {
    case 'double':
    case 'float': {
      const x = v as number
      if (x !== x) return 'NaN'
      if (x === Infinity) return 'Infinity'
      if (x === -Infinity) return '-Infinity'
      return t.scalar === 'float' ? shortestFloat(x) : x
    }
    case 'bytes':
      return base64(v as Uint8Array)
    default:
      return WIDE.has(t.scalar) ? String(v) : v
  }
}

/**
 * A float32 value as the shortest decimal that reads back as it, as
 * Google's runtimes write floats (0.1, not 0.10000000149011612); but not
 * one beyond the largest float (3.4028235e38), which some readers
 * (Python's protobuf 4.21) refuse as too large.
 */
function shortestFloat(x: number): number {
  if (x === 0) return x
  for (let digits = 1; digits < 9; digits++) {
    const y = Number(x.toPrecision(digits))
    if (Math.fround(y) === x) return Math.abs(y) > FLOAT32_MAX ? x : y
  }
  return x
}

const FLOAT32_MAX = 3.4028234663852886e38

/** The value of a scalar field from its JSON. */
export function scalarFromJson(t: Scalar, j: unknown): unknown {
  switch (t.scalar) {
    case 'bool':
      if (typeof j !== 'boolean') throw bad(`expected true or false, not ${show(j)}`)
      return j
    case 'string':
      if (typeof j !== 'string') throw bad(`expected a string, not ${show(j)}`)
      // JSON can write a lone surrogate (\\uD800), which no UTF-8 string holds.
      if (!isWellFormed(j)) throw new ProtoError('invalid-utf8', `${show(j)} has a lone surrogate, which is not text`)
      return j
    case 'bytes':
      if (typeof j !== 'string') throw bad(`expected base64 in a string, not ${show(j)}`)
      return fromBase64(j)
    case 'double':
    case 'float':
      return floating(t.scalar, j)
    default:
      return integer(t, j)
  }
}

function floating(type: 'double' | 'float', j: unknown): number {
  let x: number
  if (typeof j === 'number') x = j
  else if (typeof j === 'string') {
    if (j === 'NaN') return NaN
    if (j === 'Infinity') return Infinity
    if (j === '-Infinity') return -Infinity
    if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(j)) throw bad(`expected a number, not the string ${show(j)}`)
    x = Number(j)
  } else throw bad(`expected a number, not ${show(j)}`)
  // A JSON number too large for a double parses as Infinity, which JSON cannot say.
  if (!Number.isFinite(x)) throw range(`${show(j)} is beyond the range of a double`)
  if (type === 'float') {
    const f = Math.fround(x)
    if (!Number.isFinite(f)) throw range(`${show(j)} is beyond the range of a float`)
    return f
  }
  return x
}

const INTEGER_TEXT = /^-?(?:0|[1-9]\d*)$/
const NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/

function integer(t: Scalar, j: unknown): number | bigint {
  let n: bigint
  if (typeof j === 'number') {
    if (!Number.isInteger(j)) throw bad(`expected an integer, not ${show(j)}`)
    n = BigInt(j)
  } else if (typeof j === 'string') {
    if (INTEGER_TEXT.test(j)) n = BigInt(j)
    else if (NUMBER_TEXT.test(j) && Number.isInteger(Number(j))) n = BigInt(Number(j))
    else throw bad(`expected an integer, not the string ${show(j)}`)
  } else throw bad(`expected an integer, not ${show(j)}`)
  const bits = WIDE.has(t.scalar) ? 64n : 32n
  const [lo, hi] = UNSIGNED.has(t.scalar) ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n]
  if (n < lo || n > hi) throw range(`${show(j)} is beyond the range of ${t.scalar}`)
  if (!WIDE.has(t.scalar)) return Number(n)
  if (t.big) return n
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw range(`${show(j)} is not a safe integer, as this field's number type needs`)
  return Number(n)
}

/** Standard base64 with padding, as ProtoJSON writes bytes. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** Bytes from base64, standard or URL-safe, padded or not. */
export function fromBase64(s: string): Uint8Array {
  if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(s) || (/[+/]/.test(s) && /[-_]/.test(s))) throw bad(`${show(s)} is not base64`)
  const body = s.replace(/=+$/, '')
  if (body.length % 4 === 1 || (s.length !== body.length && s.length % 4 !== 0)) throw bad(`${show(s)} is not base64: its length is wrong`)
  return new Uint8Array(Buffer.from(body, 'base64'))
}

export function show(j: unknown): string {
  if (j === undefined) return 'nothing'
  const text = JSON.stringify(j)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}
