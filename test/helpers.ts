/**
 * Test helpers that read like the laws: `roundTrip` checks the bytes and
 * both directions at once; `decodeError` and `encodeError` check an error's
 * kind, path and offset.
 */
import type { ExecutionContext } from 'ava'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import {
  decode,
  encode,
  type EncodeArgs,
  type ErrorKind,
  formatPath,
  ProtoError,
  type Template,
} from '../src/index.js'

/** Bytes from hex, spaces allowed: `hex('08 96 01')`. */
export function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '')
  if (clean.length % 2 !== 0) throw new Error(`odd hex: ${s}`)
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16))
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ')
}

/** The varint of a non-negative safe integer. */
export function varint(n: number): Uint8Array {
  const out: number[] = []
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return Uint8Array.from(out)
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

export function enc<A>(template: Template<A>, ...args: EncodeArgs<A>): Uint8Array {
  const r = encode(template, ...args)
  if (E.isLeft(r)) throw r.left
  return r.right
}

export function dec<A>(template: Template<A>, bytes: Uint8Array): A {
  const r = decode(template, bytes)
  if (E.isLeft(r)) throw r.left
  return r.right
}

/** encode(value) is exactly `bytes`, and decode(bytes) is `value`. */
export function roundTrip<A>(t: ExecutionContext, template: Template<A>, value: NoInfer<A>, bytes: string | Uint8Array): void {
  const expected = typeof bytes === 'string' ? hex(bytes) : bytes
  t.is(toHex(enc(template, ...([value] as EncodeArgs<A>))), toHex(expected), 'encode')
  t.deepEqual(dec(template, expected), value, 'decode')
}

export interface Expected {
  readonly kind: ErrorKind
  readonly path?: string
  readonly offset?: number | undefined
}

function checkError(t: ExecutionContext, e: ProtoError, expected: Expected): void {
  t.true(e instanceof ProtoError)
  t.is(e.kind, expected.kind, e.message)
  if ('path' in expected) t.is(formatPath(e.path), expected.path, e.message)
  if ('offset' in expected) t.is(e.offset, expected.offset, e.message)
}

/** decode fails with exactly this kind, path and offset. */
export function decodeError<A>(t: ExecutionContext, template: Template<A>, bytes: string | Uint8Array, expected: Expected): ProtoError {
  const r = decode(template, typeof bytes === 'string' ? hex(bytes) : bytes)
  if (E.isRight(r)) {
    t.fail(`decoded to ${JSON.stringify(r.right, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`)
    throw new Error('unreachable')
  }
  checkError(t, r.left, expected)
  return r.left
}

/** encode fails with exactly this kind and path (and no offset). */
export function encodeError<A>(t: ExecutionContext, template: Template<A>, value: unknown, expected: Expected): ProtoError {
  const r = encode(template, ...([value] as EncodeArgs<A>))
  if (E.isRight(r)) {
    t.fail(`encoded to ${toHex(r.right)}`)
    throw new Error('unreachable')
  }
  checkError(t, r.left, { offset: undefined, ...expected })
  return r.left
}

/** Bytes near the UTF-8 boundaries, so that invalid sequences are common, not rare. */
export const utf8ishBytes = (maxLength: number): fc.Arbitrary<number[]> =>
  fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 0x7f }),
      fc.constantFrom(0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff),
      fc.integer({ min: 0x80, max: 0xff }),
    ),
    { maxLength },
  )

/** The UTF-8 of any text, surrogate pairs included. */
export const validUtf8Bytes = (maxLength: number): fc.Arbitrary<number[]> =>
  fc.string({ unit: 'binary', maxLength }).map((s) => [...new TextEncoder().encode(s)])
