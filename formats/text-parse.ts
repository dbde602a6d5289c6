/**
 * Reading the text format into a schema's message values: fields by name
 * (a group's by its type's name too), `:` before a message optional,
 * `{ }` or `< >` around one, lists as `[a, b]` or a field a line, `,` or
 * `;` between fields allowed, `#` comments, adjacent strings joined,
 * integers in decimal, hex or octal, floats with `inf`/`nan` and an `f`,
 * enums by name or number, `Any` as `[type.googleapis.com/pkg.Msg] { … }`.
 * Errors are `ProtoError`s of kind `invalid-text` with the line and column
 * (`depth-limit` past 100 messages deep).
 *
 * @module
 */
import { encodeOrThrow, isWellFormed, ProtoError, unvalidatedText } from '../src/index.js'
import { type FieldPlan, mapEntryPlan, type MessagePlan, type SchemaValue, type TypePlan } from '../schema/index.js'
import { type Ctx, plansOf, put, typedList, zeroFill, zeroOf } from './messages.js'
import { textName } from './text-print.js'

type Token = { readonly kind: 'id' | 'num' | 'str' | 'punct' | 'end'; readonly text: string; readonly at: number; readonly bytes?: Uint8Array }

class Lexer {
  pos = 0
  private peeked: Token | undefined
  constructor(readonly src: string) {}

  fail(at: number, detail: string): never {
    const before = this.src.slice(0, at)
    const line = before.split('\n').length
    const column = at - before.lastIndexOf('\n')
    throw new ProtoError('invalid-text', `line ${line}, column ${column}: ${detail}`)
  }

  peek(): Token {
    return (this.peeked ??= this.scan())
  }

  next(): Token {
    const t = this.peek()
    this.peeked = undefined
    return t
  }

  /** Take the punctuation `p` if it comes next. */
  take(p: string): boolean {
    const t = this.peek()
    if (t.kind !== 'punct' || t.text !== p) return false
    this.next()
    return true
  }

  expect(p: string): void {
    const t = this.next()
    if (t.kind !== 'punct' || t.text !== p) this.fail(t.at, `expected "${p}", not ${t.kind === 'end' ? 'the end' : `"${t.text}"`}`)
  }

  private scan(): Token {
    const s = this.src
    for (;;) {
      while (this.pos < s.length && /\s/.test(s[this.pos]!)) this.pos++
      if (s[this.pos] !== '#') break
      while (this.pos < s.length && s[this.pos] !== '\n') this.pos++
    }
    const at = this.pos
    if (at >= s.length) return { kind: 'end', text: '', at }
    const c = s[at]!
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(at, at + 200))
    if (word !== null) {
      this.pos += word[0].length
      return { kind: 'id', text: word[0], at }
    }
    const num = /^-?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fF]?)/.exec(s.slice(at, at + 400))
    if (num !== null && /[0-9.]/.test(s[at + (c === '-' ? 1 : 0)] ?? '')) {
      this.pos += num[0].length
      return { kind: 'num', text: num[0], at }
    }
    if (c === '"' || c === "'") return this.string(at)
    this.pos++
    return { kind: 'punct', text: c, at }
  }

  /** A string literal, and those right after it, as bytes. */
  private string(at: number): Token {
    const parts: number[] = []
    while (this.src[this.pos] === '"' || this.src[this.pos] === "'") {
      this.quoted(parts)
      while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++
    }
    return { kind: 'str', text: '', at, bytes: Uint8Array.from(parts) }
  }

  private quoted(out: number[]): void {
    const s = this.src
    const quote = s[this.pos++]
    for (;;) {
      if (this.pos >= s.length || s[this.pos] === '\n') this.fail(this.pos, 'a string is not closed')
      const c = s[this.pos++]!
      if (c === quote) return
      if (c !== '\\') {
        const cp = s.codePointAt(this.pos - 1)!
        if (cp >= 0xd800 && cp <= 0xdfff) this.fail(this.pos - 1, 'a lone surrogate in a string')
        if (cp > 0xffff) this.pos++
        out.push(...utf8.encode(String.fromCodePoint(cp)))
        continue
      }
      this.escape(out)
    }
  }

  private escape(out: number[]): void {
    const s = this.src
    const e = s[this.pos++]
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63 }
    if (e !== undefined && e in simple) return void out.push(simple[e]!)
    if (e !== undefined && /[0-7]/.test(e)) {
      const oct = /^[0-7]{1,3}/.exec(s.slice(this.pos - 1, this.pos + 2))![0]
      this.pos += oct.length - 1
      const n = parseInt(oct, 8)
      if (n > 255) this.fail(this.pos, `the octal escape \\${oct} is beyond a byte`)
      return void out.push(n)
    }
    if (e === 'x' || e === 'X') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(s.slice(this.pos, this.pos + 2))
      if (hex === null) this.fail(this.pos, 'a \\x escape needs hex digits')
      this.pos += hex[0].length
      return void out.push(parseInt(hex[0], 16))
    }
    if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8
      const hex = s.slice(this.pos, this.pos + n)
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) this.fail(this.pos, `a \\${e} escape needs ${n} hex digits`)
      this.pos += n
      // A code point beyond the BMP is written \U0001F600: surrogates, in pairs or not, are not text.
      const cp = parseInt(hex, 16)
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.fail(this.pos, `\\${e}${hex} is not a code point of text`)
      return void out.push(...utf8.encode(String.fromCodePoint(cp)))
    }
    this.fail(this.pos - 1, `unknown escape \\${e ?? ''}`)
  }
}

const utf8 = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** A message's value from its text. */
export function messageFromText(ctx: Ctx, name: string, src: string): SchemaValue {
  const lexer = new Lexer(src)
  const value = readFields(ctx, lexer, plansOf(ctx, name), undefined)
  const t = lexer.peek()
  if (t.kind !== 'end') lexer.fail(t.at, `expected a field name, not "${t.text}"`)
  return value
}

/** Fields until `close` (or the end of the text, for the top message). */
function readFields(ctx: Ctx, lexer: Lexer, plan: MessagePlan, close: string | undefined): SchemaValue {
  if (++ctx.depth > 100) throw new ProtoError('depth-limit', 'messages nested deeper than 100')
  const out: SchemaValue = {}
  const lists = new Map<FieldPlan, unknown[]>()
  const seen = new Set<string>()
  try {
    for (;;) {
      const t = lexer.peek()
      if (close === undefined ? t.kind === 'end' : t.kind === 'punct' && t.text === close) break
      if (plan.fullName === 'google.protobuf.Any' && t.kind === 'punct' && t.text === '[') {
        readAny(ctx, lexer, out)
      } else if (t.kind === 'id' && plan.reservedNames?.includes(t.text) === true) {
        lexer.next()
        skipValue(lexer)
      } else {
        const name = lexer.next()
        readField(ctx, lexer, fieldOf(lexer, plan, name), name.at, out, lists, seen)
      }
      if (!lexer.take(';')) lexer.take(',')
    }
    if (close !== undefined) lexer.next()
    for (const [f, list] of lists) put(out, f.name, f.cardinality === 'map' ? list[0] : typedList(ctx, plan, f, list))
    zeroFill(ctx, plan, out)
    return out
  } finally {
    ctx.depth--
  }
}

/** A reserved field's value, read and dropped: a scalar, a list, or a message. */
function skipValue(lexer: Lexer): void {
  const colon = lexer.take(':')
  const t = lexer.next()
  if (t.kind === 'punct' && (t.text === '{' || t.text === '<' || (t.text === '[' && colon))) {
    const close = t.text === '{' ? '}' : t.text === '<' ? '>' : ']'
    for (let u = lexer.peek(); !(u.kind === 'punct' && u.text === close); u = lexer.peek()) {
      if (u.kind === 'end') lexer.fail(u.at, 'the text ends inside a reserved field')
      if (u.kind === 'punct' && (u.text === '{' || u.text === '<' || u.text === '[')) skipValue(lexer)
      else lexer.next()
    }
    lexer.next()
  } else if (t.kind === 'punct' && t.text === '-') lexer.next()
  else if (!colon || t.kind === 'end') lexer.fail(t.at, 'expected the value of a reserved field')
}

type Slot = { readonly field: FieldPlan; readonly oneof?: string }

const slotsByPlan = new WeakMap<MessagePlan, ReadonlyMap<string, Slot>>()

/** A message's fields by their names in the text format: the .proto name, and a group's type name. */
function slots(plan: MessagePlan): ReadonlyMap<string, Slot> {
  let m = slotsByPlan.get(plan)
  if (m === undefined) {
    const made = new Map<string, Slot>()
    for (const member of plan.members) {
      const entries: Slot[] = 'field' in member ? [{ field: member.field }] : member.oneof.fields.map((field) => ({ field, oneof: member.oneof.name }))
      for (const slot of entries) made.set(slot.field.name, slot).set(textName(slot.field), slot)
    }
    slotsByPlan.set(plan, (m = made))
  }
  return m
}

function fieldOf(lexer: Lexer, plan: MessagePlan, t: Token): Slot {
  if (t.kind !== 'id') lexer.fail(t.at, t.kind === 'end' ? 'the text ends inside a message' : `expected a field name, not "${t.text}"`)
  return slots(plan).get(t.text) ?? lexer.fail(t.at, `${plan.fullName} has no field "${t.text}"`)
}

/** A field's value (or values) after its name, read at `at`, into the message being read. */
function readField(ctx: Ctx, lexer: Lexer, slot: Slot, at: number, out: SchemaValue, lists: Map<FieldPlan, unknown[]>, seen: Set<string>): void {
  const f = slot.field
  const isMessage = f.type.kind === 'message' || f.cardinality === 'map'
  if (!lexer.take(':') && !isMessage) lexer.fail(lexer.peek().at, `expected ":" after ${f.name}`)
  const many = f.cardinality === 'repeated' || f.cardinality === 'packed' || f.cardinality === 'map'
  const values: unknown[] = []
  if (many && lexer.take('[')) {
    if (!lexer.take(']')) {
      do values.push(readValue(ctx, lexer, f))
      while (lexer.take(','))
      lexer.expect(']')
    }
  } else values.push(readValue(ctx, lexer, f))
  if (many) {
    const list = lists.get(f) ?? []
    if (f.cardinality === 'map') {
      const map = (list[0] as Map<unknown, unknown> | Record<string, unknown> | undefined) ?? (ctx.schema.options.maps === 'record' && f.key!.scalar === 'string' ? {} : new Map())
      for (const e of values as { key: unknown; value: unknown }[]) {
        if (map instanceof Map) map.set(e.key, e.value)
        else put(map, e.key as string, e.value)
      }
      list[0] = map
    } else list.push(...values)
    lists.set(f, list)
    return
  }
  const key = slot.oneof ?? f.name
  if (seen.has(key)) lexer.fail(at, slot.oneof === undefined ? `${f.name} is given twice` : `${slot.oneof} has two members set`)
  seen.add(key)
  put(out, key, slot.oneof === undefined ? values[0] : { case: f.name, value: values[0] })
}

function readValue(ctx: Ctx, lexer: Lexer, f: FieldPlan): unknown {
  if (f.cardinality === 'map') {
    const open = lexer.next()
    const close = open.text === '<' ? '>' : '}'
    if (open.kind !== 'punct' || (open.text !== '{' && open.text !== '<')) lexer.fail(open.at, `expected a map entry in { }`)
    const v = readFields(ctx, lexer, mapEntryPlan(f), close)
    // An entry without its key or value has the type's zero there (an empty message for a message).
    let value = v['value']
    if (value === undefined && f.type.kind === 'message') zeroFill(ctx, plansOf(ctx, f.type.ref), (value = {}))
    else value ??= zeroOf(ctx, f.type)
    return { key: v['key'] ?? zeroOf(ctx, f.key!), value }
  }
  return readOne(ctx, lexer, f.type)
}

function readOne(ctx: Ctx, lexer: Lexer, t: TypePlan): unknown {
  if (t.kind === 'message') {
    const open = lexer.next()
    if (open.kind !== 'punct' || (open.text !== '{' && open.text !== '<')) lexer.fail(open.at, `expected a message in { }`)
    return readFields(ctx, lexer, plansOf(ctx, t.ref), open.text === '<' ? '>' : '}')
  }
  const tok = lexer.next()
  if (t.kind === 'enum') return enumValue(ctx, lexer, t.ref, tok)
  return scalarValue(lexer, t, tok)
}

function enumValue(ctx: Ctx, lexer: Lexer, ref: string, tok: Token): unknown {
  const e = ctx.schema.plans.enums.get(ref) ?? ctx.registry.plans.enums.get(ref)!
  if (tok.kind === 'id') {
    if (e.values.some(([k]) => k === tok.text)) return tok.text
    lexer.fail(tok.at, `${ref} has no member ${tok.text}`)
  }
  if (tok.kind === 'num' && /^-?\d+$/.test(tok.text)) {
    const n = Number(tok.text)
    const named = e.values.find(([, x]) => x === n)
    if (named !== undefined) return named[0]
    if (!e.closed && n >= -(2 ** 31) && n < 2 ** 31) return n
  }
  return lexer.fail(tok.at, `expected a member of ${ref}, not "${tok.text}"`)
}

const WIDE = new Set(['int64', 'uint64', 'fixed64', 'sfixed64', 'sint64'])
const UNSIGNED = new Set(['uint32', 'fixed32', 'uint64', 'fixed64'])

function scalarValue(lexer: Lexer, t: TypePlan & { kind: 'scalar' }, tok: Token): unknown {
  switch (t.scalar) {
    case 'string':
    case 'bytes': {
      if (tok.kind !== 'str') lexer.fail(tok.at, `expected a string for ${t.scalar}`)
      if (t.scalar === 'bytes') return tok.bytes
      if (!t.validate) return unvalidatedText(tok.bytes!)
      try {
        const s = decoder.decode(tok.bytes)
        if (isWellFormed(s)) return s
      } catch {
        // below
      }
      return lexer.fail(tok.at, 'a string that is not UTF-8')
    }
    case 'bool':
      if (['true', 't', 'True', '1'].includes(tok.text)) return true
      if (['false', 'f', 'False', '0'].includes(tok.text)) return false
      return lexer.fail(tok.at, `expected true or false, not "${tok.text}"`)
    case 'float':
    case 'double':
      return floatValue(lexer, t.scalar, tok)
    default:
      return intValue(lexer, t, tok)
  }
}

function floatValue(lexer: Lexer, type: 'float' | 'double', tok: Token): number {
  let x: number
  if (tok.kind === 'id' && /^(inf|infinity|nan)$/i.test(tok.text)) x = /^nan$/i.test(tok.text) ? NaN : Infinity
  else if (tok.kind === 'punct' && tok.text === '-' && lexer.peek().kind === 'id' && /^(inf|infinity)$/i.test(lexer.peek().text)) {
    lexer.next()
    x = -Infinity
  } else if (tok.kind === 'num' && !/^-?0[xX]/.test(tok.text) && !/^-?0\d/.test(tok.text)) {
    // Hex and leading zeros are for integers: a float is decimal.
    x = Number(tok.text.replace(/[fF]$/, ''))
  } else return lexer.fail(tok.at, `expected a number, not "${tok.text}"`)
  return type === 'float' ? Math.fround(x) : x
}

function intValue(lexer: Lexer, t: TypePlan & { kind: 'scalar' }, tok: Token): number | bigint {
  if (tok.kind !== 'num' || /[.eEfF]/.test(tok.text.replace(/^-?0[xX][0-9a-fA-F]+$/, ''))) lexer.fail(tok.at, `expected an integer, not "${tok.text}"`)
  const negative = tok.text.startsWith('-')
  const digits = negative ? tok.text.slice(1) : tok.text
  const n = (negative ? -1n : 1n) * (/^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits))
  const bits = WIDE.has(t.scalar) ? 64n : 32n
  const [lo, hi] = UNSIGNED.has(t.scalar) ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n]
  if (n < lo || n > hi) lexer.fail(tok.at, `${tok.text} is beyond the range of ${t.scalar}`)
  if (!WIDE.has(t.scalar) || !t.big) return Number(n)
  return n
}

/** `[type.googleapis.com/pkg.Msg] { … }` in an Any. */
function readAny(ctx: Ctx, lexer: Lexer, out: SchemaValue): void {
  lexer.expect('[')
  let url = ''
  for (let t = lexer.next(); !(t.kind === 'punct' && t.text === ']'); t = lexer.next()) {
    if (t.kind === 'end') lexer.fail(t.at, 'the text ends inside a type URL')
    url += t.text
  }
  const name = url.slice(url.lastIndexOf('/') + 1)
  const schema = [ctx.registry, ctx.schema].find((s) => s.plans.messages.has(name))
  if (schema === undefined || !url.includes('/')) lexer.fail(lexer.peek().at, `an Any of ${url}, which the schema does not have`)
  lexer.take(':')
  const open = lexer.next()
  if (open.kind !== 'punct' || (open.text !== '{' && open.text !== '<')) lexer.fail(open.at, 'expected the message of an Any in { }')
  const inner = readFields(ctx, lexer, plansOf(ctx, name), open.text === '<' ? '>' : '}')
  out['type_url'] = url
  out['value'] = encodeOrThrow(schema.template(name), inner)
}
