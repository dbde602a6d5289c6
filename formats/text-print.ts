/**
 * The text format (`protoc --decode`'s output, `.textproto` files) of a
 * schema's messages, printed from its plans: a field a line (`name: value`,
 * a message as `name { … }`), fields in number order, repeated fields an
 * element a line, maps as their entries, groups by their type's name,
 * strings and bytes in C escapes, enums by name, `Any` expanded
 * (`[type.googleapis.com/pkg.Msg] { … }`).
 *
 * @module
 */
import { decodeOrThrow, ProtoError, Reader, unvalidatedBytes } from '../src/index.js'
import type { FieldPlan, SchemaValue, TypePlan } from '../schema/index.js'
import { type Ctx, plansOf } from './messages.js'

/** C escaping, as protoc's CEscape: the usual backslash escapes, octal for bytes outside printable ASCII. */
export function cEscape(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) {
    if (b === 0x0a) out += '\\n'
    else if (b === 0x0d) out += '\\r'
    else if (b === 0x09) out += '\\t'
    else if (b === 0x22) out += '\\"'
    else if (b === 0x27) out += "\\'"
    else if (b === 0x5c) out += '\\\\'
    else if (b < 0x20 || b >= 0x7f) out += `\\${b.toString(8).padStart(3, '0')}`
    else out += String.fromCharCode(b)
  }
  return out
}

const utf8 = new TextEncoder()

/** The name a field has in the text format: a group's is its type's name. */
export function textName(f: FieldPlan): string {
  if (f.type.kind === 'message' && f.type.delimited) {
    const typeName = f.type.ref.slice(f.type.ref.lastIndexOf('.') + 1)
    if (typeName.toLowerCase() === f.name) return typeName
  }
  return f.name
}

/** The text of a message's value, a field a line, each line indented by `indent`. */
export function messageToText(ctx: Ctx, name: string, value: SchemaValue, indent: string): string {
  if (++ctx.depth > 100) throw new ProtoError('depth-limit', 'messages nested deeper than 100')
  try {
    if (name === 'google.protobuf.Any') {
      const expanded = anyText(ctx, value, indent)
      if (expanded !== undefined) return expanded
    }
    let out = ''
    for (const member of plansOf(ctx, name).members) {
      if ('field' in member) out += fieldText(ctx, member.field, value[member.field.name], indent)
      else {
        const set = value[member.oneof.name] as { case: string; value: unknown } | undefined
        const f = set === undefined ? undefined : member.oneof.fields.find((m) => m.name === set.case)
        if (f !== undefined) out += one(ctx, textName(f), f.type, set!.value, indent)
      }
    }
    const unknown = value['$unknown']
    if (ctx.unknownFields === true && unknown instanceof Uint8Array && unknown.length > 0) out += unknownText(new Reader(unknown), indent, undefined)
    return out
  } finally {
    ctx.depth--
  }
}

function fieldText(ctx: Ctx, f: FieldPlan, v: unknown, indent: string): string {
  if (v === undefined) return ''
  const name = textName(f)
  switch (f.cardinality) {
    case 'implicit':
      return isZero(v) || (f.type.kind === 'enum' && enumNumber(ctx, f.type.ref, v) === 0) ? '' : one(ctx, name, f.type, v, indent)
    case 'repeated':
    case 'packed':
      return Array.from(v as ArrayLike<unknown>, (x) => one(ctx, name, f.type, x, indent)).join('')
    case 'map': {
      let out = ''
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as object)
      for (const [k, x] of entries) {
        const inner = `${one(ctx, 'key', f.key!, k, `${indent}  `)}${one(ctx, 'value', f.type, x, `${indent}  `)}`
        out += `${indent}${name} {\n${inner}${indent}}\n`
      }
      return out
    }
    default:
      return one(ctx, name, f.type, v, indent)
  }
}

const isZero = (v: unknown): boolean => Object.is(v, 0) || v === 0n || v === '' || v === false || (v instanceof Uint8Array && v.length === 0)

function enumNumber(ctx: Ctx, ref: string, v: unknown): number | undefined {
  if (typeof v === 'number') return v
  const e = ctx.schema.plans.enums.get(ref) ?? ctx.registry.plans.enums.get(ref)
  return e?.values.find(([k]) => k === v)?.[1]
}

/** One field's line (or block, for a message). */
function one(ctx: Ctx, name: string, t: TypePlan, v: unknown, indent: string): string {
  if (t.kind === 'message') return `${indent}${name} {\n${messageToText(ctx, t.ref, v as SchemaValue, `${indent}  `)}${indent}}\n`
  return `${indent}${name}: ${scalarText(t, v)}\n`
}

function scalarText(t: TypePlan, v: unknown): string {
  if (t.kind === 'enum') return String(v)
  if (v instanceof Uint8Array) return `"${cEscape(v)}"`
  // A proto2 string may hold bytes that are not UTF-8, kept as escapes: they print as those bytes.
  if (typeof v === 'string') return `"${cEscape(t.kind === 'scalar' && !t.validate ? unvalidatedBytes(v) : utf8.encode(v))}"`
  if (typeof v === 'number') {
    if (v !== v) return 'nan'
    if (v === Infinity) return 'inf'
    if (v === -Infinity) return '-inf'
    if (t.kind === 'scalar' && t.scalar === 'float') return shortest(v)
    return Object.is(v, -0) ? '-0' : String(v)
  }
  return String(v)
}

/** A float as the shortest decimal that reads back as it. */
function shortest(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0'
  for (let digits = 1; digits < 9; digits++) {
    const text = x.toPrecision(digits)
    if (Math.fround(Number(text)) === x) return String(Number(text))
  }
  return String(x)
}

/** An Any whose type the schema has, as `[url] { … }`; undefined to print it as its fields. */
function anyText(ctx: Ctx, value: SchemaValue, indent: string): string | undefined {
  const url = value['type_url'] as string
  const name = url.slice(url.lastIndexOf('/') + 1)
  const schema = [ctx.registry, ctx.schema].find((s) => s.plans.messages.has(name))
  if (schema === undefined || !url.includes('/')) return undefined
  let inner: SchemaValue
  try {
    inner = decodeOrThrow(schema.template(name), value['value'] as Uint8Array)
  } catch {
    return undefined
  }
  return `${indent}[${url}] {\n${messageToText(ctx, name, inner, `${indent}  `)}${indent}}\n`
}

/**
 * Unknown fields as protoc prints them, by number: a varint in decimal, a
 * fixed value in hex, a length-delimited payload as a message where it
 * reads as one, else a string; a group as a block. Up to `endGroup`, the
 * tag that closes the group being printed.
 */
function unknownText(r: Reader, indent: string, endGroup: number | undefined): string {
  let out = ''
  while (r.pos < r.end) {
    const tag = r.tag()
    const n = tag >>> 3
    switch (tag & 7) {
      case 0:
        r.varint64()
        out += `${indent}${n}: ${(BigInt(r.hi >>> 0) << 32n) | BigInt(r.lo >>> 0)}\n`
        break
      case 1:
        r.fixed64()
        out += `${indent}${n}: 0x${((BigInt(r.hi >>> 0) << 32n) | BigInt(r.lo >>> 0)).toString(16).padStart(16, '0')}\n`
        break
      case 5:
        out += `${indent}${n}: 0x${(r.fixed32() >>> 0).toString(16).padStart(8, '0')}\n`
        break
      case 2: {
        const bytes = r.bytes()
        const nested = asMessage(bytes, `${indent}  `)
        out += nested === undefined ? `${indent}${n}: "${cEscape(bytes)}"\n` : `${indent}${n} {\n${nested}${indent}}\n`
        break
      }
      case 3:
        out += `${indent}${n} {\n${unknownText(r, `${indent}  `, (n << 3) | 4)}${indent}}\n`
        break
      case 4:
        if (tag === endGroup) return out
        throw new ProtoError('group-mismatch', `end of group ${n} with no group open`)
    }
  }
  if (endGroup !== undefined) throw new ProtoError('truncated', 'the unknown fields end inside a group')
  return out
}

/** A payload's text as a message of unknown fields, or undefined where it does not read as one. */
function asMessage(bytes: Uint8Array, indent: string): string | undefined {
  if (bytes.length === 0) return undefined
  try {
    return unknownText(new Reader(bytes), indent, undefined)
  } catch (e) {
    if (e instanceof ProtoError) return undefined
    throw e
  }
}
