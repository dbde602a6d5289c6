/**
 * Bytes allocated per encode and per decode, for every contestant and
 * message. Run by bench/run.ts as
 *   node --expose-gc --min-semi-space-size=256 --max-semi-space-size=256 dist/bench/memory.js
 * With a young generation that large, a run of operations allocates without
 * a single garbage collection, so the growth of the V8 heap (plus array
 * buffers, which live outside it) over the run, divided by the operations,
 * is what one operation allocates. A run in which a collection happened
 * anyway is measured again, shorter. Prints JSON: { table, rows }.
 */
import { PerformanceObserver } from 'node:perf_hooks'
import { type Bench, benches } from './libs.js'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with --expose-gc')

let collections = 0
new PerformanceObserver((list) => {
  collections += list.getEntries().length
}).observe({ entryTypes: ['gc'] })
// GC entries arrive asynchronously: let them in before reading the count.
const settle = () => new Promise((resolve) => setTimeout(resolve, 5))

const args = process.argv.slice(2)
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : undefined

const keep: unknown[] = []

async function perOp(fn: () => unknown): Promise<number> {
  // Warm up to the optimized code, whose allocation is what counts.
  const warmEnd = Date.now() + 300
  while (Date.now() < warmEnd) keep[0] = fn()
  let n = 64
  for (let attempt = 0; attempt < 12; attempt++) {
    gc!()
    await settle()
    const before = collections
    const m0 = process.memoryUsage()
    for (let i = 0; i < n; i++) keep[0] = fn()
    const m1 = process.memoryUsage()
    await settle()
    const bytes = m1.heapUsed - m0.heapUsed + (m1.arrayBuffers - m0.arrayBuffers)
    if (collections !== before) {
      n = Math.max(1, n >> 1)
      continue
    }
    const per = bytes / n
    // Grow the run until it allocates ~32 MB, for a stable figure.
    if (bytes < 16 * 2 ** 20 && n < 1 << 20) {
      n = Math.min(1 << 20, Math.ceil((32 * 2 ** 20) / Math.max(per, 16)))
      continue
    }
    return per
  }
  return Number.NaN
}

interface Row {
  readonly message: string
  readonly op: 'encode' | 'decode'
  readonly contestant: string
  readonly bytesPerOp: number
  readonly messageBytes: number
}

const rows: Row[] = []
const all: Bench[] = (await benches()).filter((b) => only === undefined || only.includes(b.id))
for (const b of all) {
  for (const op of ['encode', 'decode'] as const) {
    for (const c of b.contestants) {
      rows.push({ message: b.id, op, contestant: c.name, bytesPerOp: await perOp(op === 'encode' ? c.encode : c.decode), messageBytes: b.bytes.length })
    }
  }
}

const names = [...new Set(rows.map((r) => r.contestant))]
const head = ['message', 'op', 'wire bytes', ...names]
const body: string[][] = []
for (const b of all) {
  for (const op of ['encode', 'decode'] as const) {
    body.push([
      b.id,
      op,
      String(b.bytes.length),
      ...names.map((n) => {
        const r = rows.find((x) => x.message === b.id && x.op === op && x.contestant === n)!
        return Number.isNaN(r.bytesPerOp) ? '?' : Math.round(r.bytesPerOp).toString()
      }),
    ])
  }
}
const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)))
const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`
const table = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n')
process.stdout.write(JSON.stringify({ table, rows }))
