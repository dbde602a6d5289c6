/**
 * From descriptors to plans: what each message, field and enumeration of a
 * schema is, with every rule of its syntax applied (proto2, proto3 or an
 * edition, whose features say presence, packing, enum closedness, UTF-8
 * validation and group encoding). Both the templates built at run time
 * (build.ts) and the source the generator writes (generate.ts) are made
 * from these plans, so the two cannot differ.
 *
 * Problems a descriptor can have that no template could express (two
 * fields of one number, a number in a reserved range, a map of a message
 * key, a type that is not defined) are `SchemaError`s here, naming the
 * message and the field.
 *
 * @module
 */
import { SchemaError } from './errors.js'
import { type Features, fileFeatures, legacyFeatures, merge } from './features.js'
import type * as D from './descriptor.js'

/** The scalar types of .proto, by their names there. */
export type ScalarName =
  | 'double' | 'float' | 'int64' | 'uint64' | 'int32' | 'fixed64' | 'fixed32' | 'bool' | 'string'
  | 'bytes' | 'uint32' | 'sfixed32' | 'sfixed64' | 'sint32' | 'sint64'

/** What one value of a field is. */
export type TypePlan =
  | { readonly kind: 'scalar'; readonly scalar: ScalarName; readonly big: boolean; readonly validate: boolean }
  | { readonly kind: 'enum'; readonly ref: string }
  | { readonly kind: 'message'; readonly ref: string; readonly delimited: boolean }

/**
 * How a field occurs: `implicit` (proto3's: the zero is not written and a
 * missing field reads as the zero), `explicit` (absent is `undefined`),
 * `required`, `repeated` (unpacked), `packed`, `map`.
 */
export type Cardinality = 'implicit' | 'explicit' | 'required' | 'repeated' | 'packed' | 'map'

export interface FieldPlan {
  readonly name: string
  /** Its name in ProtoJSON: the descriptor's `json_name`, or protoc's lowerCamel of `name`. */
  readonly jsonName: string
  readonly number: number
  readonly cardinality: Cardinality
  /** The value's type; for a map, the value's. */
  readonly type: TypePlan
  /** A map's key type. */
  readonly key?: TypePlan & { readonly kind: 'scalar' }
  /** The `[default = …]` of a proto2 field, as the descriptor writes it. */
  readonly default?: string
}

export interface OneofPlan {
  readonly name: string
  readonly fields: readonly FieldPlan[]
}

/** A message's members in field-number order (as protoc's runtimes write them); a oneof stands at its lowest member. */
export type MemberPlan = { readonly field: FieldPlan } | { readonly oneof: OneofPlan }

export interface MessagePlan {
  readonly fullName: string
  readonly file: string
  readonly members: readonly MemberPlan[]
  /** A map's entry message, which has no template of its own in generated code. */
  readonly mapEntry: boolean
  /** Field names the message reserves (the text format skips them when it reads). */
  readonly reservedNames?: readonly string[]
}

export interface EnumPlan {
  readonly fullName: string
  readonly file: string
  /** Member names and numbers, in declaration order (aliases included). */
  readonly values: readonly (readonly [string, number])[]
  /** A closed enumeration sends an unknown number to the message's unknown fields; an open one keeps it. */
  readonly closed: boolean
}

export interface PlanOptions {
  /** 64-bit integers as `bigint` (the default) or as `number`; a field's `jstype` says otherwise for itself. */
  readonly int64?: 'bigint' | 'number'
}

export interface Plans {
  readonly messages: ReadonlyMap<string, MessagePlan>
  readonly enums: ReadonlyMap<string, EnumPlan>
  /** The files, in the order given. */
  readonly files: readonly string[]
}

const SCALARS: Readonly<Record<string, ScalarName>> = {
  TYPE_DOUBLE: 'double', TYPE_FLOAT: 'float', TYPE_INT64: 'int64', TYPE_UINT64: 'uint64', TYPE_INT32: 'int32',
  TYPE_FIXED64: 'fixed64', TYPE_FIXED32: 'fixed32', TYPE_BOOL: 'bool', TYPE_STRING: 'string', TYPE_BYTES: 'bytes',
  TYPE_UINT32: 'uint32', TYPE_SFIXED32: 'sfixed32', TYPE_SFIXED64: 'sfixed64', TYPE_SINT32: 'sint32', TYPE_SINT64: 'sint64',
}
const WIDE: ReadonlySet<ScalarName> = new Set(['int64', 'uint64', 'fixed64', 'sfixed64', 'sint64'])
const PACKABLE_NOT: ReadonlySet<ScalarName> = new Set(['string', 'bytes'])
const KEY_NOT: ReadonlySet<ScalarName> = new Set(['double', 'float', 'bytes'])
const MAX_NUMBER = 0x1fffffff

/** Where a definition sits: its file, its full name, and the features it inherits. */
interface Scope {
  readonly file: D.FileDescriptorProto
  readonly prefix: string
  readonly features: Features
  readonly syntax: 'proto2' | 'proto3' | 'editions'
}

/** The plans of every message and enumeration of the files, checked. */
export function plan(files: readonly D.FileDescriptorProto[], options: PlanOptions = {}): Plans {
  const int64 = options.int64 ?? 'bigint'
  if (int64 !== 'bigint' && int64 !== 'number') throw new SchemaError(`int64 must be 'bigint' or 'number', not ${String(int64)}`)
  const descriptors = new Map<string, { readonly d: D.DescriptorProto; readonly scope: Scope }>()
  const enums = new Map<string, EnumPlan>()
  const names = new Set<string>()
  const define = (full: string, file: D.FileDescriptorProto) => {
    if (names.has(full)) throw new SchemaError(`${full} is defined twice (again in ${file.name ?? 'a file without a name'})`)
    names.add(full)
  }
  const collect = (scope: Scope, messages: readonly D.DescriptorProto[], enumTypes: readonly D.EnumDescriptorProto[]) => {
    for (const e of enumTypes) {
      const full = scope.prefix + need(e.name, 'an enumeration without a name')
      define(full, scope.file)
      enums.set(full, enumPlan(full, e, merge(scope.features, e.options?.features), scope))
    }
    for (const m of messages) {
      const full = scope.prefix + need(m.name, 'a message without a name')
      define(full, scope.file)
      const inner: Scope = { ...scope, prefix: `${full}.`, features: merge(scope.features, m.options?.features) }
      descriptors.set(full, { d: m, scope: inner })
      collect(inner, m.nested_type, m.enum_type)
    }
  }
  for (const file of files) {
    const syntax = syntaxOf(file)
    const scope: Scope = { file, prefix: file.package ? `${file.package}.` : '', features: fileFeatures(syntax, file.edition, file.options?.features), syntax }
    collect(scope, file.message_type, file.enum_type)
  }
  const messages = new Map<string, MessagePlan>()
  for (const [full, { d, scope }] of descriptors) {
    messages.set(full, messagePlan(full, d, scope, { descriptors, enums, int64 }))
  }
  return { messages, enums, files: files.map((f) => f.name ?? '') }
}

function syntaxOf(file: D.FileDescriptorProto): Scope['syntax'] {
  const s = file.syntax ?? 'proto2'
  if (s === '' || s === 'proto2') return 'proto2'
  if (s === 'proto3' || s === 'editions') return s
  throw new SchemaError(`${file.name ?? 'a file'}: syntax ${JSON.stringify(s)} is not proto2, proto3 or editions`)
}

function need<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new SchemaError(`the descriptor has ${what}`)
  return x
}

function enumPlan(full: string, e: D.EnumDescriptorProto, features: Features, scope: Scope): EnumPlan {
  const values = e.value.map((v) => [need(v.name, `a value without a name in ${full}`), v.number ?? 0] as const)
  if (values.length === 0) throw new SchemaError(`enum ${full} has no values`)
  const closed = features.enumType === 'CLOSED'
  if (!closed && values[0]![1] !== 0) {
    throw new SchemaError(`enum ${full}: the first value of an open enum must be 0, not ${values[0]![0]} = ${values[0]![1]}`)
  }
  return { fullName: full, file: scope.file.name ?? '', values, closed }
}

interface Context {
  readonly descriptors: ReadonlyMap<string, { readonly d: D.DescriptorProto; readonly scope: Scope }>
  readonly enums: ReadonlyMap<string, EnumPlan>
  readonly int64: 'bigint' | 'number'
}

function messagePlan(full: string, d: D.DescriptorProto, scope: Scope, ctx: Context): MessagePlan {
  checkNumbers(full, d)
  const oneofs = d.oneof_decl.map((o) => ({ name: need(o.name, `a oneof without a name in ${full}`), features: merge(scope.features, o.options?.features) }))
  const real = new Map<number, FieldPlan[]>()
  const entries: { readonly at: number; readonly member: MemberPlan | number }[] = []
  for (const f of d.field) {
    const name = need(f.name, `a field without a name in ${full}`)
    const inOneof = f.oneof_index !== undefined && f.proto3_optional !== true
    if (f.oneof_index !== undefined && oneofs[f.oneof_index] === undefined) {
      throw new SchemaError(`${full}.${name}: oneof_index ${f.oneof_index} names no oneof`)
    }
    const inherited = f.oneof_index !== undefined ? oneofs[f.oneof_index]!.features : scope.features
    const p = fieldPlan(`${full}.${name}`, f, merge(inherited, f.options?.features), scope, inOneof, ctx)
    if (inOneof) {
      const list = real.get(f.oneof_index!) ?? []
      if (list.length === 0) {
        real.set(f.oneof_index!, list)
        entries.push({ at: p.number, member: f.oneof_index! })
      }
      list.push(p)
    } else entries.push({ at: p.number, member: { field: p } })
  }
  entries.sort((a, b) => a.at - b.at)
  const members = entries.map(({ member }) =>
    typeof member === 'number' ? { oneof: { name: oneofs[member]!.name, fields: real.get(member)! } } : member,
  )
  return { fullName: full, file: scope.file.name ?? '', members, mapEntry: d.options?.map_entry === true, ...(d.reserved_name.length === 0 ? {} : { reservedNames: d.reserved_name }) }
}

/** Field numbers: in range, unique, outside the reserved ranges and names. */
function checkNumbers(full: string, d: D.DescriptorProto): void {
  const seen = new Map<number, string>()
  const reservedNames = new Set(d.reserved_name)
  for (const f of d.field) {
    const n = f.number
    const where = `${full}.${f.name ?? '?'}`
    if (n === undefined || !Number.isInteger(n) || n < 1 || n > MAX_NUMBER) throw new SchemaError(`${where}: field number ${String(n)} is not in 1 … ${MAX_NUMBER}`)
    if (n >= 19000 && n <= 19999) throw new SchemaError(`${where}: field number ${n} is in 19000 … 19999, which protobuf reserves`)
    const other = seen.get(n)
    if (other !== undefined) throw new SchemaError(`${where}: field number ${n} is used by ${other} too`)
    seen.set(n, f.name ?? '?')
    for (const r of d.reserved_range) {
      if (n >= (r.start ?? 0) && n < (r.end ?? 0)) throw new SchemaError(`${where}: field number ${n} is reserved`)
    }
    if (f.name !== undefined && reservedNames.has(f.name)) throw new SchemaError(`${where}: the name ${f.name} is reserved`)
  }
}

function fieldPlan(where: string, f: D.FieldDescriptorProto, own: Features, scope: Scope, inOneof: boolean, ctx: Context): FieldPlan {
  const features = legacyFeatures(scope.syntax, f, own)
  const label = f.label ?? 'LABEL_OPTIONAL'
  const type = typePlan(where, f, features, scope, ctx)
  const base = { name: f.name!, jsonName: f.json_name ?? jsonName(f.name!), number: f.number!, type, ...(f.default_value === undefined ? {} : { default: f.default_value }) }
  if (label === 'LABEL_REPEATED') {
    const entry = type.kind === 'message' ? ctx.descriptors.get(type.ref) : undefined
    if (entry !== undefined && entry.d.options?.map_entry === true) return mapPlan(where, base, entry.d, entry.scope, ctx)
    const packable = type.kind === 'enum' || (type.kind === 'scalar' && !PACKABLE_NOT.has(type.scalar))
    return { ...base, cardinality: packable && features.repeated === 'PACKED' ? 'packed' : 'repeated' }
  }
  if (label === 'LABEL_REQUIRED' || features.presence === 'LEGACY_REQUIRED') return { ...base, cardinality: 'required' }
  if (inOneof || type.kind === 'message' || features.presence === 'EXPLICIT') return { ...base, cardinality: 'explicit' }
  if (type.kind === 'enum' && ctx.enums.get(type.ref)!.closed) {
    throw new SchemaError(`${where}: a field of implicit presence cannot have the closed enum ${type.ref}`)
  }
  return { ...base, cardinality: 'implicit' }
}

function typePlan(where: string, f: D.FieldDescriptorProto, features: Features, scope: Scope, ctx: Context): TypePlan {
  const t = f.type
  const scalar = t === undefined ? undefined : SCALARS[t]
  if (scalar !== undefined) {
    const big = WIDE.has(scalar) && (f.options?.jstype === 'JS_NUMBER' ? false : f.options?.jstype === 'JS_STRING' || ctx.int64 === 'bigint')
    return { kind: 'scalar', scalar, big, validate: scalar === 'string' && features.utf8 === 'VERIFY' }
  }
  const ref = resolve(where, f.type_name, scope, ctx)
  if (ctx.enums.has(ref)) {
    if (t !== undefined && t !== 'TYPE_ENUM') throw new SchemaError(`${where}: ${ref} is an enum, not a ${t}`)
    return { kind: 'enum', ref }
  }
  if (t !== undefined && t !== 'TYPE_MESSAGE' && t !== 'TYPE_GROUP') throw new SchemaError(`${where}: ${ref} is a message, not a ${t}`)
  const entry = ctx.descriptors.get(ref)!.d.options?.map_entry === true
  return { kind: 'message', ref, delimited: t === 'TYPE_GROUP' || (!entry && features.encoding === 'DELIMITED') }
}

/**
 * A type name to the full name it stands for: `.a.b.C` as it is, a
 * relative name from the innermost scope outwards, as protoc resolves it.
 */
function resolve(where: string, name: string | undefined, scope: Scope, ctx: Context): string {
  if (name === undefined || name === '') throw new SchemaError(`${where}: the field has neither a scalar type nor a type name`)
  const known = (n: string) => ctx.descriptors.has(n) || ctx.enums.has(n)
  if (name.startsWith('.')) {
    if (known(name.slice(1))) return name.slice(1)
  } else {
    const parts = scope.prefix.split('.').filter((p) => p !== '')
    for (let i = parts.length; i >= 0; i--) {
      const candidate = [...parts.slice(0, i), name].join('.')
      if (known(candidate)) return candidate
    }
  }
  throw new SchemaError(`${where}: the type ${name} is not defined`)
}

function mapPlan(
  where: string,
  base: { readonly name: string; readonly jsonName: string; readonly number: number },
  entry: D.DescriptorProto,
  scope: Scope,
  ctx: Context,
): FieldPlan {
  const key = entry.field.find((f) => f.number === 1)
  const value = entry.field.find((f) => f.number === 2)
  if (key === undefined || value === undefined || entry.field.length !== 2) {
    throw new SchemaError(`${where}: the map entry ${scope.prefix.slice(0, -1)} must have exactly a key (1) and a value (2)`)
  }
  const keyPlan = typePlan(where, key, legacyFeatures(scope.syntax, key, merge(scope.features, key.options?.features)), scope, ctx)
  if (keyPlan.kind !== 'scalar' || KEY_NOT.has(keyPlan.scalar)) {
    const what = keyPlan.kind === 'scalar' ? keyPlan.scalar : keyPlan.kind === 'enum' ? `the enum ${keyPlan.ref}` : `the message ${keyPlan.ref}`
    throw new SchemaError(`${where}: a map key cannot be ${what}`)
  }
  const valueFeatures = legacyFeatures(scope.syntax, value, merge(scope.features, value.options?.features))
  const valuePlan = typePlan(where, value, valueFeatures, scope, ctx)
  return { ...base, cardinality: 'map', key: keyPlan, type: valuePlan.kind === 'message' ? { ...valuePlan, delimited: false } : valuePlan }
}

/** protoc's ToJsonName: underscores dropped, the letter after each in capitals. */
export function jsonName(name: string): string {
  let out = ''
  let cap = false
  for (const c of name) {
    if (c === '_') cap = true
    else {
      out += cap ? c.toUpperCase() : c
      cap = false
    }
  }
  return out
}

const entries = new WeakMap<FieldPlan, MessagePlan>()

/** A map field's entry as a message of two fields, `key` (1) and `value` (2), for readers that walk a map's entries as messages. */
export function mapEntryPlan(f: FieldPlan): MessagePlan {
  let e = entries.get(f)
  if (e === undefined) {
    const field = (name: string, number: number, type: TypePlan): FieldPlan => ({ name, jsonName: name, number, cardinality: 'explicit', type })
    e = { fullName: `${f.name} entry`, file: '', mapEntry: true, members: [{ field: field('key', 1, f.key!) }, { field: field('value', 2, f.type) }] }
    entries.set(f, e)
  }
  return e
}
