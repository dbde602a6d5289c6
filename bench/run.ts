/**
 * `npm run bench`: encode and decode of messages A–D by protoplate, its
 * peers and a hand-written codec, in one process. Every contestant's bytes
 * are checked against the others' first. Then, after a warm-up, rounds
 * interleave the contestants (in a new order each round), each running for
 * a time slice; the figures are the median over rounds with the spread
 * (lowest–highest round), ops/s and MB/s, and the ratios to the fastest
 * peer and to the hand-written codec (taken within each round, then the
 * median over rounds). Allocation per operation is measured in a
 * child process (bench/memory.ts) with the flags it needs. Then the gRPC
 * cells (bench/grpc.ts): calls/s and messages/s on loopback, protoplate/grpc
 * against @grpc/proto-loader. The JSON cells (bench/json.ts) come before
 * them: A, B and C to and from JSON against protobuf-es and protobufjs.
 *
 *   node dist/bench/run.js [--rounds N] [--slice MS] [--only A,C,json,grpc] [--json FILE] [--no-memory] [--baseline DIR]
 *                          [--grpc-rounds N] [--grpc-slice MS]
 *
 * `--baseline DIR` runs another build of protoplate (DIR is its `dist`)
 * beside this one, as one more contestant: a change's before and after,
 * compared within each round.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { cpus, platform, release, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { loadProto } from '../schema/index.js'
import { type Bench, benches, check, type Contestant } from './libs.js'

const args = process.argv.slice(2)
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`)
  return i < 0 ? undefined : args[i + 1]
}
const ROUNDS = Number(opt('rounds') ?? 31)
const SLICE_MS = Number(opt('slice') ?? 20)
const ONLY = opt('only')?.split(',')
const JSON_OUT = opt('json')
const MEMORY = !args.includes('--no-memory')
const BASELINE = opt('baseline')
const GRPC = ONLY === undefined || ONLY.includes('grpc')
const JSON_CELLS = ONLY === undefined || ONLY.includes('json')
const GRPC_ROUNDS = Number(opt('grpc-rounds') ?? 5)
const GRPC_SLICE_MS = Number(opt('grpc-slice') ?? 400)

/** Keeps results alive, so no engine can skip the work. */
let sink = 0

/** Runs `fn` for about `ms` milliseconds; returns operations per second. */
function rate(fn: () => unknown, ms: number): number {
  let n = 0
  let batch = 1
  const start = process.hrtime.bigint()
  const budget = BigInt(Math.round(ms * 1e6))
  let elapsed = 0n
  while (elapsed < budget) {
    for (let i = 0; i < batch; i++) {
      const r = fn()
      sink ^= (r as { length?: number }).length ?? 1
    }
    n += batch
    elapsed = process.hrtime.bigint() - start
    if (elapsed < budget / 10n) batch *= 2
  }
  return n / (Number(elapsed) / 1e9)
}

function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs]
  let s = seed
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

interface Row {
  readonly message: string
  readonly op: 'encode' | 'decode'
  readonly contestant: string
  readonly role: Contestant['role']
  readonly opsPerSec: number
  readonly low: number
  readonly high: number
  readonly mbPerSec: number
  /** ops/s over the fastest peer's in the same round, median over rounds. */
  readonly vsFastestPeer: number
  /** ops/s over the hand-written codec's in the same round, median over rounds. */
  readonly vsHandWritten: number
  /** ops/s over protoplate's (the hand-written template's) in the same round, median over rounds. */
  readonly vsProtoplate: number
  /** ops/s over a plain copy of the bytes in the same round, median over rounds (NaN where the message has no floor). */
  readonly vsFloor: number
}

function measure(b: Bench, op: 'encode' | 'decode'): Row[] {
  const fns = b.contestants.map((c) => ({ c, fn: op === 'encode' ? c.encode : c.decode }))
  // Warm-up: long enough for every function to reach its optimized form.
  for (const { fn } of fns) rate(fn, 200)
  const samples = new Map<string, number[]>(fns.map(({ c }) => [c.name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    for (const { c, fn } of shuffle(fns, round * 7919 + op.length)) samples.get(c.name)!.push(rate(fn, SLICE_MS))
  }
  // Ratios are taken within each round, then the median over rounds: this
  // machine's speed drifts by up to 2× over seconds (other tenants, clock),
  // and a round is short enough that its contestants see the same machine.
  const peers = b.contestants.filter((c) => c.role === 'peer').map((c) => samples.get(c.name)!)
  const hand = samples.get('hand-written')!
  const protoplate = samples.get('protoplate')!
  const floor = b.contestants.find((c) => c.role === 'floor')
  const floorSamples = floor === undefined ? undefined : samples.get(floor.name)!
  const rounds = [...Array(ROUNDS).keys()]
  const fastestPeer = rounds.map((r) => Math.max(...peers.map((s) => s[r]!)))
  return b.contestants.map((c) => {
    const s = samples.get(c.name)!
    const ops = median(s)
    return {
      message: b.id,
      op,
      contestant: c.name,
      role: c.role,
      opsPerSec: ops,
      low: Math.min(...s),
      high: Math.max(...s),
      mbPerSec: (ops * b.bytes.length) / 1e6,
      vsFastestPeer: median(rounds.map((r) => s[r]! / fastestPeer[r]!)),
      vsHandWritten: median(rounds.map((r) => s[r]! / hand[r]!)),
      vsProtoplate: median(rounds.map((r) => s[r]! / protoplate[r]!)),
      vsFloor: floorSamples === undefined ? Number.NaN : median(rounds.map((r) => s[r]! / floorSamples[r]!)),
    }
  })
}

const fmtOps = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0))

function table(rows: readonly Row[]): string {
  const head = ['message', 'op', 'contestant', 'ops/s', 'spread', 'MB/s', '× fastest peer', '× hand-written', '× protoplate', '× memcpy']
  const body = rows.map((r) => [
    r.message,
    r.op,
    r.contestant,
    fmtOps(r.opsPerSec),
    `${(((r.low - r.opsPerSec) / r.opsPerSec) * 100).toFixed(0)}% +${(((r.high - r.opsPerSec) / r.opsPerSec) * 100).toFixed(0)}%`,
    r.mbPerSec.toFixed(1),
    r.vsFastestPeer.toFixed(2),
    r.vsHandWritten.toFixed(2),
    r.vsProtoplate.toFixed(2),
    Number.isNaN(r.vsFloor) ? '' : r.vsFloor.toFixed(2),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)))
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n')
}

const all = (await benches(BASELINE)).filter((b) => ONLY === undefined || ONLY.includes(b.id))
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${platform()} ${release()}`,
  node: process.version,
}
console.log(`protoplate benchmark — ${machine.cpu}, ${machine.cores} cores, ${machine.os}, Node ${machine.node}`)
console.log(`${ROUNDS} rounds of ${SLICE_MS} ms per contestant, interleaved, after a warm-up; median and spread over rounds\n`)
for (const b of all) {
  check(b)
  console.log(`${b.id}: ${b.title}, ${b.bytes.length} bytes — every contestant writes these bytes and reads them back`)
}
console.log()

const rows: Row[] = []
for (const b of all) {
  for (const op of ['encode', 'decode'] as const) {
    const r = measure(b, op)
    rows.push(...r)
    console.log(table(r))
    console.log()
  }
}

/**
 * Loading the conformance suite's proto3 test messages with their imports
 * (the well-known types): the first load includes loading the .proto
 * parser itself; the others are a schema made anew from the text each time.
 */
function loadTimes(): { first: number; median: number; runs: number } | undefined {
  const include = fileURLToPath(new URL('../../.conformance/include/', import.meta.url))
  if (!existsSync(`${include}google/protobuf/test_messages_proto3.proto`)) return undefined
  const once = () => {
    const start = process.hrtime.bigint()
    const schema = loadProto('google/protobuf/test_messages_proto3.proto', { includePaths: [include] })
    sink ^= schema.template('protobuf_test_messages.proto3.TestAllTypesProto3') === undefined ? 1 : 0
    return Number(process.hrtime.bigint() - start) / 1e6
  }
  const first = once()
  const times = Array.from({ length: 20 }, once)
  return { first, median: median(times), runs: times.length }
}
const load = loadTimes()
console.log(
  load === undefined
    ? 'Loading test_messages_proto3.proto: skipped (no .conformance/include; scripts/conformance.sh sets it up)\n'
    : `Loading test_messages_proto3.proto with its imports (loadProto and its template): first ${load.first.toFixed(1)} ms (the parser loads), then ${load.median.toFixed(1)} ms (median of ${load.runs})\n`,
)

let memory: unknown
if (MEMORY && all.length > 0) {
  const script = fileURLToPath(new URL('./memory.js', import.meta.url))
  const out = execFileSync(process.execPath, ['--expose-gc', '--min-semi-space-size=256', '--max-semi-space-size=256', script, ...(ONLY ? ['--only', ONLY.join(',')] : [])], { encoding: 'utf8' })
  const result = JSON.parse(out) as { table: string; rows: unknown }
  console.log('Allocation per operation (bytes; V8 heap plus array buffers, in a run with no garbage collection)\n')
  console.log(result.table)
  memory = result.rows
}

let json: unknown
if (JSON_CELLS) {
  console.log()
  const { jsonBench } = await import('./json.js')
  json = await jsonBench(ROUNDS, SLICE_MS)
}

let grpc: unknown
if (GRPC) {
  console.log()
  // Loaded only now: grpc-js in the process would change what the message cells measure (their allocations above all).
  const { grpcBench } = await import('./grpc.js')
  grpc = await grpcBench(GRPC_ROUNDS, GRPC_SLICE_MS)
}

if (JSON_OUT !== undefined) {
  writeFileSync(JSON_OUT, JSON.stringify({ machine, rounds: ROUNDS, sliceMs: SLICE_MS, sizes: Object.fromEntries(all.map((b) => [b.id, b.bytes.length])), rows, load, memory, json, grpc }, null, 2))
  console.log(`\nfigures written to ${JSON_OUT}`)
}
if (sink === 0.5) console.log('') // the sink is read, so it is live
