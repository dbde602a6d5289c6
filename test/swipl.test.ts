/**
 * SWI-Prolog as a peer: generated templates and values, written as
 * `protobuf_message/2` terms, are encoded by one `swipl` process; protoplate
 * must write exactly SWI-Prolog's bytes and read them back as the same
 * values. Where SWI-Prolog is known to be wrong, the term is written so that
 * it gives the specification's bytes (test/prolog.ts says how), and the
 * defects themselves are pinned down below.
 *
 * Needs `swipl` (Debian: swi-prolog-nox); `.ci/run` installs it.
 * PROTOPLATE_SWI_CASES sets the number of cases (default 600),
 * PROTOPLATE_SEED the seed.
 */
import { isDeepStrictEqual } from 'node:util'
import test from 'ava'
import * as fc from 'fast-check'
import * as P from '../src/index.js'
import { deepEqual } from '../src/equal.js'
import { arbitrary } from '../src/testing.js'
import { compile, type HostName, hosts, templateCase } from './gen.js'
import { dec, enc, hex, SEED, toHex } from './helpers.js'
import { haveSwipl, list as prologList, swiDecode, swiEncode } from './prolog.js'

const CASES = Number(process.env['PROTOPLATE_SWI_CASES'] ?? 600)

const available = haveSwipl()
const needsSwipl = (t: import('ava').ExecutionContext): boolean => {
  if (available) return true
  t.fail('swipl is not installed: apt-get install -y swi-prolog-nox (.ci/run does this)')
  return false
}

const show = (x: unknown): string =>
  JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `bytes[${Array.from(v)}]` : v))

test(`protoplate writes SWI-Prolog's bytes for ${CASES} generated templates, and reads them back (seed ${SEED})`, (t) => {
  if (!needsSwipl(t)) return
  const samples = fc.sample(
    templateCase.chain(([spec, seed]) => {
      const built = compile(spec, seed)
      return arbitrary(built.template).map((value) => ({ spec, seed, built, value }))
    }),
    { numRuns: CASES, seed: SEED },
  )
  const terms = samples.map((c) => c.built.prolog(c.value))
  const swi = swiEncode(terms)
  let compared = 0
  const failures: string[] = []
  samples.forEach((c, i) => {
    const r = swi[i]!
    const context = () => `case ${i}: ${show(c.spec)} seed ${c.seed}\nvalue ${show(c.value)}\nterm ${terms[i]}`
    if (!r.ok) {
      failures.push(`${context()}\nSWI-Prolog: ${r.why}`)
      return
    }
    const ours = toHex(enc(c.built.template, c.value))
    if (ours !== r.hex) {
      failures.push(`${context()}\nprotoplate ${ours}\nSWI-Prolog ${r.hex}`)
      return
    }
    const bytes = Uint8Array.from(r.hex === '' ? [] : r.hex.split(' '), (h) => parseInt(h, 16))
    const back = dec(c.built.template, bytes)
    if (!isDeepStrictEqual(back, c.value)) failures.push(`${context()}\ndecoded ${show(back)}`)
    compared++
  })
  t.is(failures.length, 0, failures.slice(0, 3).join('\n\n'))
  t.is(compared, CASES)
  t.log(`${compared} templates: same bytes as SWI-Prolog, read back to the same values (seed ${SEED})`)
})

/** The host types a packed field can hold as a typed array. */
const vectorable = (Object.keys(hosts) as HostName[]).filter((name) => {
  try {
    P.packed(1, hosts[name] as never, { typed: true })
    return true
  } catch (e) {
    if (e instanceof P.TemplateError) return false
    throw e
  }
})

test('typed arrays: protoplate writes SWI-Prolog\'s bytes for random vectors of every type that has one, and reads its packed and unpacked bytes into the same typed arrays', (t) => {
  if (!needsSwipl(t)) return
  t.true(vectorable.length >= 14, `typed arrays for ${vectorable.join(', ')}`)
  const cases = vectorable.flatMap((name) => {
    const template = P.protobuf([P.packed(1, hosts[name] as never, { typed: true })]) as P.Template<readonly [ArrayLike<unknown>]>
    return fc.sample(arbitrary(template), { numRuns: Math.max(4, Math.floor(CASES / 40)), seed: SEED }).map((value) => ({ name, template, value }))
  })
  const failures: string[] = []
  for (const kind of ['packed', 'repeated'] as const) {
    const terms = cases.map((c) => `protobuf([${prologList(kind, c.name, 1, Array.from(c.value[0]))}])`)
    swiEncode(terms).forEach((r, i) => {
      const c = cases[i]!
      const where = `${c.name} ${kind} ${show(Array.from(c.value[0]))}`
      if (!r.ok) return void failures.push(`${where}: SWI-Prolog ${r.why}`)
      if (kind === 'packed' && toHex(enc(c.template, c.value)) !== r.hex) failures.push(`${where}: protoplate ${toHex(enc(c.template, c.value))}, SWI-Prolog ${r.hex}`)
      const back = dec(c.template, hex(r.hex))
      if (!deepEqual(back, c.value)) failures.push(`${where}: read back as ${show(Array.from(back[0]))}`)
    })
  }
  t.deepEqual(failures.slice(0, 5), [])
  t.log(`${cases.length} vectors over ${vectorable.length} types, packed and unpacked`)
})

// The defects of SWI-Prolog 9's library(protobufs) that protoplate does not
// share, as measured here; docs/swi-prolog-differences.md lists them.

function swi(term: string): string {
  const r = swiEncode([term])[0]!
  return r.ok ? r.hex : r.why.split(' ')[0]!
}

test('SWI-Prolog defect: an empty message, embedded message or group does not encode', (t) => {
  if (!needsSwipl(t)) return
  t.is(swi('protobuf([])'), 'fail')
  t.is(swi('protobuf([embedded(1, protobuf([]))])'), 'fail')
  t.is(swi('protobuf([group(1, [])])'), 'fail')
  t.is(toHex(enc(P.protobuf([]))), '')
  t.is(toHex(enc(P.protobuf([P.embedded(1, P.protobuf([]))]))), '0a 00')
  t.is(toHex(enc(P.protobuf([P.group(1, P.protobuf([]))]))), '0b 0c')
})

test('SWI-Prolog defect: an empty packed list is written as tag 00; an empty repeated enum fails', (t) => {
  if (!needsSwipl(t)) return
  t.is(swi('protobuf([packed(1, unsigned([]))])'), '0a 00')
  t.is(swi('protobuf([repeated(1, enum(e_closed([])))])'), 'fail')
  t.is(toHex(enc(P.protobuf([P.packed(1, P.unsigned)]), [[]])), '')
  const e = P.enumeration('e', { a: 0 })
  t.is(toHex(enc(P.protobuf([P.repeated(1, e)]), [[]])), '')
})

test('SWI-Prolog defect: signed32 takes 2^32, and unsigned writes 2^64 as an 11-byte varint', (t) => {
  if (!needsSwipl(t)) return
  t.is(swi('protobuf([signed32(1, 4294967296)])'), '08 80 80 80 80 10')
  t.is(swi('protobuf([unsigned(1, 18446744073709551616)])'), '08 80 80 80 80 80 80 80 80 80 02')
  t.is(P.encode(P.protobuf([P.signed32(1)]), [2 ** 32])._tag, 'Left')
  t.is(P.encode(P.protobuf([P.unsignedBig(1)]), [2n ** 64n])._tag, 'Left')
})

test('where SWI-Prolog and protoplate agree on edge values', (t) => {
  if (!needsSwipl(t)) return
  const cases: [string, P.Template<any>, unknown][] = [
    ['protobuf([signed32(1, -1)])', P.protobuf([P.signed32(1)]), [-1]],
    ['protobuf([enum(1, e_closed(minus))])', P.protobuf([P.enumeration('e_closed', { minus: -5 })(1)]), ['minus']],
    ['protobuf([double(1, 1.5NaN), double(2, -0.0), float(3, -1.0Inf)])', P.protobuf([P.double(1), P.double(2), P.float(3)]), [NaN, -0, -Infinity]],
    ["protobuf([atom(1, 'a\\x1F600\\b'), utf8_codes(2, [0, 1114111])])", P.protobuf([P.atom(1), P.utf8Codes(2)]), ['a\u{1F600}b', [0, 0x10ffff]]],
    ['protobuf([integer(1, -9223372036854775808), unsigned(2, 18446744073709551615)])', P.protobuf([P.integerBig(1), P.unsignedBig(2)]), [-(2n ** 63n), 2n ** 64n - 1n]],
  ]
  for (const [term, template, value] of cases) t.is(toHex(enc(template, value)), swi(term), term)
})

test('a float beyond the f32 range is written rounded, as SWI-Prolog writes it', (t) => {
  if (!needsSwipl(t)) return
  const term = 'protobuf([float(1, 1.0e39), float(2, -1.0e39), float(3, 3.4028235e38), float(4, 3.4028235677973366e38)])'
  const expected = swi(term)
  t.is(expected, '0d 00 00 80 7f 15 00 00 80 ff 1d ff ff 7f 7f 25 00 00 80 7f')
  for (const on of [true, false]) {
    P.setCodeGeneration(on)
    try {
      const values = [1e39, -1e39, 3.4028235e38, 3.4028235677973366e38] as const
      t.is(toHex(enc(P.protobuf([P.float(1), P.float(2), P.float(3), P.float(4)]), values)), expected, `holes, code generation ${on ? 'on' : 'off'}`)
      t.is(toHex(enc(P.protobuf([P.float(1, values[0]), P.float(2, values[1]), P.float(3, values[2]), P.float(4, values[3])]))), expected, `constants, code generation ${on ? 'on' : 'off'}`)
    } finally {
      P.setCodeGeneration(true)
    }
  }
})

test('SWI-Prolog defect: its decode fails on what the specification says to accept; protoplate reads it', (t) => {
  if (!needsSwipl(t)) return
  const cases: [string, string, P.Template<any>, unknown][] = [
    // Fields out of template order.
    ['protobuf([unsigned(1, A), unsigned(2, B)])', '10 02 08 01', P.protobuf([P.unsigned(1), P.unsigned(2)]), [1, 2]],
    // An unknown field.
    ['protobuf([unsigned(1, A)])', '08 01 10 02', P.protobuf([P.unsigned(1)]), [1]],
    // A scalar that occurs twice: the last wins.
    ['protobuf([unsigned(1, A)])', '08 01 08 02', P.protobuf([P.unsigned(1)]), [2]],
    // Packed data for a repeated field, and unpacked for a packed one.
    ['protobuf([repeated(1, unsigned(A))])', '0a 02 01 02', P.protobuf([P.repeated(1, P.unsigned)]), [[1, 2]]],
    ['protobuf([packed(1, unsigned(A))])', '08 01 08 02', P.protobuf([P.packed(1, P.unsigned)]), [[1, 2]]],
    // An empty embedded message.
    ['protobuf([embedded(1, protobuf([]))])', '0a 00', P.protobuf([P.embedded(1, P.protobuf([]))]), []],
  ]
  for (const [term, bytes, template, value] of cases) {
    t.deepEqual(swiDecode(term, hex(bytes)), { ok: false, why: 'fail ' }, `${term} on ${bytes}`)
    t.deepEqual(dec(template, hex(bytes)), value, `${term} on ${bytes}`)
  }
})

test('SWI-Prolog defect: int32 −1 in 5 bytes decodes as 4294967295; protoplate reads −1', (t) => {
  if (!needsSwipl(t)) return
  const bytes = hex('08 ff ff ff ff 0f')
  t.deepEqual(swiDecode('protobuf([signed32(1, A)])', bytes), { ok: true, hex: 'protobuf([signed32(1,4294967295)])' })
  t.deepEqual(dec(P.protobuf([P.signed32(1)]), bytes), [-1])
})
