/**
 * What bounds message C (10,000 doubles and 10,000 sint64) from below in
 * JavaScript, beside the bench's memcpy floor: a loop that only looks at
 * each byte of the varint run once (counting those under 128, the least
 * any varint decoder must do), against the copy of the whole message and
 * protoplate's decode and encode with typed arrays. Each is timed alone,
 * in a process of its own, for a second (docs/performance.md, "Against
 * the targets").
 *
 *   npm run build && node dist/bench/floors.js
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { decodeOrThrow, encodeOrThrow, message, packed, integer } from '../src/index.js'
import { vectorTyped, vectorTypedValue, vectorValue } from './data.js'

const CELLS = ['memcpy of the message', 'byte scan of the varint run', 'decode, typed arrays', 'encode, typed arrays'] as const

function run(cell: string): number {
  const value = vectorTypedValue(vectorValue())
  const bytes = encodeOrThrow(vectorTyped, value)
  const counts = encodeOrThrow(message({ counts: packed(2, integer, { typed: true }) }), { counts: value.counts })
  let sink = 0
  const ops: Record<string, () => void> = {
    'memcpy of the message': () => void (sink += bytes.slice().length),
    'byte scan of the varint run': () => {
      let n = 0
      for (let p = 3; p < counts.length; p++) if (counts[p]! < 128) n++
      sink += n
    },
    'decode, typed arrays': () => void (sink += decodeOrThrow(vectorTyped, bytes).counts.length),
    'encode, typed arrays': () => void (sink += encodeOrThrow(vectorTyped, value).length),
  }
  const op = ops[cell]!
  for (let i = 0; i < 2000; i++) op()
  const start = process.hrtime.bigint()
  let n = 0
  while (process.hrtime.bigint() - start < 1_000_000_000n) {
    for (let i = 0; i < 50; i++) op()
    n += 50
  }
  if (sink === 0) throw new Error('nothing was done')
  return 1e6 / n
}

const cell = process.argv[2]
if (cell !== undefined) process.stdout.write(`${run(cell)}\n`)
else {
  const self = fileURLToPath(import.meta.url)
  console.log(`C: microseconds per operation, each alone in a process, three turns (${process.version})`)
  for (const c of CELLS) {
    const times = [0, 1, 2].map(() => Number(spawnSync(process.execPath, [self, c], { encoding: 'utf8' }).stdout))
    console.log(`${c.padEnd(30)} ${times.map((t) => t.toFixed(1).padStart(7)).join(' ')}`)
  }
}
