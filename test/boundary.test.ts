/**
 * The boundary of the operations: what a caller may do with an encode
 * result's buffer (small results share a slab; `ownBuffer` gives one of
 * their own), which byte containers decode takes, and that a bad argument
 * is a `ProtoError` of kind `invalid-argument`, never a `TypeError`.
 * Every case runs with code generation on and off, and expects the same.
 * Serial: the cases switch code generation for the process, and transfer
 * slabs that other cases' results may be cut from.
 */
import { Readable } from 'node:stream'
import { runInNewContext } from 'node:vm'
import { MessageChannel } from 'node:worker_threads'
import test from 'ava'
import * as E from 'fp-ts/lib/Either.js'
import * as P from '../src/index.js'
import { ioTsType } from '../src/testing.js'
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

test.serial('a transferred small result does not break later encodes', (t) => {
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

test.serial('a transferred empty result does not break later encodes', (t) => {
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

test.serial('a result transferred through postMessage does not break later encodes', async (t) => {
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

test.serial('ownBuffer: a result that owns its whole buffer, transferable without touching others', (t) => {
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

test.serial('ownBuffer for encodeDelimited, writeDelimited and the io-ts bridge', async (t) => {
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
    const People = ioTsType(person, 'person', { ownBuffer: true })
    const x = People.encode({ name: 'Ada', id: 1 })
    t.true(ownsBuffer(x), `${mode}: ioTsType`)
    t.is(toHex(transfer(x)), '0a 03 41 64 61 10 01')
    t.is(toHex(other), '08 01 12 01 61', `${mode}: a result cut from the slab before is untouched`)
  })
})

// ---------------------------------------------------------------------------
// 2. What decode takes as bytes

const pairWire = '08 96 01 12 05 68 65 6c 6c 6f'
const pairValue = [150, 'hello'] as const

/** `bytes` placed at `offset` in a larger ArrayBuffer, with garbage around it. */
function at(offset: number, bytes: Uint8Array): Uint8Array {
  const big = new Uint8Array(offset + bytes.length + 5).fill(0xff)
  big.set(bytes, offset)
  return big.subarray(offset, offset + bytes.length)
}

test.serial('decode takes an ArrayBuffer whole, and a Uint8Array or Buffer at any byteOffset', async (t) => {
  await bothAsync(async (mode) => {
    const ab = hex(pairWire).buffer as ArrayBuffer
    t.deepEqual(right(P.decode(pair, ab)), pairValue, `${mode}: decode(ArrayBuffer)`)
    t.deepEqual(P.decodeOrThrow(pair, ab), pairValue, `${mode}: decodeOrThrow(ArrayBuffer)`)
    const prefix = right(P.decodePrefix(pair, concat(hex(pairWire), hex('18 01')).buffer as ArrayBuffer))
    t.deepEqual(prefix.value, pairValue, `${mode}: decodePrefix(ArrayBuffer)`)
    t.is(toHex(prefix.rest), '18 01')
    t.true(prefix.rest instanceof Uint8Array)
    const stream = concat(hex('0a'), hex(pairWire), hex('0a'), hex(pairWire))
    t.deepEqual(right(P.decodeDelimited(pair, stream.buffer as ArrayBuffer)), [pairValue, pairValue], `${mode}: decodeDelimited(ArrayBuffer)`)
    const chunks = [stream.slice(0, 4).buffer, stream.slice(4)] as const
    t.deepEqual(await collect(P.readDelimited(pair, chunks)), [pairValue, pairValue], `${mode}: readDelimited with ArrayBuffer chunks`)
    const io = ioTsType(pair).decode(ab)
    t.true(E.isRight(io) && io.right[0] === 150, `${mode}: ioTsType(ArrayBuffer)`)
    t.deepEqual(right(P.decode(P.message({ n: P.optional(P.unsigned(1)) }), new ArrayBuffer(0))), {}, `${mode}: an empty ArrayBuffer is an empty message`)
    // Views at an offset: a Uint8Array, a Node Buffer (pooled, so at an offset too), a prefix's rest.
    t.deepEqual(right(P.decode(pair, at(3, hex(pairWire)))), pairValue, `${mode}: a view at an offset`)
    const buf = Buffer.from(at(5, hex(pairWire)))
    t.deepEqual(right(P.decode(pair, buf)), pairValue, `${mode}: a Buffer`)
    t.deepEqual(right(P.decode(pair, buf.subarray(0))), pairValue)
    t.deepEqual(right(P.decodePrefix(pair, at(7, concat(hex(pairWire), hex(pairWire))))).value, pairValue)
    t.deepEqual(right(P.decodeDelimited(pair, at(9, stream))), [pairValue, pairValue])
  })
})

test.serial('decode takes a Uint8Array of another realm', (t) => {
  both((mode) => {
    const foreign = runInNewContext('new Uint8Array([8, 150, 1, 18, 5, 104, 101, 108, 108, 111])') as Uint8Array
    t.false(foreign instanceof Uint8Array)
    t.deepEqual(right(P.decode(pair, foreign)), pairValue, mode)
    const foreignAb = runInNewContext('new Uint8Array([8, 150, 1, 18, 5, 104, 101, 108, 108, 111]).buffer') as ArrayBuffer
    t.deepEqual(right(P.decode(pair, foreignAb)), pairValue, mode)
  })
})

/** Arguments that are not bytes, each with what the error says it got. */
function notBytes(): [string, unknown][] {
  const detachedAb = new ArrayBuffer(4)
  transfer(new Uint8Array(detachedAb))
  return [
    ['null', null],
    ['undefined', undefined],
    ['a string', '08 01'],
    ['a number', 8],
    ['an array', [8, 1]],
    ['an object', { length: 2, 0: 8, 1: 1 }],
    ['a DataView', new DataView(hex('08 01').buffer)],
    ['an Int8Array', new Int8Array([8, 1])],
    ['a Uint8ClampedArray', new Uint8ClampedArray([8, 1])],
    ['a SharedArrayBuffer', new SharedArrayBuffer(2)],
    ['a detached ArrayBuffer', detachedAb],
  ]
}

test.serial('decode refuses anything but bytes with an invalid-argument ProtoError, never a TypeError', (t) => {
  both((mode) => {
    for (const [what, x] of notBytes()) {
      const bad = x as Uint8Array
      const check = (e: unknown, op: string): void => {
        t.true(e instanceof P.ProtoError, `${mode}: ${op}(${what}) gives a ProtoError, not ${String(e)}`)
        const p = e as P.ProtoError
        t.is(p.kind, 'invalid-argument', `${mode}: ${op}(${what}): ${p.message}`)
        t.is(p.offset, undefined)
        t.true(p.detail.includes(what), `${op}(${what}) says what it got: ${p.detail}`)
      }
      const d = P.decode(pair, bad)
      t.true(E.isLeft(d))
      if (E.isLeft(d)) check(d.left, 'decode')
      check(t.throws(() => P.decodeOrThrow(pair, bad)), 'decodeOrThrow')
      const p = P.decodePrefix(pair, bad)
      if (E.isLeft(p)) check(p.left, 'decodePrefix')
      else t.fail(`decodePrefix(${what}) succeeded`)
      const s = P.decodeDelimited(pair, bad)
      if (E.isLeft(s)) check(s.left, 'decodeDelimited')
      else t.fail(`decodeDelimited(${what}) succeeded`)
      t.throws(() => new P.Reader(bad), { instanceOf: P.ProtoError }, `new Reader(${what})`)
      const io = ioTsType(pair).decode(bad)
      t.true(E.isLeft(io) && io.left[0]!.message!.startsWith('invalid-argument'), `${mode}: ioTsType(${what})`)
    }
    // The operations still serve, on the compiled path and off.
    t.deepEqual(P.decodeOrThrow(pair, hex(pairWire)), pairValue)
    t.deepEqual(right(P.decode(pair, hex(pairWire))), pairValue)
  })
})

test.serial('a Uint8Array whose buffer was transferred away is empty, as JavaScript has it, and reads as empty bytes', (t) => {
  both((mode) => {
    const optionalOnly = P.message({ n: P.optional(P.unsigned(1)) })
    const x = P.encodeOrThrow(optionalOnly, { n: 1 })
    transfer(P.encodeOrThrow(optionalOnly, { n: 2 })) // the slab x was cut from
    t.is(x.length, 0)
    t.deepEqual(right(P.decode(optionalOnly, x)), {}, mode)
    const e = P.decode(pair, x)
    t.true(E.isLeft(e) && e.left.kind === 'missing-field', mode)
  })
})

test.serial('readDelimited refuses a source that is not bytes with an invalid-argument ProtoError', async (t) => {
  await bothAsync(async (mode) => {
    const first = concat(hex('0a'), hex(pairWire))
    for (const [what, chunk] of notBytes()) {
      const e = await t.throwsAsync(collect(P.readDelimited(pair, [first, chunk as Uint8Array])), { instanceOf: P.ProtoError })
      t.is(e?.kind, 'invalid-argument', `${mode}: a chunk that is ${what}: ${e?.message}`)
      t.is(P.formatPath(e?.path ?? []), '[1]', 'the path names the message being read')
    }
    // A Node stream with an encoding set yields strings.
    const strings = Readable.from([Buffer.from(first)]).setEncoding('latin1')
    const e = await t.throwsAsync(collect(P.readDelimited(pair, strings)), { instanceOf: P.ProtoError })
    t.is(e?.kind, 'invalid-argument', `${mode}: ${e?.message}`)
    for (const source of [null, undefined, 42, {}]) {
      const e = await t.throwsAsync(collect(P.readDelimited(pair, source as unknown as AsyncIterable<Uint8Array>)), { instanceOf: P.ProtoError })
      t.is(e?.kind, 'invalid-argument', `${mode}: a source that is ${String(source)}: ${e?.message}`)
    }
  })
})

// ---------------------------------------------------------------------------
// 3. Other bad arguments: the template and the options

/** The error of an operation that should fail with invalid-argument, whether it returns a Left or throws. */
function invalidArgument(t: import('ava').ExecutionContext, run: () => unknown, what: string): void {
  let e: unknown
  try {
    const r = run()
    if (r !== null && typeof r === 'object' && '_tag' in r && E.isLeft(r as E.Either<unknown, unknown>)) e = (r as E.Left<unknown>).left
    else t.fail(`${what}: expected an error, got ${String(r)}`)
  } catch (thrown) {
    e = thrown
  }
  t.true(e instanceof P.ProtoError, `${what}: a ProtoError, not ${String(e)}`)
  t.is((e as P.ProtoError).kind, 'invalid-argument', `${what}: ${(e as Error).message}`)
}

const deep = P.message({ a: P.optional(P.embedded(1, P.message({ b: P.optional(P.embedded(1, P.message({ c: P.optional(P.unsigned(1)) }))) }))) })
const deepWire = hex('0a 04 0a 02 08 01')
const deepValue = { a: { b: { c: 1 } } }

test.serial('a template that is not one is an invalid-argument ProtoError, never a TypeError', (t) => {
  both((mode) => {
    const notTemplates: [string, unknown][] = [
      ['null', null],
      ['undefined', undefined],
      ['a host type', P.unsigned],
      ['a field', P.unsigned(1)],
      ['an embedded host type', P.embedded(pair)],
      ['an array of fields', [P.unsigned(1)]],
      ['an object', {}],
      ['a string', 'protobuf'],
    ]
    for (const [what, x] of notTemplates) {
      const bad = x as typeof pair
      invalidArgument(t, () => P.decode(bad, hex(pairWire)), `${mode}: decode(${what})`)
      invalidArgument(t, () => P.decodeOrThrow(bad, hex(pairWire)), `${mode}: decodeOrThrow(${what})`)
      invalidArgument(t, () => P.decodePrefix(bad, hex(pairWire)), `${mode}: decodePrefix(${what})`)
      invalidArgument(t, () => P.decodeDelimited(bad, hex('')), `${mode}: decodeDelimited(${what})`)
      invalidArgument(t, () => P.encode(bad, [1, 'a']), `${mode}: encode(${what})`)
      invalidArgument(t, () => P.encodeOrThrow(bad, [1, 'a']), `${mode}: encodeOrThrow(${what})`)
      invalidArgument(t, () => P.encodeDelimited(bad, []), `${mode}: encodeDelimited(${what})`)
    }
    // The operations still serve, on the compiled path and off.
    t.is(toHex(P.encodeOrThrow(pair, pairValue)), pairWire)
    t.deepEqual(P.decodeOrThrow(pair, hex(pairWire)), pairValue)
  })
})

test.serial('options: a maxDepth that is not a whole number ≥ 0, or options that are not an object, are invalid-argument', async (t) => {
  await bothAsync(async (mode) => {
    const bads: [string, unknown][] = [
      ['maxDepth -1', { maxDepth: -1 }],
      ['maxDepth 2.5', { maxDepth: 2.5 }],
      ['maxDepth NaN', { maxDepth: Number.NaN }],
      ['maxDepth -Infinity', { maxDepth: -Infinity }],
      ["maxDepth '3'", { maxDepth: '3' }],
      ['maxDepth null', { maxDepth: null }],
      ['ownBuffer 1', { ownBuffer: 1 }],
      ['options 100', 100],
      ["options 'deep'", 'deep'],
      ['options true', true],
    ]
    for (const [what, o] of bads) {
      const options = o as P.EncodeOptions
      invalidArgument(t, () => P.decode(deep, deepWire, options), `${mode}: decode with ${what}`)
      invalidArgument(t, () => P.decodeOrThrow(deep, deepWire, options), `${mode}: decodeOrThrow with ${what}`)
      invalidArgument(t, () => P.decodePrefix(deep, deepWire, options), `${mode}: decodePrefix with ${what}`)
      invalidArgument(t, () => P.decodeDelimited(deep, hex(''), options), `${mode}: decodeDelimited with ${what}`)
      invalidArgument(t, () => P.encode(deep, deepValue, options), `${mode}: encode with ${what}`)
      invalidArgument(t, () => P.encodeOrThrow(deep, deepValue, options), `${mode}: encodeOrThrow with ${what}`)
      invalidArgument(t, () => P.encodeDelimited(deep, [], options), `${mode}: encodeDelimited with ${what}`)
      const io = ioTsType(deep, 'deep', options).decode(deepWire)
      t.true(E.isLeft(io) && io.left[0]!.message!.startsWith('invalid-argument'), `${mode}: ioTsType with ${what}`)
      const r = await t.throwsAsync(collect(P.readDelimited(deep, [], options)), { instanceOf: P.ProtoError })
      t.is(r?.kind, 'invalid-argument', `${mode}: readDelimited with ${what}`)
      const w = await t.throwsAsync(collect(P.writeDelimited(deep, [], options)), { instanceOf: P.ProtoError })
      t.is(w?.kind, 'invalid-argument', `${mode}: writeDelimited with ${what}`)
    }
    const stream = [concat(hex('06'), deepWire)]
    t.deepEqual(await collect(P.readDelimited(deep, stream, null as unknown as P.StreamOptions)), [deepValue], `${mode}: null options are the defaults`)
    t.deepEqual(await collect(P.readDelimited(deep, stream, { maxMessageBytes: Infinity, maxDepth: 2 })), [deepValue])
    for (const [what, o] of [['maxMessageBytes -1', { maxMessageBytes: -1 }], ['maxMessageBytes NaN', { maxMessageBytes: Number.NaN }], ['maxMessageBytes 1.5', { maxMessageBytes: 1.5 }]] as const) {
      const r = await t.throwsAsync(collect(P.readDelimited(deep, [], o)), { instanceOf: P.ProtoError })
      t.is(r?.kind, 'invalid-argument', `${mode}: readDelimited with ${what}`)
    }
  })
})

test.serial('options: valid ones behave as before', (t) => {
  both((mode) => {
    // Absent, null or empty options are the defaults.
    for (const o of [undefined, null, {}, { maxDepth: undefined }]) {
      t.deepEqual(right(P.decode(deep, deepWire, o as P.Options)), deepValue, `${mode}: options ${JSON.stringify(o)}`)
      t.is(toHex(right(P.encode(deep, deepValue, o as P.EncodeOptions))), toHex(deepWire))
    }
    // The limit counts nested messages: this one nests two deep.
    t.deepEqual(right(P.decode(deep, deepWire, { maxDepth: 2 })), deepValue, mode)
    t.deepEqual(right(P.decode(deep, deepWire, { maxDepth: Infinity })), deepValue, mode)
    const e = P.decode(deep, deepWire, { maxDepth: 1 })
    t.true(E.isLeft(e) && e.left.kind === 'depth-limit', mode)
    const z = P.decode(deep, deepWire, { maxDepth: 0 })
    t.true(E.isLeft(z) && z.left.kind === 'depth-limit', mode)
    t.deepEqual(right(P.decode(deep, hex(''), { maxDepth: 0 })), {}, `${mode}: maxDepth 0 takes a flat message`)
    const x = P.encode(deep, deepValue, { maxDepth: 1 })
    t.true(E.isLeft(x) && x.left.kind === 'depth-limit', mode)
    // Unknown keys are ignored, as an options object may be shared (ioTsType's goes to both directions).
    t.deepEqual(right(P.decode(deep, deepWire, { maxDepth: 5, ownBuffer: true, other: 1 } as P.Options)), deepValue)
  })
})
