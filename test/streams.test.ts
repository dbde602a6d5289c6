/**
 * Length-delimited streams: from and to bytes, from and to Node streams,
 * with offsets in the whole stream and a bound on what a length may claim.
 */
import { Readable } from 'node:stream'
import { isDeepStrictEqual } from 'node:util'
import test from 'ava'
import * as E from 'fp-ts/lib/Either.js'
import * as fc from 'fast-check'
import * as P from '../src/index.js'
import { arbitrary } from '../src/testing.js'
import { differ, hex, interpreted, toHex } from './helpers.js'

const person = P.message({ name: P.string(1), id: P.unsigned(2) })
const ada = { name: 'Ada', id: 1 }
const bob = { name: 'Bob', id: 300 }
// 07 | 0a 03 41 64 61 10 01 || 08 | 0a 03 42 6f 62 10 ac 02
const stream = '07 0a 03 41 64 61 10 01 08 0a 03 42 6f 62 10 ac 02'

async function collect<A>(it: AsyncIterable<A>): Promise<A[]> {
  const out: A[] = []
  for await (const x of it) out.push(x)
  return out
}

/** A Node stream that delivers `bytes` in chunks of the given sizes (cycled). */
function chunked(bytes: Uint8Array, sizes: readonly number[]): Readable {
  const chunks: Uint8Array[] = []
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!)
    chunks.push(Buffer.from(bytes.subarray(at, at + n)))
    at += n
  }
  return Readable.from(chunks)
}

function left<A>(t: import('ava').ExecutionContext, r: E.Either<P.ProtoError, A>): P.ProtoError {
  if (E.isRight(r)) throw new Error('expected an error')
  t.true(r.left instanceof P.ProtoError)
  return r.left
}

test('encodeDelimited puts a varint length before each message', (t) => {
  const r = P.encodeDelimited(person, [ada, bob])
  t.true(E.isRight(r))
  if (E.isRight(r)) t.is(toHex(r.right), stream)
  t.deepEqual(P.encodeDelimited(person, []), E.right(new Uint8Array(0)))
})

test('decodeDelimited reads them back, empty messages included', (t) => {
  t.deepEqual(P.decodeDelimited(person, hex(stream)), E.right([ada, bob]))
  const empty = P.protobuf([])
  t.deepEqual(P.decodeDelimited(empty, hex('00 00 00')), E.right([[], [], []]))
  t.deepEqual(P.decodeDelimited(empty, new Uint8Array(0)), E.right([]))
})

test('a length longer than 127 takes a two-byte prefix', (t) => {
  const long = { name: 'x'.repeat(200), id: 0 }
  const r = P.encodeDelimited(person, [long])
  if (E.isLeft(r)) return t.fail(r.left.message)
  t.is(toHex(r.right.subarray(0, 2)), 'cd 01') // 3 + 200 + 2 = 205
  t.deepEqual(P.decodeDelimited(person, r.right), E.right([long]))
})

test('decodeDelimited errors carry the message index and the offset in the whole stream', (t) => {
  // Second message: its id is a truncated varint (10 ac, length 7 instead of 8).
  const bad = hex('07 0a 03 41 64 61 10 01 07 0a 03 42 6f 62 10 ac')
  const e = left(t, P.decodeDelimited(person, bad))
  t.is(e.kind, 'truncated')
  t.is(P.formatPath(e.path), '[1].id(2)')
  t.is(e.offset, 15)
  // A length that runs past the end.
  const e2 = left(t, P.decodeDelimited(person, hex('07 0a 03 41 64 61 10 01 09 0a')))
  t.is(e2.kind, 'truncated')
  t.is(e2.offset, 9)
})

test('encodeDelimited names the index of a value that does not encode', (t) => {
  const e = left(t, P.encodeDelimited(person, [ada, { name: 'x', id: -1 }]))
  t.is(e.kind, 'out-of-range')
  t.is(P.formatPath(e.path), '[1].id(2)')
})

test('readDelimited yields each message from a Node stream, however it is chunked', async (t) => {
  for (const sizes of [[1], [2, 3], [5], [100], [1, 7, 2]]) {
    t.deepEqual(await collect(P.readDelimited(person, chunked(hex(stream), sizes))), [ada, bob], String(sizes))
  }
})

test('readDelimited yields a message as soon as its bytes have arrived', async (t) => {
  let delivered = 0
  async function* source(): AsyncGenerator<Uint8Array> {
    delivered = 1
    yield hex('07 0a 03 41 64 61 10 01')
    delivered = 2
    yield hex('08 0a 03 42 6f 62 10 ac 02')
  }
  const seen: number[] = []
  for await (const _ of P.readDelimited(person, source())) seen.push(delivered)
  t.deepEqual(seen, [1, 2])
})

test('readDelimited: a stream that ends inside a message is truncated, at that message', async (t) => {
  const e = await t.throwsAsync(collect(P.readDelimited(person, chunked(hex(stream).subarray(0, 12), [3]))), { instanceOf: P.ProtoError })
  t.is(e?.kind, 'truncated')
  t.is(e?.offset, 8)
  t.is(P.formatPath(e?.path ?? []), '[1]')
})

test('readDelimited: a bad message gives its index and the offset in the stream', async (t) => {
  // Second message: field number 0.
  const bytes = hex('07 0a 03 41 64 61 10 01 02 00 01')
  const e = await t.throwsAsync(collect(P.readDelimited(person, chunked(bytes, [4]))), { instanceOf: P.ProtoError })
  t.is(e?.kind, 'invalid-tag')
  t.is(e?.offset, 9)
  t.is(P.formatPath(e?.path ?? []), '[1]')
})

test('readDelimited refuses a length over maxMessageBytes before buffering it', async (t) => {
  // Announces 2^30 bytes and sends 3: refused at once, not awaited.
  const bytes = hex('80 80 80 80 04 0a 01 41')
  const e = await t.throwsAsync(collect(P.readDelimited(person, chunked(bytes, [2]), { maxMessageBytes: 1024 })), {
    instanceOf: P.ProtoError,
  })
  t.is(e?.kind, 'invalid-length')
  t.is(e?.offset, 0)
  const e2 = await t.throwsAsync(collect(P.readDelimited(person, chunked(hex('ff ff ff ff ff ff 01'), [1]))), {
    instanceOf: P.ProtoError,
  })
  t.is(e2?.kind, 'invalid-length')
  const e3 = await t.throwsAsync(collect(P.readDelimited(person, chunked(hex('ff ff ff ff ff ff ff ff ff ff ff'), [4]))), {
    instanceOf: P.ProtoError,
  })
  t.is(e3?.kind, 'malformed-varint')
})

test('writeDelimited and readDelimited through a Node pipeline round-trip any values', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(arbitrary(person), { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1 }), async (people, sizes) => {
      const bytes = Buffer.concat(await collect(Readable.from(P.writeDelimited(person, people))))
      const r = P.encodeDelimited(person, people)
      if (E.isLeft(r) || toHex(r.right) !== toHex(bytes)) return false
      const back = await collect(P.readDelimited(person, chunked(bytes, sizes)))
      return isDeepStrictEqual(back, people)
    }),
    { numRuns: 100 },
  )
  t.pass()
})

test('writeDelimited throws for a value that does not encode, having yielded the ones before', async (t) => {
  const out: Uint8Array[] = []
  const e = await t.throwsAsync(
    (async () => {
      for await (const c of P.writeDelimited(person, [ada, { name: 1 as unknown as string, id: 0 }])) out.push(c)
    })(),
    { instanceOf: P.ProtoError },
  )
  t.is(out.length, 1)
  t.is(P.formatPath(e?.path ?? []), '[1].name(1)')
})

test('the stream operations give the same bytes, values and errors in both forms', (t) => {
  const ops: [string, () => E.Either<P.ProtoError, unknown>][] = [
    ['encode', () => P.encodeDelimited(person, [ada, bob])],
    ['encode long', () => P.encodeDelimited(person, [{ name: 'x'.repeat(200), id: 0 }])],
    ['encode bad', () => P.encodeDelimited(person, [ada, { name: 'x', id: -1 }])],
    ['decode', () => P.decodeDelimited(person, hex(stream))],
    ['decode empty messages', () => P.decodeDelimited(P.protobuf([]), hex('00 00 00'))],
    ['decode truncated', () => P.decodeDelimited(person, hex('07 0a 03 41 64 61 10 01 07 0a 03 42 6f 62 10 ac'))],
    ['decode past the end', () => P.decodeDelimited(person, hex('07 0a 03 41 64 61 10 01 09 0a'))],
  ]
  for (const [what, op] of ops) t.is(differ(op(), interpreted(op)), undefined, what)
})
