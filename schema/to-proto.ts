/**
 * The other direction: .proto text from templates, for the programs in
 * other languages that read protoplate's bytes. `toProto(template, 'Name')`
 * writes a proto2 file (proto2 has what templates have: required fields,
 * defaults, groups, closed enums) that protoc accepts and that reads the
 * bytes the template writes as the same values. Each piece of a template
 * says what it is (its `shape`); this module prints that.
 *
 * - A message of the tuple form names its fields `field_<tag>`; nested
 *   messages are named by their host type (`hostType`'s name) or after the
 *   field that holds them.
 * - A constant is a `required` field with its value as `[default = …]` and
 *   a comment; a list constant, a `repeated` field and a comment.
 * - An open enumeration is an `int32` field (a proto2 enum would move
 *   unknown numbers to the unknown fields), its members in a comment.
 * - Unknown fields need nothing in the .proto; a required `oneof` (one
 *   that must be present) is written as a oneof, with a comment.
 * - A group that holds itself (through `lazy`) has no .proto form: a
 *   `ToProtoError` says so.
 *
 * @module
 */
import type { FieldShape, HostShape, HostType, Template } from '../src/index.js'

/** What toProto cannot write (a template a .proto cannot describe). */
export class ToProtoError extends Error {
  override readonly name = 'ToProtoError'
}

interface Writer {
  readonly messages: Map<Template<unknown>, string>
  readonly enums: Map<string, string>
  readonly names: Set<string>
  readonly out: string[]
  readonly pending: { readonly template: Template<unknown>; readonly name: string }[]
  /** The groups being written, inside one another. */
  readonly groups: Set<Template<unknown>>
  /** How a top-level type is named where a group's type might shadow it: `.` and the package. */
  readonly prefix: string
}

/** A .proto file (proto2) declaring `name` as the template's message, and what it uses. */
export function toProto(template: Template<unknown>, name: string, options: { readonly package?: string } = {}): string {
  const prefix = options.package === undefined ? '.' : `.${options.package}.`
  const w: Writer = { messages: new Map(), enums: new Map(), names: new Set(), out: [], pending: [], groups: new Set(), prefix }
  claim(w, name, template)
  while (w.pending.length > 0) {
    const next = w.pending.shift()!
    w.out.push(...messageText(w, next.template, next.name, ''), '')
  }
  const head = ['// Written by protoplate (toProto) from a template.', 'syntax = "proto2";', '']
  if (options.package !== undefined) head.push(`package ${options.package};`, '')
  return [...head, ...w.out].join('\n')
}

function identifier(s: string): string {
  const id = s.replace(/[^A-Za-z0-9_]/g, '_')
  return /^[A-Za-z]/.test(id) ? id : `X${id}`
}

/** `wanted` as an identifier not in `taken` (a number after it if need be), now taken. */
function fresh(taken: Set<string>, wanted: string): string {
  let name = identifier(wanted)
  for (let i = 2; taken.has(name); i++) name = `${identifier(wanted)}_${i}`
  taken.add(name)
  return name
}

const unique = (w: Writer, wanted: string): string => fresh(w.names, wanted)

/** The top-level message of a template, named once. */
function claim(w: Writer, wanted: string, template: Template<unknown>): string {
  const known = w.messages.get(template)
  if (known !== undefined) return known
  const name = unique(w, wanted)
  w.messages.set(template, name)
  w.pending.push({ template, name })
  return name
}

function messageText(w: Writer, template: Template<unknown>, name: string, indent: string, group?: { readonly label: string; readonly tag: number }): string[] {
  const impl = template.impl
  const lines: string[] = []
  // Field names, a oneof's and its members' included, are one scope in a message.
  const taken = new Set<string>()
  const field = (wanted: string): string => fresh(taken, wanted)
  impl.fields.forEach((f, i) => {
    const shape = f.shape
    if (shape === undefined) throw new ToProtoError(`${name}: a field (${f.label}) says nothing of what it is`)
    const fieldName = field(impl.keys?.[i] ?? (shape.kind === 'oneof' ? `choice_${i + 1}` : `field_${'tag' in shape ? shape.tag : i + 1}`))
    lines.push(...fieldText(w, shape, fieldName, name, `${indent}  `, field))
  })
  const open = group === undefined ? `${indent}message ${name} {` : `${indent}${group.label === '' ? '' : `${group.label} `}group ${name} = ${group.tag} {`
  return [open, ...lines, `${indent}}`]
}

function fieldText(w: Writer, shape: FieldShape, name: string, owner: string, indent: string, fresh: (wanted: string) => string): string[] {
  switch (shape.kind) {
    case 'unknown':
      return [`${indent}// (unknown fields are kept here)`]
    case 'single': {
      const label = shape.presence === 'optional' || shape.presence === 'defaulted' ? 'optional' : 'required'
      return one(w, shape.host, label, name, shape.tag, owner, indent, shape.presence === 'optional' ? undefined : shape.value, shape.presence === 'constant')
    }
    case 'list': {
      const lines = one(w, shape.host, 'repeated', name, shape.tag, owner, indent, undefined, false, shape.packed)
      return shape.value === undefined ? lines : [`${indent}// constant: always ${JSON.stringify(shape.value, bigints)}`, ...lines]
    }
    case 'map': {
      const key = typeName(w, shape.key, name, owner)
      const value = typeName(w, shape.value, name, owner)
      return [`${indent}map<${key.type}, ${value.type}> ${name} = ${shape.tag};${key.note}${value.note}`]
    }
    case 'oneof': {
      const members = shape.members.flatMap((m, i) => {
        const s = m.shape
        if (s.kind !== 'single') throw new ToProtoError(`${owner}.${name}: a oneof's alternatives are fields of one type`)
        return one(w, s.host, '', fresh(m.name ?? `${name}_${i + 1}`), s.tag, owner, `${indent}  `)
      })
      const note = shape.optional ? [] : [`${indent}// one of these is always present`]
      return [...note, `${indent}oneof ${name} {`, ...members, `${indent}}`]
    }
  }
}

/** One field of one host type: a line, or a group's block. */
function one(
  w: Writer,
  host: HostType<unknown>,
  label: string,
  name: string,
  tag: number,
  owner: string,
  indent: string,
  value?: unknown,
  constant = false,
  packed = false,
): string[] {
  const shape = shapeOf(host, `${owner}.${name}`)
  if (shape.kind === 'message' && shape.group) {
    if (w.groups.has(shape.template)) {
      throw new ToProtoError(`${owner}.${name}: a group holds itself, which .proto cannot say (a group declares a new type where it stands); make it embedded`)
    }
    // A group's type is its field's name, capitalized, declared inside its message (top-level types are named with a leading dot).
    const groupName = name.charAt(0).toUpperCase() + name.slice(1)
    w.groups.add(shape.template)
    try {
      return messageText(w, shape.template, groupName, indent, { label, tag })
    } finally {
      w.groups.delete(shape.template)
    }
  }
  const t = typeName(w, host, name, owner)
  // A message has no default in .proto; a constant message is said in the comment.
  const withDefault = value !== undefined && !isZero(value) && shape.kind !== 'message'
  const options = [...(packed ? ['packed = true'] : []), ...(withDefault ? [`default = ${defaultText(shape, value)}`] : [])]
  const line = `${indent}${label === '' ? '' : `${label} `}${t.type} ${name} = ${tag}${options.length === 0 ? '' : ` [${options.join(', ')}]`};${t.note}`
  return constant ? [`${indent}// constant: always ${JSON.stringify(value, bigints)}`, line] : [line]
}

function shapeOf(host: HostType<unknown>, where: string): HostShape {
  const shape = host.impl.shape?.()
  if (shape === undefined) throw new ToProtoError(`${where}: the host type ${host.typeName} says nothing of what it is`)
  return shape
}

/** The .proto type of a host type (declaring its message or enum on first use), and a comment where it needs one. */
function typeName(w: Writer, host: HostType<unknown>, field: string, owner: string): { type: string; note: string } {
  const shape = shapeOf(host, `${owner}.${field}`)
  switch (shape.kind) {
    case 'scalar':
      return { type: shape.proto, note: '' }
    case 'enum':
      if (shape.open) return { type: 'int32', note: ` // enumeration ${shape.name} (open): ${shape.members.map(([k, n]) => `${k} = ${n}`).join(', ')}` }
      return { type: `${w.prefix}${enumName(w, shape)}`, note: '' }
    case 'message': {
      const wanted = shape.name === 'embedded' || shape.name === 'group' ? field.charAt(0).toUpperCase() + field.slice(1) : shape.name
      return { type: `${w.prefix}${claim(w, wanted, shape.template)}`, note: '' }
    }
  }
}

function enumName(w: Writer, shape: HostShape & { kind: 'enum' }): string {
  const key = JSON.stringify([shape.name, shape.members])
  const known = w.enums.get(key)
  if (known !== undefined) return known
  const name = unique(w, shape.name)
  w.enums.set(key, name)
  const aliases = new Set(shape.members.map(([, n]) => n)).size < shape.members.length
  w.out.push(`enum ${name} {`, ...(aliases ? ['  option allow_alias = true;'] : []), ...shape.members.map(([k, n]) => `  ${identifier(k)} = ${n};`), '}', '')
  return name
}

const isZero = (v: unknown): boolean =>
  (v === 0 && !Object.is(v, -0)) || v === 0n || v === false || v === '' || (v instanceof Uint8Array && v.length === 0)

function defaultText(shape: HostShape, v: unknown): string {
  // An open enumeration is an int32 field: its default is the member's number.
  if (shape.kind === 'enum') return shape.open && typeof v === 'string' ? String(shape.members.find(([k]) => k === v)?.[1] ?? v) : String(v)
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'nan'
    if (v === Infinity || v === -Infinity) return v > 0 ? 'inf' : '-inf'
    const text = Object.is(v, -0) ? '-0' : String(v)
    // A float's default is a float literal, which an integer beyond 64 bits is not.
    const floating = shape.kind === 'scalar' && (shape.proto === 'double' || shape.proto === 'float')
    return floating && !/[.e]/.test(text) ? `${text}.0` : text
  }
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v)
  if (typeof v === 'string') return quote(new TextEncoder().encode(v))
  if (v instanceof Uint8Array) return quote(v)
  if (Array.isArray(v)) return quote(new TextEncoder().encode(String.fromCodePoint(...(v as number[]))))
  throw new ToProtoError(`a default of ${typeof v} has no .proto form`)
}

/** A string literal of bytes: printable ASCII as it is, the rest in octal. */
function quote(bytes: Uint8Array): string {
  let out = '"'
  for (const b of bytes) out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c && b !== 0x27 ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`
  return `${out}"`
}

const bigints = (_: string, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Array.from(v) : v)
