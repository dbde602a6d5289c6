/**
 * The gRPC cells of `npm run bench` (`--only grpc` for these alone): calls
 * on loopback to the servers of bench/grpc-server.ts (another process),
 * from a client of the same kind in this one: @grpc/proto-loader + grpc-js,
 * protoplate/grpc, and grpc-js with no codec at all (bytes made
 * beforehand), the floor. Unary calls/s with a small message (the seed's
 * HelloRequest) and with the benchmark's address book echoed, 1 and 32
 * calls in flight; server-streamed messages/s (calls of 2000 replies) and
 * bidirectional messages/s (a reply a request, at most 64 requests
 * unanswered). Rounds
 * interleave the contestants in a new order each round, after a warm-up;
 * the figures are medians over rounds.
 *
 * Then where the time goes: each contestant's call with 1 in flight
 * against the no-codec floor, and its four (de)serializations of a call
 * (client encode, server decode, server encode, client decode) timed alone.
 */
import { execFileSync, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { isDeepStrictEqual } from 'node:util'
import { fileURLToPath } from 'node:url'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import { encodeOrThrow } from '../src/index.js'
import { client, serviceOf } from '../grpc/index.js'
import { addressBookValue } from './data.js'
import { LOADER_OPTIONS, PROTO, schema } from './grpc-server.js'

const NAMES = ['proto-loader', 'protoplate', 'no codec'] as const
type Name = (typeof NAMES)[number]

/** What a contestant's client does, each resolving when done. */
interface Calls {
  readonly sayHello: () => Promise<unknown>
  readonly echo: () => Promise<unknown>
  /** One server-streaming call of `count` replies; resolves to how many came. */
  readonly replies: (count: number) => Promise<number>
  /** One bidirectional call, requests written until `until` (hrtime ns); resolves to how many replies came. */
  readonly chat: (until: bigint) => Promise<number>
  readonly close: () => void
}

const hr = () => process.hrtime.bigint()
const book = addressBookValue()
const hello = { name: 'Alice' }

/** Requests of a bidirectional call not yet answered, at most: the client writes while fewer are out, so that a round measures replies, not a backlog. */
const WINDOW = 64

function bidi(call: grpc.ClientDuplexStream<unknown, unknown>, until: bigint, request: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    let sent = 0
    let received = 0
    let ended = false
    const more = () => {
      while (!ended && sent - received < WINDOW) {
        if (hr() >= until) {
          ended = true
          call.end()
          return
        }
        sent++
        call.write(request)
      }
    }
    call.on('data', () => {
      received++
      more()
    })
    call.on('error', reject)
    call.on('end', () => resolve(received))
    more()
  })
}

function streamed(call: grpc.ClientReadableStream<unknown>): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0
    call.on('data', () => n++)
    call.on('error', reject)
    call.on('end', () => resolve(n))
  })
}

function protoLoaderCalls(port: number): Calls {
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO, LOADER_OPTIONS)) as unknown as { bench: { grpc: { Bench: grpc.ServiceClientConstructor } } }
  const Bench = pkg.bench.grpc.Bench
  const c = new Bench(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as Record<string, (...a: unknown[]) => unknown>
  const unary = (method: string, value: unknown) => () => new Promise((resolve, reject) => c[method]!(value, (e: Error | null, r: unknown) => (e ? reject(e) : resolve(r))))
  return {
    sayHello: unary('SayHello', hello),
    echo: unary('Echo', book),
    replies: (count) => streamed(c.Replies!({ name: 'Alice', count }) as grpc.ClientReadableStream<unknown>),
    chat: (until) => bidi(c.Chat!() as grpc.ClientDuplexStream<unknown, unknown>, until, hello),
    close: () => (c as unknown as grpc.Client).close(),
  }
}

function protoplateCalls(port: number): Calls {
  const service = serviceOf(schema(), 'bench.grpc.Bench')
  const channel = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure())
  const g = client(service, channel)
  return {
    sayHello: () => g.SayHello!(hello),
    echo: () => g.Echo!(book),
    replies: async (count) => {
      let n = 0
      for await (const _ of g.Replies!({ name: 'Alice', count }) as AsyncIterable<unknown>) n++
      return n
    },
    chat: async (until) => {
      let sent = 0
      let received = 0
      let wake: (() => void) | undefined
      async function* requests() {
        while (hr() < until) {
          if (sent - received >= WINDOW) await new Promise<void>((resolve) => (wake = resolve))
          sent++
          yield hello
        }
      }
      for await (const _ of g.Chat!(requests()) as AsyncIterable<unknown>) {
        received++
        const w = wake
        wake = undefined
        w?.()
      }
      return received
    },
    close: () => channel.close(),
  }
}

function rawCalls(port: number): Calls {
  const s = schema()
  const bytes = (type: string, value: unknown) => Buffer.from(encodeOrThrow(s.template(type), value as never))
  const [helloBytes, bookBytes, repliesBytes] = [bytes('bench.grpc.HelloRequest', hello), bytes('bench.b.AddressBook', book), (count: number) => bytes('bench.grpc.RepliesRequest', { name: 'Alice', count })]
  const c = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure())
  const id = (b: Buffer) => b
  const unary = (path: string, b: Buffer) => () => new Promise((resolve, reject) => c.makeUnaryRequest(path, id, id, b, (e, r) => (e ? reject(e) : resolve(r))))
  return {
    sayHello: unary('/bench.grpc.Bench/SayHello', helloBytes),
    echo: unary('/bench.grpc.Bench/Echo', bookBytes),
    replies: (count) => streamed(c.makeServerStreamRequest('/bench.grpc.Bench/Replies', id, id, repliesBytes(count))),
    chat: (until) => bidi(c.makeBidiStreamRequest('/bench.grpc.Bench/Chat', id, id) as grpc.ClientDuplexStream<unknown, unknown>, until, helloBytes),
    close: () => c.close(),
  }
}

interface Cell {
  readonly id: string
  readonly unit: 'calls/s' | 'messages/s'
  readonly run: (c: Calls, ms: number) => Promise<number>
}

/** Calls/s with `inflight` calls outstanding for `ms`. */
async function unaryRate(call: () => Promise<unknown>, inflight: number, ms: number): Promise<number> {
  const start = hr()
  const end = start + BigInt(ms * 1e6)
  let n = 0
  const loop = async () => {
    while (hr() < end) {
      await call()
      n++
    }
  }
  await Promise.all(Array.from({ length: inflight }, loop))
  return n / (Number(hr() - start) / 1e9)
}

const CELLS: readonly Cell[] = [
  { id: 'unary, small, 1 in flight', unit: 'calls/s', run: (c, ms) => unaryRate(c.sayHello, 1, ms) },
  { id: 'unary, small, 32 in flight', unit: 'calls/s', run: (c, ms) => unaryRate(c.sayHello, 32, ms) },
  { id: 'unary, address book echoed, 1 in flight', unit: 'calls/s', run: (c, ms) => unaryRate(c.echo, 1, ms) },
  { id: 'unary, address book echoed, 32 in flight', unit: 'calls/s', run: (c, ms) => unaryRate(c.echo, 32, ms) },
  {
    id: 'server streaming, small replies',
    unit: 'messages/s',
    run: async (c, ms) => {
      const start = hr()
      const end = start + BigInt(ms * 1e6)
      let n = 0
      while (hr() < end) n += await c.replies(2000)
      return n / (Number(hr() - start) / 1e9)
    },
  },
  {
    id: 'bidirectional, a reply a request',
    unit: 'messages/s',
    run: async (c, ms) => {
      const start = hr()
      const n = await c.chat(start + BigInt(ms * 1e6))
      return n / (Number(hr() - start) / 1e9)
    },
  },
]

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** The servers' process, and its ports once it prints them. */
async function startServers(): Promise<{ ports: Record<Name, number>; stop: () => void }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./grpc-server.js', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] })
  const ports = await new Promise<Record<Name, number>>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) resolve(JSON.parse(out) as Record<Name, number>)
    })
    child.on('exit', (code) => reject(new Error(`the gRPC bench's servers exited (${code})`)))
  })
  return { ports, stop: () => child.stdin!.end() }
}

export interface GrpcRow {
  readonly cell: string
  readonly unit: string
  readonly rates: Record<Name, number>
}

const fmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0))

function table(head: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)))
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n')
}

/** Checks that every contestant's calls answer what they should, before anything is timed. */
async function check(calls: Record<Name, Calls>): Promise<void> {
  for (const name of ['proto-loader', 'protoplate'] as const) {
    const c = calls[name]
    if (!isDeepStrictEqual(await c.echo(), book)) throw new Error(`${name}: the echo is not the address book`)
    if (!isDeepStrictEqual(await c.sayHello(), { message: 'Hello, Alice!' })) throw new Error(`${name}: SayHello`)
  }
  for (const name of NAMES) {
    if ((await calls[name].replies(10)) !== 10) throw new Error(`${name}: Replies`)
    if ((await calls[name].chat(hr() + 10_000_000n)) < 1) throw new Error(`${name}: Chat`)
  }
}

/** Runs the gRPC cells and prints their tables; gives the figures. */
export async function grpcBench(rounds: number, sliceMs: number): Promise<{ rows: GrpcRow[]; time: unknown[] }> {
  const { ports, stop } = await startServers()
  const calls: Record<Name, Calls> = { 'proto-loader': protoLoaderCalls(ports['proto-loader']), protoplate: protoplateCalls(ports.protoplate), 'no codec': rawCalls(ports['no codec']) }
  try {
    await check(calls)
    const bookSize = encodeOrThrow(schema().template('bench.b.AddressBook'), book as never).length
    console.log(`gRPC on loopback: servers in another process, grpc-js ${grpcVersion()} with default options; the address book is ${bookSize} bytes`)
    console.log(`${rounds} rounds of ${sliceMs} ms per contestant and cell, interleaved, after a warm-up; medians\n`)
    const rows: GrpcRow[] = []
    for (const cell of CELLS) {
      const got: Record<Name, number[]> = { 'proto-loader': [], protoplate: [], 'no codec': [] }
      for (const name of NAMES) await cell.run(calls[name], sliceMs) // warm-up
      for (let r = 0; r < rounds; r++) for (const name of r % 2 === 0 ? NAMES : [...NAMES].reverse()) got[name].push(await cell.run(calls[name], sliceMs))
      rows.push({ cell: cell.id, unit: cell.unit, rates: { 'proto-loader': median(got['proto-loader']), protoplate: median(got.protoplate), 'no codec': median(got['no codec']) } })
    }
    console.log(
      table(
        ['cell', 'unit', ...NAMES, 'protoplate ÷ proto-loader'],
        rows.map((r) => [r.cell, r.unit, ...NAMES.map((n) => fmt(r.rates[n])), `${(r.rates.protoplate / r.rates['proto-loader']).toFixed(2)}×`]),
      ),
    )
    const time = whereTheTimeGoes(rows)
    return { rows, time }
  } finally {
    for (const c of Object.values(calls)) c.close()
    stop()
  }
}

/**
 * Where a call's time goes: above the no-codec floor (what grpc-js itself
 * costs a call, with 1 in flight) is what the codec costs, and the four
 * (de)serializations of a call, timed alone in a fresh process
 * (bench/grpc-codecs.ts), say the same from the other side.
 */
function whereTheTimeGoes(rows: readonly GrpcRow[]): unknown[] {
  const alone = JSON.parse(execFileSync(process.execPath, [fileURLToPath(new URL('./grpc-codecs.js', import.meta.url))], { encoding: 'utf8' })) as Record<string, Record<string, number>>
  const out: { message: string; contestant: Name; callMicros: number; aboveFloor: number; share: number; codecAlone: number | undefined }[] = []
  for (const [message, cell] of [
    ['small', 'unary, small, 1 in flight'],
    ['address book', 'unary, address book echoed, 1 in flight'],
  ] as const) {
    const row = rows.find((r) => r.cell === cell)!
    const floor = 1e6 / row.rates['no codec']
    for (const name of NAMES) {
      const callMicros = 1e6 / row.rates[name]
      const aboveFloor = Math.max(0, callMicros - floor)
      out.push({ message, contestant: name, callMicros, aboveFloor, share: aboveFloor / callMicros, codecAlone: alone[name]?.[message] })
    }
  }
  console.log('\nWhere the time goes: a call with 1 in flight; above the no-codec floor is the codec, and the four (de)serializations of a call timed alone agree\n')
  console.log(
    table(
      ['message', 'contestant', 'µs per call', 'µs above no codec', 'share of the call', '4 (de)serializations alone, µs'],
      out.map((o) => [o.message, o.contestant, o.callMicros.toFixed(0), o.aboveFloor.toFixed(0), `${(o.share * 100).toFixed(0)}%`, o.codecAlone === undefined ? '—' : o.codecAlone.toFixed(1)]),
    ),
  )
  return out
}

function grpcVersion(): string {
  return (createRequire(import.meta.url)('@grpc/grpc-js/package.json') as { version: string }).version
}
