/**
 * The code generated for a few templates, laid out for reading and
 * committed (test/snapshots/generated.js), so that a change to what the
 * emitters write shows in review. After a deliberate change, write the
 * file anew with `PROTOPLATE_UPDATE_SNAPSHOTS=1 npm test`.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import test from 'ava'
import { sourceOf } from '../src/compile.js'
import type { AnyTemplate } from '../src/core.js'
import * as P from '../src/index.js'
import { withHoles } from '../examples/some-message.js'
import { vector } from '../examples/vectors.js'
import { xmlFile } from '../examples/xml.js'

const kind = P.enumeration('kind', { mobile: 0, home: 1, work: 2 })
const person = P.message({
  name: P.string(1),
  id: P.signed32(2),
  email: P.optional(P.string(3)),
  kind: P.defaulted(kind(4)),
  scores: P.packed(5, P.float),
  contact: P.optional(P.oneof({ phone: P.string(6), fax: P.unsigned(7) })),
  version: P.unsigned(8, 2),
  legacy: P.group(9, [P.integer(1)]),
  counts: P.map(10, P.string, P.unsigned),
  rest: P.unknownFields(),
})

const templates: [string, AnyTemplate][] = [
  ['SomeMessage, with holes (SWI-Prolog manual)', withHoles],
  ['a person: optional, defaulted enum, packed floats, record oneof, constant, group, map, unknown fields', person],
  ['a vector of doubles', vector(P.double)],
  ['the XML file: user host types, lazy recursion, tuple oneof', xmlFile],
]

/** Generated code laid out one statement a line, indented by its braces: for reading, not for running. */
function layout(src: string): string {
  const lines: string[] = []
  let line = ''
  let depth = 0
  let parens = 0
  let quote: string | undefined
  const flush = (): void => {
    const l = line.trim()
    if (l !== '') lines.push('  '.repeat(Math.max(depth, 0)) + l)
    line = ''
  }
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!
    if (quote !== undefined) {
      line += c
      if (c === '\\') line += src[++i] ?? ''
      else if (c === quote) quote = undefined
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c
      line += c
    } else if (parens > 0 || c === '(' || c === '[' || c === ')' || c === ']') {
      if (c === '(' || c === '[') parens++
      if (c === ')' || c === ']') parens--
      line += c === '\n' ? ' ' : c
    } else if (c === '{') {
      line += '{'
      flush()
      depth++
    } else if (c === '}') {
      flush()
      depth--
      line = '}'
      if (!/^\s*(else|catch|finally|[,;)\]])/.test(src.slice(i + 1, i + 12))) flush()
    } else if (c === ';' || c === '\n') {
      line += c === ';' ? ';' : ''
      flush()
    } else {
      line += c
    }
  }
  flush()
  return lines.join('\n')
}

const file = new URL('../../test/snapshots/generated.js', import.meta.url)

test('the generated code of a few templates is the committed one', (t) => {
  const now = templates.map(([what, template]) => `// ${what}\n${layout(sourceOf(template.impl))}\n`).join('\n')
  if (process.env['PROTOPLATE_UPDATE_SNAPSHOTS'] === '1') writeFileSync(file, now)
  const committed = readFileSync(file, 'utf8')
  t.is(now, committed, 'the generated code changed: review it, then PROTOPLATE_UPDATE_SNAPSHOTS=1 npm test')
})
