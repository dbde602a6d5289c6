/**
 * The examples of `npm run demo`, run as tests: each checks its own round
 * trips and, where SWI-Prolog's bytes are known, that it writes exactly
 * those; here a failed check fails the test. Each runs in both forms
 * (code generation on, then off), and must print the same lines.
 */
import test from 'ava'
import { demos } from '../examples/demos.js'
import { interpreted } from './helpers.js'

for (const d of demos) {
  test(d.title, (t) => {
    const lines: string[] = []
    d.run((line) => lines.push(line))
    // Every example shows the bytes it wrote, in hex.
    t.true(lines.some((l) => /\b[0-9a-f]{2}( [0-9a-f]{2}){2,}/.test(l)), lines.join('\n'))
    const slow: string[] = []
    interpreted(() => d.run((line) => slow.push(line)))
    t.deepEqual(slow, lines, 'the interpreter prints what the compiled code does')
  })
}

test('the examples that SWI-Prolog has bytes for are checked against them', (t) => {
  const lines: string[] = []
  for (const d of demos) d.run((line) => lines.push(line))
  t.true(lines.filter((l) => l.includes("= SWI-Prolog's bytes")).length >= 8)
})
