/**
 * The boundary of the operations: what a caller may do with an encode
 * result's buffer (small results share a slab; `ownBuffer` gives one of
 * their own), which byte containers decode takes, and that a bad argument
 * is a `ProtoError` of kind `invalid-argument`, never a `TypeError`.
 * Every case runs with code generation on and off, and expects the same.
 */
import { MessageChannel } from 'node:worker_threads'
import test from 'ava'
import * as E from 'fp-ts/lib/Either.js'
import * as P from '../src/index.js'
import { setCodeGeneration } from '../src/compile.js'
import { concat, hex, toHex, varint } from './helpers.js'

/** Run `f` with code generation on, then off (restored after). */
function both(f: (mode: string) => void): void {
  for (const on of [true, false]) {
    setCodeGeneration(on)
    try {
      f(on ? 'compiled' : 'interpreted')
    } finally {
      setCodeGeneration(true)
    }
  }
}

async function bothAsync(f: (mode: string) => Promise<void>): Promise<void> {
  for (const on of [true, false]) {
    setCodeGeneration(on)
    try {
      await f(on ? 'compiled' : 'interpreted')
    } finally {
      setCodeGeneration(true)
    }
  }
}

async function collect<A>(it: AsyncIterable<A>): Promise<A[]> {
  const out: A[] = []
  for await (const x of it) out.push(x)
  return out
}

function right<A>(r: E.Either<P.ProtoError, A>): A {
  if (E.isLeft(r)) throw r.left
  return r.right
}

const pair = P.protobuf([P.unsigned(1), P.atom(2)])
/** The bytes of `pair` for [n, 'abc'], written out by hand. */
const pairAbc = (n: number): string => toHex(concat(hex('08'), varint(n), hex('12 03 61 62 63')))
const person = P.message({ name: P.string(1), id: P.unsigned(2) })

/** Transfer a result's buffer away, as postMessage(x, [x.buffer]) does; returns the received copy. */
function transfer(x: Uint8Array): Uint8Array {
  return structuredClone(x, { transfer: [x.buffer as ArrayBuffer] })
}

/** Whether the array owns its whole buffer, so that transferring it takes nothing else. */
function ownsBuffer(x: Uint8Array): boolean {
  return x.byteOffset === 0 && x.buffer.byteLength === x.length
}

// ---------------------------------------------------------------------------
// 1. Encode results and their buffers

test('a transferred small result does not break later encodes', (t) => {
  both((mode) => {
    const expected = toHex(hex('08 96 01 12 05 68 65 6c 6c 6f'))
    const a = P.encodeOrThrow(pair, [150, 'hello'])
    t.false(ownsBuffer(a), 'a small result is cut from a shared slab')
    const received = transfer(a)
    t.is(toHex(received), expected, `${mode}: the transferred bytes arrive`)
    t.is(a.length, 0, 'the sender keeps a detached, empty view')
    // Later encodes, by every operation that cuts results from the slab, are right.
    for (let i = 0; i < 3; i++) {
      t.is(toHex(P.encodeOrThrow(pair, [150, 'hello'])), expected, `${mode}: encodeOrThrow after a transfer`)
      t.is(toHex(right(P.encode(pair, [150, 'hello']))), expected, `${mode}: encode after a transfer`)
      t.is(toHex(right(P.encodeDelimited(pair, [[150, 'hello']]))), `0a ${expected}`, `${mode}: encodeDelimited after a transfer`)
      transfer(P.encodeOrThrow(pair, [1, 'x']))
    }
    // After a transfer, enough results to fill several slabs: every one keeps its bytes.
    transfer(P.encodeOrThrow(pair, [7, 'y']))
    const kept: Uint8Array[] = []
    for (let i = 0; i < 20000; i++) kept.push(P.encodeOrThrow(pair, [i, 'abc']))
    t.true(
      kept.every((x, i) => toHex(x) === pairAbc(i)),
      `${mode}: results made after a transfer keep their bytes`,
    )
  })
})

test('a transferred empty result does not break later encodes', (t) => {
  both((mode) => {
    const empty = P.protobuf([])
    for (let i = 0; i < 3; i++) {
      const x = P.encodeOrThrow(empty)
      t.is(x.length, 0)
      transfer(x)
      t.is(P.encodeOrThrow(empty).length, 0, `${mode}: an empty result after a transfer`)
      t.is(toHex(P.encodeOrThrow(pair, [1, 'a'])), '08 01 12 01 61', `${mode}: a small result after a transfer`)
    }
  })
})

test('a result transferred through postMessage does not break later encodes', async (t) => {
  const { port1, port2 } = new MessageChannel()
  try {
    const got = new Promise<Uint8Array>((resolve) => port2.once('message', resolve))
    const x = P.encodeOrThrow(person, { name: 'Ada', id: 1 })
    port1.postMessage(x, [x.buffer as ArrayBuffer])
    t.is(x.length, 0)
    t.is(toHex(P.encodeOrThrow(person, { name: 'Bob', id: 300 })), '0a 03 42 6f 62 10 ac 02')
    t.deepEqual(P.decodeOrThrow(person, await got), { name: 'Ada', id: 1 })
  } finally {
    port1.close()
    port2.close()
  }
})

test('ownBuffer: a result that owns its whole buffer, transferable without touching others', (t) => {
  both((mode) => {
    const expected = '08 96 01 12 05 68 65 6c 6c 6f'
    const others = [P.encodeOrThrow(pair, [1, 'a']), P.encodeOrThrow(person, { name: 'Ada', id: 1 })]
    const owned = [
      P.encodeOrThrow(pair, [150, 'hello'], { ownBuffer: true }),
      right(P.encode(pair, [150, 'hello'], { ownBuffer: true })),
      right(P.encode(pair, [150, 'hello'], { ownBuffer: true, maxDepth: 5 })),
    ]
    for (const x of owned) {
      t.true(ownsBuffer(x), `${mode}: owns its buffer`)
      t.is(toHex(x), expected)
      t.is(toHex(transfer(x)), expected)
    }
    const big = 'x'.repeat(5000)
    const large = P.encodeOrThrow(pair, [1, big], { ownBuffer: true })
    t.true(ownsBuffer(large), `${mode}: a large result owns its buffer too`)
    const empty = P.encodeOrThrow(P.protobuf([]), undefined, { ownBuffer: true })
    t.true(ownsBuffer(empty) && empty.length === 0)
    transfer(empty)
    // The results cut from the slab before are untouched, and the slab still serves.
    t.is(toHex(others[0]!), '08 01 12 01 61', `${mode}: others keep their bytes`)
    t.is(toHex(others[1]!), '0a 03 41 64 61 10 01')
    const after = P.encodeOrThrow(pair, [1, 'a'])
    t.false(ownsBuffer(after), 'without the option a small result still comes from the slab')
    t.is(toHex(after), '08 01 12 01 61')
    t.is(toHex(others[0]!), '08 01 12 01 61')
  })
})

test('ownBuffer for encodeDelimited, writeDelimited and the io-ts bridge', async (t) => {
  await bothAsync(async (mode) => {
    const other = P.encodeOrThrow(pair, [1, 'a'])
    const d = right(P.encodeDelimited(person, [{ name: 'Ada', id: 1 }, { name: 'Bob', id: 300 }], { ownBuffer: true }))
    t.true(ownsBuffer(d), `${mode}: encodeDelimited`)
    t.is(toHex(d), '07 0a 03 41 64 61 10 01 08 0a 03 42 6f 62 10 ac 02')
    transfer(d)
    const chunks = await collect(P.writeDelimited(person, [{ name: 'Ada', id: 1 }], { ownBuffer: true }))
    t.true(chunks.every(ownsBuffer), `${mode}: writeDelimited`)
    t.is(toHex(chunks[0]!), '07 0a 03 41 64 61 10 01')
    chunks.forEach(transfer)
    const People = P.ioTsType(person, 'person', { ownBuffer: true })
    const x = People.encode({ name: 'Ada', id: 1 })
    t.true(ownsBuffer(x), `${mode}: ioTsType`)
    t.is(toHex(transfer(x)), '0a 03 41 64 61 10 01')
    t.is(toHex(other), '08 01 12 01 61', `${mode}: a result cut from the slab before is untouched`)
  })
})
