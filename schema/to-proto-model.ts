/**
 * What toProto writes, before it is text: the messages and enumerations a
 * set of templates uses, each under its full name, with its fields as a
 * .proto has them. Named templates keep their names; the messages and
 * enumerations they reach without a name are named here (after their host
 * type or their field). to-proto.ts chooses each file's syntax from this
 * and prints it.
 *
 * @module
 */
import type { FieldShape, HostShape, HostType, Template } from '../src/index.js'

/** What toProto cannot write (a template a .proto cannot describe). */
export class ToProtoError extends Error {
  override readonly name = 'ToProtoError'
}

/** A field's type: a scalar, a declared enum or message, or an open enumeration no enum can say (an `int32`). */
export type TypeIR =
  | { readonly kind: 'scalar'; readonly proto: string; readonly utf8?: boolean }
  | { readonly kind: 'enum'; readonly full: string }
  | { readonly kind: 'int32'; readonly note: string }
  | { readonly kind: 'message'; readonly full: string; readonly group: boolean }

/**
 * How a field occurs: `optional` is explicit presence, `implicit` proto3's
 * (the zero not written), `member` a oneof's alternative.
 */
export type Label = 'required' | 'optional' | 'implicit' | 'repeated' | 'map' | 'member'

export interface FieldIR {
  readonly name: string
  readonly tag: number
  readonly label: Label
  readonly type: TypeIR
  /** A map's key. */
  readonly key?: TypeIR
  readonly packed?: boolean
  /** `[default = …]`, as .proto text. */
  readonly default?: string
  /** Comment lines before the field. */
  readonly notes: readonly string[]
}

export type MemberIR =
  | { readonly field: FieldIR }
  | { readonly oneof: { readonly name: string; readonly optional: boolean; readonly fields: readonly FieldIR[] } }
  | { readonly unknown: true }

export interface MessageIR {
  readonly kind: 'message'
  readonly full: string
  members: MemberIR[]
}

export interface EnumIR {
  readonly kind: 'enum'
  readonly full: string
  readonly members: readonly (readonly [string, number])[]
  readonly open: boolean
}

/** Where a definition is: nested in a message (`parent`), or at the top of a package. */
export interface Place {
  readonly parent: string | undefined
  readonly pkg: string
  /** For a definition named here (not given a name): the definition that first used it (whose file a top-level one goes in). */
  readonly origin?: string
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/** A template, or a host type (an enumeration, or a `hostType`, which is its message), to be written under a name. */
export type Definition = Template<any> | HostType<any>
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface Model {
  /** Every definition, by full name, in the order met. */
  readonly decls: Map<string, MessageIR | EnumIR>
  readonly places: Map<string, Place>
  /** The group fields of each message used as a group: owner and field name. */
  readonly groupUses: Map<string, { readonly owner: string; readonly field: string }[]>
}

interface Walk extends Model {
  /** The full name of each message template. */
  readonly messages: Map<Template<unknown>, string>
  /** The full name of each enumeration: by host type where named, else by name and members. */
  readonly enumHosts: Map<object, string>
  readonly enumKeys: Map<string, string>
  /** Every full name taken. */
  readonly taken: Set<string>
  /** Messages named but not yet walked. */
  readonly pending: string[]
  readonly templates: Map<string, Template<unknown>>
  /** The groups without a name being walked, inside one another (a group that holds itself refers to its own). */
  readonly groups: Map<Template<unknown>, string>
}

export function identifier(s: string): string {
  const id = s.replace(/[^A-Za-z0-9_]/g, '_')
  return /^[A-Za-z_]/.test(id) ? id : `X${id}`
}

/** `wanted` as an identifier not in `taken` (a number after it if need be), now taken; inside `prefix`. */
function fresh(taken: Set<string>, wanted: string, prefix = ''): string {
  const join = (id: string) => (prefix === '' ? id : `${prefix}.${id}`)
  let name = join(identifier(wanted))
  for (let i = 2; taken.has(name); i++) name = join(`${identifier(wanted)}_${i}`)
  taken.add(name)
  return name
}

const parentOf = (full: string): string => full.slice(0, Math.max(0, full.lastIndexOf('.')))
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

/**
 * The model of named definitions: each full name's parent is the message
 * of the longest prefix that names one; the rest is its package.
 */
export function model(named: readonly (readonly [string, Definition])[]): Model {
  const w: Walk = {
    decls: new Map(), places: new Map(), groupUses: new Map(), messages: new Map(), enumHosts: new Map(), enumKeys: new Map(),
    taken: new Set(), pending: [], templates: new Map(), groups: new Map(),
  }
  const messageNames = new Set<string>()
  const enums: [string, HostShape & { kind: 'enum' }, object][] = []
  for (const [full, d] of named) {
    if (shapes(d) === 'enum') w.decls.set(full, { kind: 'enum', full, members: [], open: false })
    if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(full)) throw new ToProtoError(`${JSON.stringify(full)} is not a full name (identifiers joined by dots)`)
    if (w.taken.has(full)) throw new ToProtoError(`${full} is named twice`)
    w.taken.add(full)
    const shape = d.kind === 'hostType' ? shapeOf(d as HostType<unknown>, full) : undefined
    if (shape?.kind === 'enum') enums.push([full, shape, d])
    else if (shape === undefined || shape.kind === 'message') {
      const template = shape === undefined ? (d as Template<unknown>) : shape.template
      const other = w.messages.get(template)
      if (other !== undefined) throw new ToProtoError(`${full} and ${other} are one template; name it once`)
      w.messages.set(template, full)
      w.templates.set(full, template)
      messageNames.add(full)
      // Declared in the order named: its place is kept when it is walked.
      w.decls.set(full, { kind: 'message', full, members: [] })
    } else throw new ToProtoError(`${full}: a scalar (${shape.proto}) is no definition`)
  }
  const placeOf = (full: string): Place => {
    let pkg = parentOf(full)
    while (messageNames.has(pkg)) pkg = parentOf(pkg)
    return { parent: messageNames.has(parentOf(full)) ? parentOf(full) : undefined, pkg }
  }
  for (const full of messageNames) w.places.set(full, placeOf(full))
  for (const [full, shape, host] of enums) {
    const clash = memberClash(w, shape, parentOf(full))
    if (clash !== undefined) throw new ToProtoError(`${full}: its value ${clash} is a name ${parentOf(full) || 'at the top'} has already (an enum's values are names beside it, not in it)`)
    w.places.set(full, placeOf(full))
    w.enumHosts.set(host, full)
    w.enumKeys.set(enumKey(shape), full)
    w.decls.set(full, enumIR(full, shape))
    takeMembers(w, shape, parentOf(full))
  }
  w.pending.push(...messageNames)
  while (w.pending.length > 0) {
    const full = w.pending.shift()!
    walkMessage(w, w.templates.get(full)!, full)
  }
  return { decls: w.decls, places: w.places, groupUses: w.groupUses }
}

const shapes = (d: Definition): string | undefined => (d.kind === 'hostType' ? (d as HostType<unknown>).impl.shape?.().kind : undefined)

const enumKey = (shape: HostShape & { kind: 'enum' }): string => JSON.stringify([shape.name, shape.members, shape.open])

function enumIR(full: string, shape: HostShape & { kind: 'enum' }): EnumIR {
  return { kind: 'enum', full, members: shape.members, open: shape.open }
}

function walkMessage(w: Walk, template: Template<unknown>, full: string): void {
  const ir: MessageIR = { kind: 'message', full, members: [] }
  // The message is declared before its fields are walked: a group declared inside it comes after it.
  w.decls.set(full, ir)
  // Field names, a oneof's and its members' included, are one scope in a message, which its nested definitions share.
  const taken = new Set<string>()
  const impl = template.impl
  impl.fields.forEach((f, i) => {
    const key = impl.keys?.[i]
    if (key !== undefined) w.taken.add(`${full}.${identifier(key)}`)
    if (f.shape?.kind === 'oneof') for (const m of f.shape.members) if (m.name !== undefined) w.taken.add(`${full}.${identifier(m.name)}`)
  })
  impl.fields.forEach((f, i) => {
    const shape = f.shape
    if (shape === undefined) throw new ToProtoError(`${full}: a field (${f.label}) says nothing of what it is`)
    if (shape.kind === 'unknown') {
      ir.members.push({ unknown: true })
      return
    }
    const name = fresh(taken, impl.keys?.[i] ?? (shape.kind === 'oneof' ? `choice_${i + 1}` : `field_${'tag' in shape ? shape.tag : i + 1}`))
    if (shape.kind !== 'oneof') {
      ir.members.push({ field: fieldIR(w, shape, name, full) })
      return
    }
    const fields = shape.members.map((m, j) => {
      const s = m.shape
      if (s.kind !== 'single') throw new ToProtoError(`${full}.${name}: a oneof's alternatives are fields of one type`)
      const member = fresh(taken, m.name ?? `${name}_${j + 1}`)
      return { name: member, tag: s.tag, label: 'member' as const, type: typeIR(w, s.host, member, full), notes: [] }
    })
    ir.members.push({ oneof: { name, optional: shape.optional, fields } })
  })
}

const bigints = (_: string, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Array.from(v) : v)
const constantNote = (v: unknown): string => `constant: always ${JSON.stringify(v, bigints)}`

function fieldIR(w: Walk, shape: Exclude<FieldShape, { kind: 'oneof' | 'unknown' }>, name: string, owner: string): FieldIR {
  switch (shape.kind) {
    case 'single': {
      const type = typeIR(w, shape.host, name, owner)
      const host = shapeOf(shape.host, `${owner}.${name}`)
      const value = shape.presence === 'optional' ? undefined : shape.value
      const withDefault = value !== undefined && !isZero(host, value) && host.kind !== 'message'
      const dflt = withDefault ? { default: defaultText(host, value) } : {}
      // A zero default is proto3's implicit presence, which neither a message nor a closed enum can have.
      const implicit = shape.presence === 'defaulted' && !withDefault && host.kind !== 'message' && !(host.kind === 'enum' && !host.open)
      const label = shape.presence === 'constant' || shape.presence === 'required' ? 'required' : implicit ? 'implicit' : 'optional'
      return { name, tag: shape.tag, label, type, ...dflt, notes: shape.presence === 'constant' ? [constantNote(value)] : [] }
    }
    case 'list':
      return { name, tag: shape.tag, label: 'repeated', type: typeIR(w, shape.host, name, owner), packed: shape.packed, notes: shape.value === undefined ? [] : [constantNote(shape.value)] }
    case 'map':
      return { name, tag: shape.tag, label: 'map', key: typeIR(w, shape.key, name, owner), type: typeIR(w, shape.value, name, owner), notes: [] }
  }
}

export function shapeOf(host: HostType<unknown>, where: string): HostShape {
  const shape = host.impl.shape?.()
  if (shape === undefined) throw new ToProtoError(`${where}: the host type ${host.typeName} says nothing of what it is`)
  return shape
}

/** The type of a field of a host type: its message or enumeration named (and walked) on first use. */
function typeIR(w: Walk, host: HostType<unknown>, field: string, owner: string): TypeIR {
  const shape = shapeOf(host, `${owner}.${field}`)
  switch (shape.kind) {
    case 'scalar':
      return shape.utf8 === undefined ? { kind: 'scalar', proto: shape.proto } : { kind: 'scalar', proto: shape.proto, utf8: shape.utf8 }
    case 'enum':
      return enumType(w, host, shape, owner)
    case 'message':
      return messageType(w, shape, field, owner)
  }
}

function enumType(w: Walk, host: object, shape: HostShape & { kind: 'enum' }, owner: string): TypeIR {
  const members = shape.members.map(([k, n]) => `${k} = ${n}`).join(', ')
  // An open enum's first value is 0 (the zero of implicit presence): one without a 0 is an int32.
  if (shape.open && !shape.members.some(([, n]) => n === 0)) return { kind: 'int32', note: `enumeration ${shape.name} (open): ${members}` }
  const known = w.enumHosts.get(host) ?? w.enumKeys.get(enumKey(shape))
  if (known !== undefined) return { kind: 'enum', full: known }
  // Its own name where that is a full name in the package that uses it, or inside a message there is; else a name at the top of that package, or inside the message that uses it where its values are names at the top already.
  const pkg = w.places.get(topOf(w, owner))!.pkg
  const parent = parentOf(shape.name)
  const inMessage = w.decls.get(parent)?.kind === 'message'
  const own = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(shape.name) && (parent === pkg || inMessage) && !w.taken.has(shape.name) && memberClash(w, shape, parent) === undefined
  const scope = own ? parent : memberClash(w, shape, pkg) === undefined ? pkg : owner
  const clash = memberClash(w, shape, scope)
  if (clash !== undefined) throw new ToProtoError(`${owner}: the enumeration ${shape.name}'s value ${clash} is a name in ${scope || 'the top'} and in ${pkg || 'the top'} already (an enum's values are names beside it, not in it)`)
  const full = own ? shape.name : fresh(w.taken, shape.name, scope)
  w.taken.add(full)
  w.places.set(full, scope === pkg ? { parent: undefined, pkg, origin: owner } : { parent: scope, pkg: w.places.get(scope)!.pkg, origin: owner })
  w.enumKeys.set(enumKey(shape), full)
  w.decls.set(full, enumIR(full, shape))
  takeMembers(w, shape, scope)
  return { kind: 'enum', full }
}

const inside = (scope: string, name: string): string => (scope === '' ? name : `${scope}.${name}`)

/** A value of an enumeration whose name is taken in the scope the enumeration would be declared in (.proto scopes an enum's values beside it), or undefined. */
function memberClash(w: Walk, shape: HostShape & { kind: 'enum' }, scope: string): string | undefined {
  return shape.members.map(([k]) => identifier(k)).find((k) => w.taken.has(inside(scope, k)))
}

function takeMembers(w: Walk, shape: HostShape & { kind: 'enum' }, scope: string): void {
  for (const [k] of shape.members) w.taken.add(inside(scope, identifier(k)))
}

function topOf(w: Walk, full: string): string {
  let top = full
  for (let p = w.places.get(top)?.parent; p !== undefined; p = w.places.get(top)?.parent) top = p
  return top
}

function messageType(w: Walk, shape: HostShape & { kind: 'message' }, field: string, owner: string): TypeIR {
  const template = shape.template
  let full = w.messages.get(template) ?? (shape.group ? w.groups.get(template) : undefined)
  if (full === undefined && shape.group) {
    // A group without a name is declared inside its message, named after its field, as proto2 declares a group.
    full = fresh(w.taken, capital(field), owner)
    w.places.set(full, { parent: owner, pkg: w.places.get(owner)!.pkg, origin: owner })
    w.groups.set(template, full)
    try {
      walkMessage(w, template, full)
    } finally {
      w.groups.delete(template)
    }
  } else if (full === undefined) {
    const pkg = w.places.get(topOf(w, owner))!.pkg
    full = fresh(w.taken, shape.name === 'embedded' || shape.name === 'group' ? capital(field) : shape.name, pkg)
    w.places.set(full, { parent: undefined, pkg, origin: owner })
    w.messages.set(template, full)
    w.templates.set(full, template)
    w.pending.push(full)
  }
  if (shape.group) w.groupUses.set(full, [...(w.groupUses.get(full) ?? []), { owner, field }])
  return { kind: 'message', full, group: shape.group }
}

/** Whether a value is its type's zero (an enumeration's: its member 0), which .proto need not say. */
const isZero = (shape: HostShape, v: unknown): boolean =>
  shape.kind === 'enum'
    ? v === 0 || shape.members.some(([k, n]) => k === v && n === 0)
    : (v === 0 && !Object.is(v, -0)) || v === 0n || v === false || v === '' || (v instanceof Uint8Array && v.length === 0) || (Array.isArray(v) && v.length === 0)

function defaultText(shape: HostShape, v: unknown): string {
  // An open enumeration written as an int32 has its member's number as its default.
  if (shape.kind === 'enum') {
    const int32 = shape.open && !shape.members.some(([, n]) => n === 0)
    return int32 && typeof v === 'string' ? String(shape.members.find(([k]) => k === v)?.[1] ?? v) : typeof v === 'string' ? identifier(v) : String(v)
  }
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
