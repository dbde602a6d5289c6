/**
 * Each host type's emitted code against the interpreter it stands for: the
 * inlined snippets (src/inline.ts) copy byte algorithms of the byte layer
 * and the host types' own `put` and `get`, and here each copy is held to
 * its original. For values and for bytes, canonical and not: the emitted
 * write takes what the interpreter writes, writing the same bytes, and
 * bails exactly where the interpreter refuses; the emitted read reads the
 * same value to the same position, or fails with the same error; a packed
 * run read in one loop reads what reading one value at a time reads; the
 * inlined test by which `oneof` picks says what the type's guard says.
 */
import { isDeepStrictEqual } from 'node:util'
import test from 'ava'
import * as fc from 'fast-check'
import { BAIL } from '../src/bail.js'
import { hostCode } from '../src/compile.js'
import { AS_UNKNOWN, type AnyHostType, type HostImpl } from '../src/core.js'
import * as P from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { hosts } from './gen.js'

const RUNS = Number(process.env['PROTOPLATE_RUNS'] ?? 300)
const ctx = () => ({ depth: 0, maxDepth: 100 })

type Outcome = { ok: true; value: unknown; pos: number } | { ok: false; kind: string; offset: number | undefined }

function outcome(f: () => unknown, pos: () => number): Outcome {
  try {
    const value = f()
    return { ok: true, value, pos: pos() }
  } catch (e) {
    if (e === BAIL) return { ok: false, kind: 'bail', offset: undefined }
    if (e instanceof P.ProtoError) return { ok: false, kind: e.kind, offset: e.offset }
    throw e
  }
}

/** A value the interpreter keeps as an unknown field (a closed enumeration's unknown number) is one the emitted code hands to it. */
function unlessUnknown(v: unknown): unknown {
  if (v === AS_UNKNOWN) throw BAIL
  return v
}

/** Values of every kind, near the edges of the numeric ranges, and none of the type's own. */
const junk = fc.oneof(
  fc.anything(),
  fc.double(),
  fc.integer(),
  fc.bigInt(),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, -1, 0.5, -0, NaN, Infinity, 3.5e38, 2n ** 64n, -(2n ** 63n) - 1n, '\ud800', '\udc7f', '\udc80', 'x\udcff', 'é'.repeat(50), 'x'.repeat(200), 'e_closed', 'zero'),
)

/** Strings at the lengths where the inlined string code changes its way: 43 UTF-16 units, 64, 128. */
const edgeStrings = [42, 43, 63, 64, 127, 128, 129].flatMap((n) => ['a'.repeat(n), 'é'.repeat(n), 'a'.repeat(n - 1) + 'é', '😀'.repeat(n >> 1)])

const large = P.enumeration('large', Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`m${i}`, i * 3 - 9])))
const all: [string, AnyHostType][] = [...(Object.entries(hosts) as [string, AnyHostType][]), ['large enumeration', large]]

for (const [name, host] of all) {
  const impl = host.impl as HostImpl<unknown>
  const code = hostCode(impl)
  const own = impl.wireType === P.WireType.LEN && name !== 'codes' && name !== 'utf8Codes' ? fc.oneof(arbitrary(host), fc.constantFrom(...edgeStrings)) : arbitrary(host)
  const values = fc.oneof(own, junk)

  test(`${name}: the emitted write writes the interpreter's bytes, and bails where it refuses`, (t) => {
    fc.assert(
      fc.property(values, (v) => {
        const a = new P.Writer(8)
        const b = new P.Writer(8)
        const emitted = outcome(() => code.write(a, v, ctx()), () => a.pos)
        const interpreted = outcome(() => impl.write(b, v, 1, ctx()), () => b.pos)
        if (emitted.ok !== interpreted.ok) return false
        return !emitted.ok || P.Writer.prototype.finish.call(a).join() === P.Writer.prototype.finish.call(b).join()
      }),
      { numRuns: RUNS },
    )
    t.pass()
  })

  // Bytes that begin as the type's own encodings do, then are cut, padded or changed.
  const bytes = own.chain((v) => {
    const w = new P.Writer(8)
    impl.write(w, v, 1, ctx())
    const own = Array.from(w.finish())
    return fc.oneof(
      fc.constant(own),
      fc.nat(own.length).map((n) => own.slice(0, n)),
      fc.tuple(fc.nat(Math.max(0, own.length - 1)), fc.nat(255)).map(([i, x]) => own.map((y, j) => (j === i ? x : y))),
      fc.array(fc.nat(255), { maxLength: 24 }),
      fc.array(fc.constantFrom(0x80, 0xff, 0x7f, 0x00, 0x01, 0xc3, 0xed, 0xf4), { maxLength: 24 }),
    )
  })

  test(`${name}: the emitted read reads what the interpreter reads, or fails as it does`, (t) => {
    fc.assert(
      fc.property(bytes, fc.nat(3), (b, pad) => {
        // At an offset, and with bytes after the end the reader must not read.
        const buf = Uint8Array.from([...Array(pad).fill(0x80), ...b, 0x80, 0x80])
        const r1 = new P.Reader(buf, pad, pad + b.length)
        const r2 = new P.Reader(buf, pad, pad + b.length)
        const emitted = outcome(() => code.read(r1, ctx()), () => r1.pos)
        const interpreted = outcome(() => unlessUnknown(impl.read(r2, 1, ctx())), () => r2.pos)
        return isDeepStrictEqual(emitted, interpreted)
      }),
      { numRuns: RUNS },
    )
    t.pass()
  })

  if (impl.packable) {
    test(`${name}: a packed run read in one loop reads what one value at a time reads`, (t) => {
      const run = fc.oneof(
        fc.array(arbitrary(host), { maxLength: 40 }).map((vs) => {
          const w = new P.Writer(8)
          for (const v of vs) impl.write(w, v, 1, ctx())
          return Array.from(w.finish())
        }),
        fc.array(fc.nat(255), { maxLength: 40 }),
      )
      fc.assert(
        fc.property(run, (b) => {
          const buf = Uint8Array.from([...b, 0x80])
          const r1 = new P.Reader(buf, 0, b.length)
          const r2 = new P.Reader(buf, 0, b.length)
          const emitted = outcome(() => code.readRun(r1, ctx()), () => r1.pos)
          const interpreted = outcome(() => {
            const out: unknown[] = []
            while (r2.pos < r2.end) out.push(unlessUnknown(impl.read(r2, 1, ctx())))
            return out
          }, () => r2.pos)
          return isDeepStrictEqual(emitted, interpreted)
        }),
        { numRuns: RUNS },
      )
      t.pass()
    })
  }

  test(`${name}: the inlined test by which oneof picks says what the guard says`, (t) => {
    const guard = impl.guard ?? ((v: unknown) => impl.check(v, 0) === undefined)
    fc.assert(
      fc.property(values, (v) => code.is(v) === guard(v) && guard(v) === (impl.check(v, 0) === undefined)),
      { numRuns: RUNS, examples: [[undefined], [null]] },
    )
    t.pass()
  })
}
