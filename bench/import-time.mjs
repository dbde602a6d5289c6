// How long `await import(...)` of an entry takes in a fresh Node: each
// sample is a new process that times its one dynamic import with
// performance.now() (module resolution, loading, evaluation; not Node's own
// start-up). The entries take turns, round after round, so that a slow
// stretch of the machine falls on all of them; the median of each is shown.
//
//   npm run build && node bench/import-time.mjs [rounds=41] [extra entries…]
//
// An extra entry is a path (such as another checkout's dist/src/index.js)
// or a package specifier.
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = new URL('..', import.meta.url)
const [roundsArg, ...extra] = process.argv.slice(2)
const rounds = Number(roundsArg ?? 41)
const entries = [
  ['protoplate', 'protoplate'],
  ['protoplate/testing', 'protoplate/testing'],
  ['protobufjs (full: with the .proto parser)', 'protobufjs'],
  ['protobufjs/light (reflection, no parser)', 'protobufjs/light.js'],
  ['protobufjs/minimal (for generated code)', 'protobufjs/minimal.js'],
  ['fast-check', 'fast-check'],
  ...extra.map((e) => [e, /^[./]/.test(e) ? pathToFileURL(resolve(e)).href : e]),
]

const times = new Map(entries.map(([name]) => [name, []]))
for (let i = 0; i < rounds; i++) {
  for (const [name, spec] of entries) {
    const code = `const t0 = performance.now(); await import(${JSON.stringify(spec)}); console.log(performance.now() - t0)`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' })
    times.get(name).push(Number(out.trim()))
  }
}
const q = (xs, p) => xs[Math.round(p * (xs.length - 1))]
console.log(`node ${process.version}, ${rounds} rounds; ms: median (quartiles)`)
for (const [name, xs] of times) {
  xs.sort((a, b) => a - b)
  console.log(`${name.padEnd(48)} ${q(xs, 0.5).toFixed(1).padStart(6)}  (${q(xs, 0.25).toFixed(1)}–${q(xs, 0.75).toFixed(1)})`)
}
