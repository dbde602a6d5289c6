/**
 * Values of schema templates printed as protoc's `--decode` prints them
 * (its text format, as protobuf 3.21 writes it), to compare protoplate's
 * reading of descriptor sets with protoc's. It prints what descriptor sets
 * hold: strings, bytes, integers, booleans, enums and nested messages, not
 * maps, floating point or unknown fields.
 */
import type { FieldPlan, Plans, TypePlan } from '../schema/index.js'

/** C escaping, as protoc's CEscape: the usual backslash escapes, octal for other bytes outside printable ASCII. */
function cEscape(bytes: Uint8Array): string {
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

function scalar(t: TypePlan, v: unknown): string {
  if (t.kind === 'enum') return String(v)
  if (v instanceof Uint8Array) return `"${cEscape(v)}"`
  if (typeof v === 'string') return `"${cEscape(new TextEncoder().encode(v))}"`
  return String(v)
}

/** The text of a message's value, fields in number order, each line indented. */
export function toText(plans: Plans, name: string, value: Record<string, unknown>, indent = ''): string {
  const m = plans.messages.get(name)
  if (m === undefined) throw new Error(`no message ${name}`)
  const fields: { readonly f: FieldPlan; readonly v: unknown }[] = []
  for (const member of m.members) {
    if ('field' in member) fields.push({ f: member.field, v: value[member.field.name] })
    else {
      const chosen = value[member.oneof.name] as { case: string; value: unknown } | undefined
      const f = member.oneof.fields.find((x) => x.name === chosen?.case)
      if (f !== undefined) fields.push({ f, v: chosen!.value })
    }
  }
  fields.sort((a, b) => a.f.number - b.f.number)
  let out = ''
  const one = (f: FieldPlan, t: TypePlan, v: unknown) => {
    if (t.kind === 'message') {
      out += `${indent}${f.name} {\n${toText(plans, t.ref, v as Record<string, unknown>, `${indent}  `)}${indent}}\n`
    } else out += `${indent}${f.name}: ${scalar(t, v)}\n`
  }
  for (const { f, v } of fields) {
    if (v === undefined) continue
    if (f.cardinality === 'map') throw new Error('maps are not printed here')
    if (f.cardinality === 'repeated' || f.cardinality === 'packed') for (const x of v as unknown[]) one(f, f.type, x)
    else if (f.cardinality !== 'implicit' || !isZero(v)) one(f, f.type, v)
  }
  return out
}

const isZero = (v: unknown): boolean => v === 0 || v === 0n || v === false || v === '' || (v instanceof Uint8Array && v.length === 0)
