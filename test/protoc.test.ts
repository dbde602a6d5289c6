/**
 * protoc as a peer: for generated templates, the matching proto2 schema is
 * written out; `protoc --decode` must read protoplate's bytes as the same
 * values, and the bytes `protoc --encode` makes from text format must
 * decode in protoplate to the same values.
 *
 * Needs `protoc` (Debian: protobuf-compiler); `.ci/run` installs it.
 * PROTOPLATE_PROTOC_CASES sets the number of cases (default 400),
 * PROTOPLATE_SEED the seed.
 */
import test from 'ava'
import * as fc from 'fast-check'
import { arbitrary } from '../src/testing.js'
import { type Built, compile, forSchemas, templateCase } from './gen.js'
import { enc, SEED } from './helpers.js'
import { batch, haveProtoc, misreadCases, namesOf, show, normalize, parseText, protoc, schema, text, trees, unbatch } from './protoc.js'

const CASES = Number(process.env['PROTOPLATE_PROTOC_CASES'] ?? 400)

interface Case {
  readonly built: Built
  readonly value: unknown
}

const cases: Case[] = fc.sample(
  templateCase.chain(([spec, seed]) => {
    // A schema has no place for captured unknown fields.
    const built = compile(forSchemas(spec), seed)
    return arbitrary(built.template).map((value) => ({ built, value }))
  }),
  { numRuns: CASES, seed: SEED },
)

const needsProtoc = (t: import('ava').ExecutionContext): boolean => {
  if (haveProtoc()) return true
  t.fail('protoc is not installed: apt-get install -y protobuf-compiler (.ci/run does this)')
  return false
}

const proto = schema(cases.map((c) => c.built))
const expected = trees(
  cases.map((c) => c.built),
  cases.map((c) => c.value),
)

test(`protoc --decode reads protoplate's bytes as the same values: ${CASES} generated templates (seed ${SEED})`, (t) => {
  if (!needsProtoc(t)) return
  const out = protoc(proto, 'decode', batch(cases.map((c) => enc(c.built.template, c.value)))).toString('utf8')
  const read = parseText(out)
  const failures: string[] = []
  cases.forEach((c, i) => {
    const names = namesOf(c.built)
    const entry = read.find((e) => e.name === `c${i}`)
    const got = entry !== undefined && 'message' in entry ? normalize(entry.message, c.built, names) : '(absent)'
    const want = normalize(expected[i]!, c.built, names)
    if (got !== want) failures.push(`case ${i}: value ${show(c.value)}\nwant ${want}\ngot  ${got}`)
  })
  t.is(failures.length, 0, `${failures.slice(0, 3).join('\n\n')}\n\nschema:\n${proto.slice(0, 4000)}`)
})

test(`protoc --encode's bytes decode in protoplate to the same values: ${CASES} generated templates (seed ${SEED})`, (t) => {
  if (!needsProtoc(t)) return
  const input = expected.map((tr, i) => `c${i} {\n${text(tr, '  ')}}\n`).join('')
  const parts = unbatch(new Uint8Array(protoc(proto, 'encode', input)), cases.length)
  const failures = misreadCases(cases, parts)
  t.is(failures.length, 0, failures.slice(0, 3).join('\n\n'))
})
