/**
 * The examples of docs/errors.md are real: each row whose example is bytes
 * of the page's `person` template, written out in full (`0a 03 41 64` →
 * `truncated (…)`), decodes to exactly that error message, and writes each
 * field of person (and of its phones) with the wire type the template
 * gives it, so that an example fails for the reason it shows and not
 * because a field went unrecognised. And docs/guide.md's protoc command
 * runs as written.
 */
import test from 'ava'
import * as E from 'fp-ts/lib/Either.js'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { decode, enumeration, message, repeatedEmbedded, string, unsigned32 } from '../src/index.js'
import { hex } from './helpers.js'
import { haveProtoc } from './protoc.js'

const page = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')

// The template the page names, as it writes it.
const person = message({
  name: string(1),
  id: unsigned32(2),
  phones: repeatedEmbedded(4, message({ number: string(1), kind: enumeration('kind', { mobile: 0, home: 1 })(2) })),
})

// The wire types of the template's fields, by field number: person's, and a phone's.
const personWireTypes = new Map([[1, 2], [2, 5], [4, 2]])
const phoneWireTypes = new Map([[1, 2], [2, 0]])

/** The fields of `b[at, end)` whose wire type is not their template's; stops where the bytes stop making sense. */
function misfits(b: Uint8Array, at: number, end: number, wireTypes: Map<number, number>, out: string[] = []): string[] {
  let pos = at
  const varint = (): number | undefined => {
    let v = 0
    for (let i = 0; i < 10 && pos < end; i++) {
      const x = b[pos++]!
      v += (x & 0x7f) * 2 ** (7 * i)
      if (x < 0x80) return v
    }
    return undefined
  }
  while (pos < end) {
    const tag = varint()
    if (tag === undefined) break
    const n = Math.floor(tag / 8)
    const wt = tag % 8
    const want = wireTypes.get(n)
    // A group or invalid wire type is the error an example shows; a payload of another type is a mistake.
    if (want !== undefined && want !== wt && (wt === 0 || wt === 1 || wt === 2 || wt === 5)) out.push(`field ${n} at byte ${at}… has wire type ${wt}, not ${want}`)
    if (wt === 0) {
      if (varint() === undefined) break
    } else if (wt === 1) pos += 8
    else if (wt === 5) pos += 4
    else if (wt === 2) {
      const len = varint()
      if (len === undefined) break
      if (wireTypes === personWireTypes && n === 4) misfits(b, pos, Math.min(pos + len, end), phoneWireTypes, out)
      pos += len
    } else break
  }
  return out
}

test('docs/errors.md names the template these examples decode with', (t) => {
  t.true(page.includes("`person = message({ name: string(1), id: unsigned32(2), phones: repeatedEmbedded(4, message({ number: string(1), kind: enumeration('kind', { mobile: 0, home: 1 })(2) })) })`"))
})

test("docs/errors.md: each example of bytes for person gives the error it shows", (t) => {
  // A table row of the Kinds section: | `kind` | when | `bytes` → `message` |
  const rows = [...page.matchAll(/^\| `([a-z0-9-]+)` \|[^|]*\| `((?:[0-9a-f]{2} ?)+)` → `([^`]+)` \|$/gm)]
  t.true(rows.length >= 7, `${rows.length} rows`)
  for (const [, kind, bytes, expected] of rows) {
    const b = hex(bytes!)
    t.deepEqual(misfits(b, 0, b.length, personWireTypes), [], bytes)
    const r = decode(person, b)
    t.true(E.isLeft(r), `${bytes} decodes`)
    if (E.isLeft(r)) {
      t.is(r.left.kind as string, kind!, bytes)
      t.is(r.left.message, expected!, bytes)
    }
  }
})

test("the guide's protoc check runs as written (after its npm run build), and protoc reads the XML example's bytes", async (t) => {
  if (!haveProtoc()) {
    // The peer tests say why protoc must be here; this one only checks the guide's text.
    t.fail('protoc is not on the PATH (scripts/test.sh installs it)')
    return
  }
  const guide = readFileSync(new URL('../../docs/guide.md', import.meta.url), 'utf8')
  const block = /```sh\nnpm run build\n(node --input-type=module -e "[^`]*--decode=XMLFile examples\/xml\.proto)\n```/.exec(guide)
  t.truthy(block, 'the command is in docs/guide.md')
  const { stdout } = await promisify(execFile)('bash', ['-c', `set -o pipefail\n${block![1]!}`], { cwd: fileURLToPath(new URL('../../', import.meta.url)) })
  t.true(stdout.startsWith('elements {\n  name: "space1"\n  attributes {\n    key: "foo"\n    atom_value: "1"\n  }\n'), stdout)
  t.regex(stdout, /float_value: 3\.1415\n[\s\S]*int_value: -14\n[\s\S]*atom: "more stuff for you"/)
})
