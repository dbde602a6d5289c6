/**
 * Writing templates and values as SWI-Prolog `protobuf_message/2` terms, and
 * running one `swipl` process over many of them. The test suite compares
 * protoplate's bytes with what SWI-Prolog 9 writes for the same template.
 *
 * SWI-Prolog cannot write three things the specification allows (see
 * docs/swi-prolog-differences.md); each is written here as a Prolog term
 * with the specification's bytes:
 * - an empty message (`protobuf([])`, an empty embedded message or group)
 *   fails: it is written as a message holding only an empty repeated field,
 *   which writes nothing;
 * - an empty packed list is written as `tag 00`, and an empty repeated
 *   enumeration fails: both are written as an empty repeated field.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as P from '../src/index.js'
import { encodeEscaped } from '../src/utf8.js'
import { joinBigUnsigned } from '../src/wire.js'
import type { HostName } from './gen.js'

/** SWI-Prolog's name for each host type (the twins and 32-bit aliases share their wire form). */
const swiType: Record<HostName, string> = {
  double: 'double',
  float: 'float',
  integer: 'integer',
  sint32: 'integer',
  unsigned: 'unsigned',
  uint32: 'unsigned',
  signed64: 'signed64',
  signed32: 'signed32',
  integer64: 'integer64',
  integer32: 'integer32',
  unsigned64: 'unsigned64',
  unsigned32: 'unsigned32',
  integerBig: 'integer',
  unsignedBig: 'unsigned',
  signed64Big: 'signed64',
  integer64Big: 'integer64',
  unsigned64Big: 'unsigned64',
  boolean: 'boolean',
  atom: 'atom',
  string: 'string',
  // SWI-Prolog's strings are text; `codes` writes the same payload, any bytes.
  unvalidatedString: 'codes',
  utf8Codes: 'utf8_codes',
  codes: 'codes',
  e_closed: 'enum',
  e_open: 'enum',
}

/** The members of the generated enumerations, as `protobufs:Name(Member, Number)` facts. */
export const enumerations: Record<string, Record<string, number>> = {
  e_closed: { zero: 0, one: 1, minus: -5, big: 1000 },
  e_open: { first: 1, second: 2 },
}

/** A double as a Prolog float literal that reads back as the same double. */
export function float(v: number): string {
  if (Number.isNaN(v)) return '1.5NaN'
  if (v === Number.POSITIVE_INFINITY) return '1.0Inf'
  if (v === Number.NEGATIVE_INFINITY) return '-1.0Inf'
  if (Object.is(v, -0)) return '-0.0'
  const [m, e] = String(v).split('e') as [string, string | undefined]
  return (m.includes('.') ? m : `${m}.0`) + (e === undefined ? '' : `e${e.replace('+', '')}`)
}

function quoted(s: string, q: "'" | '"'): string {
  let out = q
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '\\' || ch === q) out += `\\${ch}`
    else if (c >= 0x20 && c < 0x7f) out += ch
    // Not \x…\: SWI-Prolog 9 reads \xD8000\ to \xDFFFF\ as surrogates and fails.
    else out += c < 0x10000 ? `\\u${c.toString(16).padStart(4, '0')}` : `\\U${c.toString(16).padStart(8, '0')}`
  }
  return out + q
}

const bytesList = (b: ArrayLike<number>): string => `[${Array.from(b).join(',')}]`

/** One value of a host type as a Prolog term. */
function value(type: HostName, v: unknown): string {
  switch (type) {
    case 'double':
    case 'float':
      return float(v as number)
    case 'boolean':
      return String(v)
    case 'atom':
      return quoted(v as string, "'")
    case 'string':
      return quoted(v as string, '"')
    case 'unvalidatedString':
      return bytesList(encodeEscaped(v as string))
    case 'utf8Codes':
    case 'codes':
      return bytesList(v as number[])
    case 'e_closed':
    case 'e_open':
      return typeof v === 'number' ? String(v) : quoted(v as string, "'")
    default:
      return String(v) // numbers (safe integers) and bigints
  }
}

const enumNumber = (type: HostName, v: unknown): number => (typeof v === 'number' ? v : enumerations[type]![v as string]!)

/** A field of a host type with one value. An open enumeration's number is written as its int64 varint. */
export function scalar(type: HostName, tag: number, v: unknown): string {
  if (type === 'e_closed' || type === 'e_open') {
    return typeof v === 'number' ? `signed64(${tag}, ${v})` : `enum(${tag}, ${type}(${value(type, v)}))`
  }
  return `${swiType[type]}(${tag}, ${value(type, v)})`
}

/** A repeated or packed field. */
export function list(kind: 'repeated' | 'packed', type: HostName, tag: number, vs: readonly unknown[]): string {
  // SWI-Prolog writes an empty packed list as `tag 00` and fails on an empty enum list.
  if (vs.length === 0) return `repeated(${tag}, unsigned([]))`
  if (type === 'e_closed') return `${kind}(${tag}, enum(${type}([${vs.map((v) => value(type, v)).join(', ')}])))`
  if (type === 'e_open') return `${kind}(${tag}, signed64([${vs.map((v) => enumNumber(type, v)).join(', ')}]))`
  return `${kind}(${tag}, ${swiType[type]}([${vs.map((v) => value(type, v)).join(', ')}]))`
}

/** The list of fields of a message; SWI-Prolog fails on an empty one, so that holds an empty repeated field. */
export function fields(parts: readonly string[]): string {
  return parts.length === 0 ? '[repeated(1, unsigned([]))]' : `[${parts.join(', ')}]`
}

/** Captured unknown fields, as the Prolog fields that write the same bytes. */
export function rawFields(bytes: Uint8Array): string[] {
  const r = new P.Reader(bytes)
  return readRaw(r, undefined)
}

function readRaw(r: P.Reader, group: number | undefined): string[] {
  const out: string[] = []
  while (r.pos < r.end) {
    const tag = r.tag()
    const n = tag >>> 3
    switch (tag & 7) {
      case 0:
        r.varint64()
        out.push(`unsigned(${n}, ${joinBigUnsigned(r.lo, r.hi)})`)
        break
      case 1:
        r.fixed64()
        out.push(`unsigned64(${n}, ${joinBigUnsigned(r.lo, r.hi)})`)
        break
      case 2:
        out.push(`codes(${n}, ${bytesList(r.bytes())})`)
        break
      case 3:
        out.push(`group(${n}, ${fields(readRaw(r, n))})`)
        break
      case 4:
        if (n !== group) throw new Error(`unbalanced group in captured fields`)
        return out
      default:
        out.push(`unsigned32(${n}, ${r.fixed32()})`)
    }
  }
  return out
}

const prelude = `
:- use_module(library(protobufs)).
:- use_module(library(readutil)).
${Object.entries(enumerations)
  .flatMap(([e, members]) => Object.entries(members).map(([name, n]) => `protobufs:${e}(${name}, ${n}).`))
  .join('\n')}

hex([], []).
hex([B|Bs], [H|Hs]) :- ( B < 16 -> format(atom(H), '0~16r', [B]) ; format(atom(H), '~16r', [B]) ), hex(Bs, Hs).

run(Stream) :-
    read_term(Stream, T, []),
    (   T == end_of_file
    ->  true
    ;   T = case(Id, Template),
        (   catch(protobuf_message(Template, Wire), E, (message_to_codes(E, Id), fail))
        ->  hex(Wire, Hs), atomic_list_concat(Hs, ' ', A), format('~w ok ~w~n', [Id, A])
        ;   format('~w fail~n', [Id])
        ),
        run(Stream)
    ;   T = decode(Id, Template, Wire),
        (   catch(protobuf_message(Template, Wire), E, (message_to_codes(E, Id), fail))
        ->  format('~w ok ', [Id]), write_canonical(Template), nl
        ;   format('~w fail~n', [Id])
        ),
        run(Stream)
    ).

message_to_codes(E, Id) :- format('~w error ~q~n', [Id, E]).

main :- current_prolog_flag(argv, Argv), last(Argv, File), open(File, read, S), run(S), close(S).
:- initialization(main, main).
`

/** What SWI-Prolog made of one term: its bytes in hex, or why not. */
export type SwiResult = { readonly ok: true; readonly hex: string } | { readonly ok: false; readonly why: string }

/**
 * Decode bytes with a Prolog template that has variables; gives the
 * template as SWI-Prolog bound it (`write_canonical`), or why not.
 */
export function swiDecode(template: string, bytes: Uint8Array): SwiResult {
  return runSwipl([`decode(0, ${template}, ${bytesList(bytes)}).\n`])[0]!
}

/** Whether `swipl` can be run here. */
export function haveSwipl(): boolean {
  return spawnSync('swipl', ['--version'], { encoding: 'utf8' }).status === 0
}

/** Encode every `protobuf([...])` term with one `swipl` process. */
export function swiEncode(terms: readonly string[]): SwiResult[] {
  return runSwipl(terms.map((t, i) => `case(${i}, ${t}).\n`))
}

function runSwipl(lines: readonly string[]): SwiResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-swi-'))
  try {
    writeFileSync(join(dir, 'run.pl'), prelude)
    writeFileSync(join(dir, 'cases.txt'), lines.join(''))
    const r = spawnSync('swipl', [join(dir, 'run.pl'), join(dir, 'cases.txt')], { encoding: 'utf8', maxBuffer: 1 << 30 })
    if (r.status !== 0) throw new Error(`swipl exited with ${String(r.status)}: ${r.stderr}`)
    const results: SwiResult[] = lines.map(() => ({ ok: false, why: 'no answer' }))
    for (const line of r.stdout.split('\n')) {
      const m = /^(\d+) (ok|fail|error)(?: (.*))?$/.exec(line)
      if (m === null) continue
      results[Number(m[1])] = m[2] === 'ok' ? { ok: true, hex: m[3] ?? '' } : { ok: false, why: `${m[2]} ${m[3] ?? ''}` }
    }
    return results
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
