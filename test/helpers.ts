/**
 * Test helpers that read like the laws: `roundTrip` checks the bytes and
 * both directions at once; `decodeError` and `encodeError` check an error's
 * kind, path and offset.
 *
 * Every helper here runs both forms of a template: the compiled code
 * (code generation on) and the interpreter (code generation off), and
 * requires the same bytes, the same value (`isDeepStrictEqual`: −0 is not
 * 0, NaN is not null) or the same error (kind, path, offset). With code
 * generation on, an encode or decode that succeeds must take no bail (the
 * compiled code did it all itself), unless the caller says the input is
 * non-canonical and may need the interpreter (`{ bails: true }`).
 */
import { isDeepStrictEqual } from 'node:util'
import type { ExecutionContext, TestFn } from 'ava'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { bails } from '../src/bail.js'
import {
  decode,
  encode,
  type EncodeArgs,
  type ErrorKind,
  formatPath,
  type Options,
  ProtoError,
  setCodeGeneration,
  type Template,
} from '../src/index.js'

/**
 * The fast-check seed of this run: PROTOPLATE_SEED if given, else chosen
 * once, from the time the process started (to the 10 seconds), so that the
 * test files of one ava run, worker threads of one process, share it. Every
 * property of a test file that imports this module runs from it
 * (fast-check's global configuration), the tests log it, and fast-check
 * names it in a failure, so that `PROTOPLATE_SEED=… npx ava …` reproduces one.
 */
export const SEED = Number(process.env['PROTOPLATE_SEED'] ?? Math.floor((Date.now() - process.uptime() * 1000) / 10_000) % 2 ** 31)
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: SEED })

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

/** A value for failure messages: bigints, bytes, −0, NaN and undefined shown as such. */
export function show(x: unknown): string {
  return JSON.stringify(x, (_, v: unknown) =>
    typeof v === 'bigint'
      ? `${v}n`
      : v instanceof Uint8Array
        ? `bytes[${Array.from(v)}]`
        : typeof v === 'number' && !Number.isFinite(v)
          ? String(v)
          : Object.is(v, -0)
            ? '-0'
            : v === undefined
              ? 'undefined'
              : v,
  )
}

/** What a helper allows of the compiled form. */
export interface BothOptions {
  /**
   * The input is not canonical (a message field that occurs twice and must
   * be merged, and the like): the compiled code may hand it to the
   * interpreter. Without it, a successful operation must take no bail.
   */
  readonly bails?: boolean
  /** Passed to encode and decode. */
  readonly options?: Options
}

/** Run `f` with code generation off, and turn it on again after. */
export function interpreted<T>(f: () => T): T {
  setCodeGeneration(false)
  try {
    return f()
  } finally {
    setCodeGeneration(true)
  }
}

/**
 * An async test registered twice, compiled and then interpreted, each run
 * serially: code generation is switched for the whole process, and an
 * async test must not overlap another while it is off.
 */
export function serialInBothForms(test: TestFn, title: string, f: (t: ExecutionContext) => Promise<void>): void {
  for (const form of ['compiled', 'interpreted'] as const) {
    test.serial(`${title} (${form})`, async (t) => {
      setCodeGeneration(form === 'compiled')
      try {
        await f(t)
      } finally {
        setCodeGeneration(true)
      }
    })
  }
}

/** Run `f` with code generation on; gives its result and how many operations bailed. */
export function compiled<T>(f: () => T): { result: T; bailed: number } {
  setCodeGeneration(true)
  const before = bails.count
  const result = f()
  return { result, bailed: bails.count - before }
}

/** Why two results differ, or undefined when they are the same value, bytes or error. */
export function differ(a: E.Either<ProtoError, unknown>, b: E.Either<ProtoError, unknown>): string | undefined {
  if (E.isRight(a) && E.isRight(b)) return isDeepStrictEqual(a.right, b.right) ? undefined : `${show(a.right)} ≠ ${show(b.right)}`
  if (E.isLeft(a) && E.isLeft(b)) {
    const [x, y] = [a.left, b.left]
    // Anything else (a TemplateError on first use, say) must be the same error in both.
    if (!(x instanceof ProtoError) || !(y instanceof ProtoError)) {
      return x instanceof ProtoError || y instanceof ProtoError || String(x) !== String(y) ? `${String(x)} ≠ ${String(y)}` : undefined
    }
    return x.kind === y.kind && x.offset === y.offset && formatPath(x.path) === formatPath(y.path)
      ? undefined
      : `${x.kind} at ${formatPath(x.path)} offset ${String(x.offset)} (${x.message}) ≠ ${y.kind} at ${formatPath(y.path)} offset ${String(y.offset)} (${y.message})`
  }
  return `${E.isRight(a) ? show(a.right) : a.left.message} ≠ ${E.isRight(b) ? show(b.right) : b.left.message}`
}

/**
 * An operation run in both forms: the compiled result, after checking that
 * the interpreter gives the same, and that a success took no bail.
 */
function both<T>(what: string, op: () => E.Either<ProtoError, T>, options: BothOptions): E.Either<ProtoError, T> {
  const { result: fast, bailed } = compiled(op)
  const slow = interpreted(op)
  const why = differ(fast, slow)
  if (why !== undefined) throw new Error(`${what}: compiled and interpreted differ: ${why}`)
  if (E.isRight(fast) && bailed > 0 && options.bails !== true) {
    throw new Error(`${what}: compiled code handed ${bailed} operation(s) to the interpreter on input it took (pass { bails: true } if the input is not canonical)`)
  }
  return fast
}

/** Encode in both forms (the same bytes or error, no bail on success). */
export function encodeBoth<A>(template: Template<A>, value: unknown, options: BothOptions = {}): E.Either<ProtoError, Uint8Array> {
  return both('encode', () => encode(template, ...([value, options.options] as EncodeArgs<A>)), options)
}

/** Decode in both forms (the same value or error, no bail on success unless `options.bails`). */
export function decodeBoth<A>(template: Template<A>, bytes: Uint8Array, options: BothOptions = {}): E.Either<ProtoError, A> {
  return both('decode', () => decode(template, bytes, options.options), options)
}

/**
 * A value encoded and its bytes decoded, each in both forms (the same
 * result, no bail); throws the first error. Gives the bytes and the value
 * read back.
 */
export function bothWays<A>(template: Template<A>, value: unknown): { bytes: Uint8Array; back: A } {
  const bytes = encodeBoth(template, value)
  if (E.isLeft(bytes)) throw bytes.left
  const back = decodeBoth(template, bytes.right)
  if (E.isLeft(back)) throw back.left
  return { bytes: bytes.right, back: back.right }
}

/** The bytes of a value, in both forms; throws the error if encode fails. */
export function enc<A>(template: Template<A>, ...args: EncodeArgs<A>): Uint8Array {
  const r = both('encode', () => encode(template, ...args), {})
  if (E.isLeft(r)) throw r.left
  return r.right
}

/** The value of bytes, in both forms; throws the error if decode fails. */
export function dec<A>(template: Template<A>, bytes: Uint8Array, options: BothOptions = {}): A {
  const r = decodeBoth(template, bytes, options)
  if (E.isLeft(r)) throw r.left
  return r.right
}

/** encode(value) is exactly `bytes`, and decode(bytes) is `value`, in both forms. */
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

/** decode fails with exactly this kind, path and offset, in both forms. */
export function decodeError<A>(t: ExecutionContext, template: Template<A>, bytes: string | Uint8Array, expected: Expected, options: BothOptions = {}): ProtoError {
  const r = decodeBoth(template, typeof bytes === 'string' ? hex(bytes) : bytes, options)
  if (E.isRight(r)) {
    t.fail(`decoded to ${show(r.right)}`)
    throw new Error('unreachable')
  }
  checkError(t, r.left, expected)
  return r.left
}

/** encode fails with exactly this kind and path (and no offset), in both forms. */
export function encodeError<A>(t: ExecutionContext, template: Template<A>, value: unknown, expected: Expected): ProtoError {
  const r = encodeBoth(template, value)
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
