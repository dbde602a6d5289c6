/**
 * Google's protoc as a peer: a generated template written as a proto2
 * schema, its values as text format, and protoc's text format read back.
 *
 * Many cases go through one protoc run: case i is field i+1 of a message
 * `Batch`, whose type is the case's own message `C<i>`.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import * as P from '../src/index.js'
import { encodeEscaped, encodeUtf8 } from '../src/utf8.js'
import { type Built, type FieldDesc, type HostName, hosts, oneofChoice } from './gen.js'
import { decodeBoth } from './helpers.js'
import { enumerations } from './prolog.js'

/** The .proto type of each host type. */
const protoType: Record<HostName, string> = {
  double: 'double',
  float: 'float',
  integer: 'sint64',
  sint32: 'sint32',
  unsigned: 'uint64',
  uint32: 'uint32',
  signed64: 'int64',
  signed32: 'int32',
  integer64: 'sfixed64',
  integer32: 'sfixed32',
  unsigned64: 'fixed64',
  unsigned32: 'fixed32',
  integerBig: 'sint64',
  unsignedBig: 'uint64',
  signed64Big: 'int64',
  integer64Big: 'sfixed64',
  unsigned64Big: 'fixed64',
  boolean: 'bool',
  atom: 'string',
  string: 'string',
  unvalidatedString: 'string',
  utf8Codes: 'string',
  codes: 'bytes',
  e_closed: 'EClosed',
  // proto2 enums are closed, and an open enumeration keeps numbers: on the wire both are int32.
  e_open: 'int32',
}

// ---------------------------------------------------------------------------
// Schemas

export interface SchemaOptions {
  /**
   * Declare the alternatives of a oneof inside a group as plain optional
   * fields (the same on the wire): protobufjs 7's parser takes no `oneof`
   * in a group body.
   */
  readonly noOneofInGroups?: boolean
  /**
   * Declare `unvalidatedString` fields as `bytes` (the same on the wire):
   * protobufjs reads invalid UTF-8 in a `string` field as U+FFFD, and
   * cannot write it.
   */
  readonly unvalidatedAsBytes?: boolean
}

/** The proto2 schema of every case, and `Batch` holding case i as field i+1. */
export function schema(cases: readonly Built[], options: SchemaOptions = {}): string {
  const members = Object.entries(enumerations['e_closed']!)
    .map(([name, n]) => `  ${name} = ${n};`)
    .join('\n')
  const out = ['syntax = "proto2";', `enum EClosed {\n${members}\n}`]
  cases.forEach((c, i) => {
    const names = new Namer(options.noOneofInGroups === true, options.unvalidatedAsBytes === true)
    out.push(`message C${i} {\n${body(c, names, '  ', false)}}`)
  })
  out.push(`message Batch {\n${cases.map((_, i) => `  optional C${i} c${i} = ${i + 1};`).join('\n')}\n}`)
  return out.join('\n\n') + '\n'
}

/** Names for nested messages and groups, unique within one case. */
class Namer {
  constructor(
    readonly noOneofInGroups = false,
    readonly unvalidatedAsBytes = false,
  ) {}
  private n = 0
  /** The name of each nested message or group, by its Built. */
  readonly of = new Map<Built, string>()
  next(prefix: string, built: Built): string {
    const name = `${prefix}${this.n++}`
    this.of.set(built, name)
    return name
  }
}

function body(c: Built, names: Namer, indent: string, inGroup: boolean): string {
  return c.descs
    .map((d, i) => {
      const { defs, decl } = field(d, `f${i}`, names, indent, indent, 'optional ', inGroup)
      return defs + decl
    })
    .join('')
}

/** The .proto type of a host type in a schema written with `names`' options. */
const typeIn = (names: Namer, type: HostName): string => (type === 'unvalidatedString' && names.unvalidatedAsBytes ? 'bytes' : protoType[type])

/** A field's declaration, and the nested message types it needs defined beside it. */
function field(
  d: FieldDesc,
  name: string,
  names: Namer,
  indent: string,
  declIndent: string,
  label: string,
  inGroup: boolean,
): { defs: string; decl: string } {
  switch (d.kind) {
    case 'scalar':
      return { defs: '', decl: `${declIndent}${label}${typeIn(names, d.type)} ${name} = ${d.tag};\n` }
    case 'list':
      return { defs: '', decl: `${declIndent}repeated ${typeIn(names, d.type)} ${name} = ${d.tag}${d.packed ? ' [packed = true]' : ''};\n` }
    case 'message':
    case 'messageList': {
      const lab = d.kind === 'messageList' ? 'repeated ' : label
      // A recursive message refers to itself by the name it was given (in scope within itself).
      const known = d.group ? undefined : names.of.get(d.inner)
      if (known !== undefined) return { defs: '', decl: `${declIndent}${lab}${known} ${name} = ${d.tag};\n` }
      if (d.group) {
        const g = names.next('G', d.inner)
        return { defs: '', decl: `${declIndent}${lab}group ${g} = ${d.tag} {\n${body(d.inner, names, declIndent + '  ', true)}${declIndent}}\n` }
      }
      const m = names.next('M', d.inner)
      return {
        defs: `${indent}message ${m} {\n${body(d.inner, names, indent + '  ', false)}${indent}}\n`,
        decl: `${declIndent}${lab}${m} ${name} = ${d.tag};\n`,
      }
    }
    case 'oneof': {
      // Message types cannot be defined inside a oneof: they go before it.
      if (inGroup && names.noOneofInGroups) {
        const plain = d.alternatives.map((a, j) => field(a, `${name}_${j}`, names, indent, declIndent, 'optional ', inGroup))
        return { defs: plain.map((a) => a.defs).join(''), decl: plain.map((a) => a.decl).join('') }
      }
      const alts = d.alternatives.map((a, j) => field(a, `${name}_${j}`, names, indent, declIndent + '  ', '', inGroup))
      return {
        defs: alts.map((a) => a.defs).join(''),
        decl: `${declIndent}oneof ${name} {\n${alts.map((a) => a.decl).join('')}${declIndent}}\n`,
      }
    }
    case 'unknown':
      throw new Error('a schema cannot capture unknown fields: use forSchemas')
  }
}

/** The names `schema` gives a case's nested messages and groups. */
export function namesOf(c: Built): Namer {
  const names = new Namer()
  body(c, names, '', false)
  return names
}

// ---------------------------------------------------------------------------
// Values as trees of text-format entries

/** A message in text format: its entries, each a field name with a scalar token or a message. */
export type Tree = readonly Entry[]
export type Entry = { readonly name: string; readonly scalar: string } | { readonly name: string; readonly message: Tree }

/** The entries protoplate writes for a value (absent, default and empty fields have none). */
export function tree(c: Built, value: unknown, names: Namer): Tree {
  const vs = c.split(value)
  return c.descs.flatMap((d, i) => entries(d, `f${i}`, vs[i], names))
}

/** Trees of every case, naming groups as `schema` names them. */
export function trees(cases: readonly Built[], values: readonly unknown[]): Tree[] {
  return cases.map((c, i) => tree(c, values[i], namesOf(c)))
}

function entries(d: FieldDesc, name: string, v: unknown, names: Namer): Entry[] {
  switch (d.kind) {
    case 'scalar': {
      if (v === undefined) return []
      if (d.presence === 'defaulted' && sameValue(v, 'default' in d ? d.default : hosts[d.type].impl.zero)) return []
      return [{ name, scalar: token(d.type, v) }]
    }
    case 'list':
      return (v as unknown[]).map((x) => ({ name, scalar: token(d.type, x) }))
    case 'message': {
      if (v === undefined) return []
      // A constant message has no holes, and takes any value; a host type's constant maps its own.
      const inner = d.toInner !== undefined ? d.toInner(v) : d.presence === 'constant' ? [] : v
      return [{ name: d.group ? names.of.get(d.inner)! : name, message: tree(d.inner, inner, names) }]
    }
    case 'messageList':
      return (d.list !== undefined ? d.list(v) : (v as unknown[])).map((x) => ({ name: d.group ? names.of.get(d.inner)! : name, message: tree(d.inner, d.toInner !== undefined ? d.toInner(x) : x, names) }))
    case 'oneof': {
      if (v === undefined) return []
      const [j, x] = oneofChoice(d, v)
      return entries(d.alternatives[j]!, `${name}_${j}`, x, names)
    }
    case 'unknown':
      return []
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i])
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => Object.is(x, b[i]))
  return Object.is(a, b)
}

/** A value as a text-format token. */
export function token(type: HostName, v: unknown): string {
  switch (type) {
    case 'double':
    case 'float': {
      const n = v as number
      return Number.isNaN(n) ? 'nan' : n === Infinity ? 'inf' : n === -Infinity ? '-inf' : Object.is(n, -0) ? '-0' : String(n)
    }
    case 'boolean':
      return String(v)
    case 'atom':
    case 'string':
      return quote(encodeUtf8(v as string))
    case 'unvalidatedString':
      return quote(encodeEscaped(v as string))
    case 'utf8Codes':
      return quote(encodeUtf8(String.fromCodePoint(...(v as number[]))))
    case 'codes':
      return quote(v as Uint8Array)
    case 'e_closed':
      return v as string
    case 'e_open':
      return String(typeof v === 'number' ? v : enumerations['e_open']![v as string])
    default:
      return String(v)
  }
}

function quote(bytes: Uint8Array): string {
  let s = '"'
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) s += `\\${String.fromCharCode(b)}`
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b)
    else s += `\\${b.toString(8).padStart(3, '0')}`
  }
  return s + '"'
}

/** A tree as text format. */
export function text(t: Tree, indent = ''): string {
  return t.map((e) => ('scalar' in e ? `${indent}${e.name}: ${e.scalar}\n` : `${indent}${e.name} {\n${text(e.message, indent + '  ')}${indent}}\n`)).join('')
}

// ---------------------------------------------------------------------------
// Reading protoc's text format

/** Parse text format (as `protoc --decode` prints it) into a tree of raw tokens. */
export function parseText(src: string): Tree {
  const toks = tokenize(src)
  let i = 0
  const message = (closing: boolean): Entry[] => {
    const out: Entry[] = []
    while (i < toks.length && toks[i] !== '}') {
      const name = toks[i++]!
      if (toks[i] === ':') {
        i++
        out.push({ name, scalar: toks[i++]! })
      } else if (toks[i] === '{') {
        i++
        out.push({ name, message: message(true) })
      } else throw new Error(`text format: unexpected ${toks[i]} after ${name}`)
    }
    if (closing) {
      if (toks[i] !== '}') throw new Error('text format: missing }')
      i++
    }
    return out
  }
  return message(false)
}

function tokenize(src: string): string[] {
  const out: string[] = []
  const re = /\s+|("(?:[^"\\]|\\.)*")|([{}:])|([^\s{}:"]+)/gy
  let m: RegExpExecArray | null
  while (re.lastIndex < src.length && (m = re.exec(src)) !== null) {
    const tok = m[1] ?? m[2] ?? m[3]
    if (tok !== undefined) out.push(tok)
  }
  if (re.lastIndex < src.length) throw new Error(`text format: cannot read at ${re.lastIndex}`)
  return out
}

/** The bytes of a quoted text-format string. */
function unquote(tok: string): number[] {
  const s = tok.slice(1, -1)
  const out: number[] = []
  const simple: Record<string, number> = { n: 10, r: 13, t: 9, '"': 34, "'": 39, '\\': 92, a: 7, b: 8, f: 12, v: 11, '?': 63 }
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (c !== '\\') {
      out.push(...encodeUtf8(c))
      continue
    }
    const n = s[++i]!
    if (n in simple) out.push(simple[n]!)
    else if (/[0-7]/.test(n)) {
      let j = i
      while (j < i + 3 && /[0-7]/.test(s[j] ?? '')) j++
      out.push(parseInt(s.slice(i, j), 8))
      i = j - 1
    } else if (n === 'x') {
      let j = i + 1
      while (j < i + 3 && /[0-9a-fA-F]/.test(s[j] ?? '')) j++
      out.push(parseInt(s.slice(i + 1, j), 16))
      i = j - 1
    } else throw new Error(`text format: unknown escape \\${n}`)
  }
  return out
}

/** What a field name stands for in a case's message: a host type, or a nested message. */
type Slot = { readonly type: HostName } | { readonly inner: Built }

function slots(c: Built, names: Namer): Map<string, Slot> {
  const out = new Map<string, Slot>()
  const add = (d: FieldDesc, name: string): void => {
    if (d.kind === 'scalar' || d.kind === 'list') out.set(name, { type: d.type })
    else if (d.kind === 'message' || d.kind === 'messageList') out.set(d.group ? names.of.get(d.inner)! : name, { inner: d.inner })
    else if (d.kind === 'oneof') d.alternatives.forEach((a, j) => add(a, `${name}_${j}`))
  }
  c.descs.forEach((d, i) => add(d, `f${i}`))
  return out
}

/**
 * A tree of a case in a form where equal values look equal: numbers parsed
 * (floats rounded to f32), strings as their bytes; entries keep their order
 * within one field name, and field names are sorted.
 */
export function normalize(t: Tree, c: Built, names: Namer): string {
  const kinds = slots(c, names)
  const byName = new Map<string, string[]>()
  for (const e of t) {
    const slot = kinds.get(e.name)
    if (slot === undefined) throw new Error(`no field ${e.name}`)
    const v = 'scalar' in e ? ('type' in slot ? scalarKey(e.scalar, slot.type) : '?') : 'inner' in slot ? `{${normalize(e.message, slot.inner, names)}}` : '?'
    byName.set(e.name, [...(byName.get(e.name) ?? []), v])
  }
  return [...byName.keys()]
    .sort()
    .map((k) => `${k}=[${byName.get(k)!.join(',')}]`)
    .join(' ')
}

function scalarKey(tok: string, type: HostName): string {
  if (tok.startsWith('"')) return unquote(tok).join('.')
  if (type === 'double' || type === 'float') {
    const t = tok.toLowerCase().replace(/f$/, '')
    let n = /^-?(inf|infinity)$/.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : /^-?nan$/.test(t) ? NaN : Number(t)
    if (type === 'float') n = Math.fround(n)
    return Object.is(n, -0) ? '-0' : String(n)
  }
  if (/^-?\d+$/.test(tok)) return String(BigInt(tok))
  return tok
}

// ---------------------------------------------------------------------------
// Many cases as one message

/** Case i's bytes as field i+1 of Batch. */
export function batch(parts: readonly Uint8Array[]): Uint8Array {
  const w = new P.Writer()
  parts.forEach((p, i) => {
    w.tag(i + 1, P.WireType.LEN)
    w.bytes(p)
  })
  return w.finish()
}

/** Batch's bytes split into its cases' (a case absent from them is the empty message). */
export function unbatch(bytes: Uint8Array, count: number): Uint8Array[] {
  const r = new P.Reader(bytes)
  const parts: Uint8Array[] = Array.from({ length: count }, () => new Uint8Array(0))
  while (r.pos < r.end) {
    const tag = r.tag()
    parts[(tag >>> 3) - 1] = r.bytes()
  }
  return parts
}

/** A value for failure messages, bigints and bytes shown. */
export const show = (x: unknown): string =>
  JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `bytes[${Array.from(v)}]` : v))

/** Where each case's bytes from a peer do not decode in protoplate to its value. */
export function misreadCases(cases: readonly { built: Built; value: unknown }[], parts: readonly Uint8Array[]): string[] {
  const failures: string[] = []
  cases.forEach((c, i) => {
    const got = decodeBoth(c.built.template, parts[i]!)
    if (got._tag === 'Left') failures.push(`case ${i}: ${got.left.message}\nbytes ${Buffer.from(parts[i]!).toString('hex')}\nvalue ${show(c.value)}`)
    else if (!isDeepStrictEqual(got.right, c.value)) failures.push(`case ${i}: value ${show(c.value)}\ndecoded ${show(got.right)}`)
  })
  return failures
}

// ---------------------------------------------------------------------------
// Running protoc

/** Whether `protoc` can be run here. */
export function haveProtoc(): boolean {
  return spawnSync('protoc', ['--version'], { encoding: 'utf8' }).status === 0
}

/** Run protoc on a schema with `--decode` or `--encode` of `Batch`; `includes` are where the files it imports are. */
export function protoc(proto: string, mode: 'decode' | 'encode', input: Uint8Array | string, includes: readonly string[] = []): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-protoc-'))
  try {
    writeFileSync(join(dir, 'cases.proto'), proto)
    const paths = [dir, ...includes].map((p) => `-I${p}`)
    const r = spawnSync('protoc', [`--${mode}=Batch`, ...paths, join(dir, 'cases.proto')], { input, maxBuffer: 1 << 30 })
    if (r.status !== 0) throw new Error(`protoc --${mode} exited with ${String(r.status)}: ${r.stderr.toString()}`)
    return r.stdout
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
