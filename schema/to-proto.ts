/**
 * The other direction: .proto text from templates, for the programs in
 * other languages that read protoplate's bytes, and to close the circle
 * .proto → templates → .proto. What it writes protoc (or buf, for
 * editions) accepts, and reads the bytes the templates write as the same
 * values.
 *
 * - `toProto(template, 'Name')` writes one file declaring `Name` and what
 *   it uses; `toProto(schema)` or `toProto({ 'pkg.Name': template, … })`
 *   writes a set of files, each definition under its full name: nested in
 *   the message whose name its name continues, in its package, in its file
 *   (a schema's own, or one a package).
 * - Each piece of a template says what it is (its `shape`): that is what
 *   is printed (to-proto-model.ts gathers it). What has no name is named
 *   here: a message after its host type (`hostType`'s name) or its field, a
 *   group after its field (declared inside its message, as proto2 does),
 *   an enumeration by its name.
 * - Each file's syntax is the one that says its templates' semantics:
 *   proto2 unless they need more; proto3 for implicit presence (a
 *   `defaulted` of the zero) and open enumerations; editions 2023 when one
 *   file needs both, or a group proto2 cannot declare (one that holds
 *   itself, one used by two fields, one named otherwise than its field).
 *   `unvalidatedString` is proto2's string (proto3 cannot read the bytes
 *   that are not UTF-8 it may write), and so are fields whose JSON names
 *   are one (which proto3 refuses); where nothing else decides, strings
 *   that validate make a file proto3.
 * - A constant is a `required` field with its value as `[default = …]` and
 *   a comment; a list constant, a `repeated` field and a comment.
 * - An open enumeration without a member 0 (which an open enum must start
 *   with) is an `int32` field, its members in a comment.
 * - Unknown fields need nothing in the .proto; a required `oneof` (one
 *   that must be present) is written as a oneof, with a comment.
 *
 * @module
 */
import { embedded, type Template } from '../src/index.js'
import { Schema } from './build.js'
import { type Definition, type EnumIR, type FieldIR, identifier, type Label, type MemberIR, type MessageIR, type Model, model, type Place, ToProtoError, type TypeIR } from './to-proto-model.js'

export { ToProtoError, type Definition } from './to-proto-model.js'

/** The syntax of a file toProto writes. */
type Syntax = 'proto2' | 'proto3' | 'editions'

export interface ToProtoOptions {
  /** The file of each top-level definition, by full name: a schema's own by default, else one a package (`pkg/name.proto`, `types.proto`). */
  readonly file?: (fullName: string) => string
}

/** A .proto file declaring `name` as the template's message, and what it uses. */
export function toProto(template: Template<unknown>, name: string, options?: { readonly package?: string }): string
/** .proto files (by path) declaring the definitions, each under its full name, and what they use. */
export function toProto(definitions: Schema | Readonly<Record<string, Definition>>, options?: ToProtoOptions): Record<string, string>
export function toProto(
  what: Template<unknown> | Schema | Readonly<Record<string, Definition>>,
  nameOrOptions?: string | ToProtoOptions,
  options: { readonly package?: string } = {},
): string | Record<string, string> {
  if (typeof nameOrOptions === 'string') {
    const full = options.package === undefined ? identifier(nameOrOptions) : `${options.package}.${identifier(nameOrOptions)}`
    const files = write(model([[full, resolved(what as Template<unknown>)]]), () => 'single.proto', 'a template')
    return files['single.proto']!
  }
  const fileOf = nameOrOptions?.file
  if (what instanceof Schema) {
    const plans = what.plans
    const named: [string, Definition][] = [
      ...[...plans.enums.keys()].map((n) => [n, what.enumeration(n)] as [string, Definition]),
      ...[...plans.messages.values()].filter((m) => !m.mapEntry).map((m) => [m.fullName, what.template(m.fullName)] as [string, Definition]),
    ]
    const own = (n: string) => (plans.messages.get(n) ?? plans.enums.get(n))?.file
    return write(model(byName(named)), (n) => fileOf?.(n) ?? own(n) ?? byPackage(n), 'a schema')
  }
  const named = Object.entries(what as Readonly<Record<string, Definition>>).map(([n, d]) => [n, d.kind === 'template' ? resolved(d as Template<unknown>) : d] as [string, Definition])
  return write(model(byName(named)), (n) => fileOf?.(n) ?? byPackage(n), 'templates')
}

/** Definitions in the order of their names: the text does not depend on the order they are given in. */
const byName = (named: [string, Definition][]): [string, Definition][] => named.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

/** A `lazy`'s target, which is the template its message's shape names. */
function resolved(t: Template<unknown>): Template<unknown> {
  const shape = embedded(t).impl.shape?.()
  return shape?.kind === 'message' ? shape.template : t
}

const byPackage = (full: string): string => {
  const pkg = full.slice(0, Math.max(0, full.lastIndexOf('.')))
  return pkg === '' ? 'types.proto' : `${pkg.replace(/\./g, '/')}.proto`
}

interface File {
  readonly pkg: string
  readonly top: string[]
  syntax: Syntax
}

interface Printer {
  readonly m: Model
  readonly fileOf: ReadonlyMap<string, string>
  readonly files: ReadonlyMap<string, File>
  /** The nested definitions of each message, in the order met. */
  readonly children: ReadonlyMap<string, string[]>
}

function write(m: Model, fileOfTop: (full: string) => string, what: string): Record<string, string> {
  const fileOf = new Map<string, string>()
  const files = new Map<string, File>()
  const children = new Map<string, string[]>()
  const place = (full: string): Place => m.places.get(full)!
  const find = (full: string): string => {
    const known = fileOf.get(full)
    if (known !== undefined) return known
    const p = place(full)
    const f = p.parent !== undefined ? find(p.parent) : p.origin !== undefined ? find(p.origin) : fileOfTop(full)
    fileOf.set(full, f)
    return f
  }
  for (const full of m.decls.keys()) {
    const p = place(full)
    const file = find(full)
    if (p.parent !== undefined) {
      children.set(p.parent, [...(children.get(p.parent) ?? []), full])
      continue
    }
    const f = files.get(file) ?? { pkg: p.pkg, top: [], syntax: 'proto2' as Syntax }
    if (f.pkg !== p.pkg) throw new ToProtoError(`${what}: ${full} (package ${p.pkg || 'none'}) and ${f.top[0]!} (package ${f.pkg || 'none'}) would share the file ${file}`)
    f.top.push(full)
    files.set(file, f)
  }
  const w: Printer = { m, fileOf, files, children }
  for (const f of files.values()) f.syntax = syntaxOf(w, f)
  const out: Record<string, string> = {}
  for (const [path, f] of files) out[path] = fileText(w, path, f)
  return out
}

/** Every message and enumeration of a file, nested ones included. */
function declsOf(w: Printer, f: File): (MessageIR | EnumIR)[] {
  const all: (MessageIR | EnumIR)[] = []
  const add = (full: string) => {
    all.push(w.m.decls.get(full)!)
    for (const c of w.children.get(full) ?? []) add(c)
  }
  f.top.forEach(add)
  return all
}

const fieldsOf = (ir: MessageIR): FieldIR[] => ir.members.flatMap((x) => ('field' in x ? [x.field] : 'oneof' in x ? [...x.oneof.fields] : []))
const last = (full: string): string => full.slice(full.lastIndexOf('.') + 1)

/** Whether proto2 can declare the group of a field where it stands: only that field uses it as a group, it is declared in the field's message, under its field's name. */
function inline(w: Printer, owner: string, field: FieldIR): boolean {
  if (field.type.kind !== 'message' || !field.type.group) return false
  const full = field.type.full
  const uses = w.m.groupUses.get(full) ?? []
  const named = w.m.places.get(full)!
  // A group named here takes its field's name, capitalized; proto2 then names the field in lower case, as it names every group's.
  const anonymous = named.origin !== undefined && last(full) === field.name.charAt(0).toUpperCase() + field.name.slice(1)
  return uses.length === 1 && named.parent === owner && (last(full).toLowerCase() === field.name || anonymous)
}

/** Whether two fields of a message have one JSON name, as protoc compares them (in lower case, without underscores). */
function jsonClash(ir: MessageIR): boolean {
  const names = fieldsOf(ir).map((f) => f.name.replace(/_/g, '').toLowerCase())
  return new Set(names).size < names.length
}

/** The syntax that says what a file's templates are (see the module's comment). */
function syntaxOf(w: Printer, f: File): Syntax {
  let two = false
  let three = false
  let editions = false
  let validated = false
  const type = (t: TypeIR | undefined) => {
    // proto3 validates every string: bytes that are not UTF-8, which `unvalidatedString` writes, it cannot read.
    if (t?.kind === 'scalar' && t.utf8 === false) two = true
    if (t?.kind === 'scalar' && t.utf8 === true) validated = true
    if (t?.kind === 'enum' && !(w.m.decls.get(t.full) as EnumIR).open) two = true
  }
  for (const d of declsOf(w, f)) {
    if (d.kind === 'enum') {
      if (d.open) three = true
      else two = true
      continue
    }
    // proto3 refuses two fields of one JSON name; proto2 allows them, and editions with a feature.
    if (jsonClash(d)) two = true
    for (const field of fieldsOf(d)) {
      type(field.type)
      type(field.key)
      if (field.label === 'required' || field.default !== undefined) two = true
      if (field.label === 'implicit') three = true
      if (field.type.kind === 'message' && field.type.group) {
        if (inline(w, d.full, field)) two = true
        else editions = true
      }
    }
  }
  if (editions || (two && three)) return 'editions'
  if (two) return 'proto2'
  if (three) return 'proto3'
  return validated ? 'proto3' : 'proto2'
}

function fileText(w: Printer, path: string, f: File): string {
  const head = ['// Written by protoplate (toProto) from templates.', f.syntax === 'editions' ? 'edition = "2023";' : `syntax = "${f.syntax}";`, '']
  if (f.pkg !== '') head.push(`package ${f.pkg};`, '')
  const imports = new Set<string>()
  for (const d of declsOf(w, f)) {
    if (d.kind !== 'message') continue
    for (const field of fieldsOf(d)) {
      for (const t of [field.type, field.key]) {
        if (t?.kind !== 'enum' && t?.kind !== 'message') continue
        const file = w.fileOf.get(t.full)!
        if (file !== path) imports.add(file)
      }
    }
  }
  if (imports.size > 0) head.push(...[...imports].sort().map((i) => `import "${i}";`), '')
  const body = f.top.flatMap((full) => [...declText(w, f.syntax, full, ''), ''])
  return [...head, ...body].join('\n')
}

function declText(w: Printer, syntax: Syntax, full: string, indent: string): string[] {
  const d = w.m.decls.get(full)!
  return d.kind === 'enum' ? enumText(d, syntax, indent) : messageText(w, syntax, d, indent)
}

function enumText(e: EnumIR, syntax: Syntax, indent: string): string[] {
  // An open enum starts with its 0.
  const zero = e.members.findIndex(([, n]) => n === 0)
  const members = e.open && zero > 0 ? [e.members[zero]!, ...e.members.filter((_, i) => i !== zero)] : e.members
  const aliases = new Set(members.map(([, n]) => n)).size < members.length
  const options = [...(aliases ? ['option allow_alias = true;'] : []), ...(syntax === 'editions' && !e.open ? ['option features.enum_type = CLOSED;'] : [])]
  return [`${indent}enum ${last(e.full)} {`, ...options.map((o) => `${indent}  ${o}`), ...members.map(([k, n]) => `${indent}  ${identifier(k)} = ${n};`), `${indent}}`]
}

function messageText(w: Printer, syntax: Syntax, ir: MessageIR, indent: string, group?: { readonly label: string; readonly tag: number }): string[] {
  const inner = `${indent}  `
  const inlined = new Set<string>()
  const json = syntax === 'editions' && jsonClash(ir) ? [`${inner}option features.json_format = LEGACY_BEST_EFFORT;`] : []
  const lines = [...json, ...ir.members.flatMap((x) => memberText(w, syntax, ir, x, inner, inlined))]
  const nested = (w.children.get(ir.full) ?? []).filter((c) => !inlined.has(c)).flatMap((c) => declText(w, syntax, c, inner))
  const open = group === undefined ? `${indent}message ${last(ir.full)} {` : `${indent}${group.label === '' ? '' : `${group.label} `}group ${last(ir.full)} = ${group.tag} {`
  return [open, ...lines, ...nested, `${indent}}`]
}

function memberText(w: Printer, syntax: Syntax, ir: MessageIR, x: MemberIR, indent: string, inlined: Set<string>): string[] {
  if ('unknown' in x) return [`${indent}// (unknown fields are kept here)`]
  if ('field' in x) return fieldText(w, syntax, ir.full, x.field, indent, inlined)
  const note = x.oneof.optional ? [] : [`${indent}// one of these is always present`]
  return [...note, `${indent}oneof ${x.oneof.name} {`, ...x.oneof.fields.flatMap((f) => fieldText(w, syntax, ir.full, f, `${indent}  `, inlined)), `${indent}}`]
}

/** The word before a field's type: proto2 says every field's, proto3 an explicit scalar's, editions none but `repeated`. */
function labelWord(syntax: Syntax, label: Label, type: TypeIR): string {
  if (label === 'repeated') return 'repeated'
  if (label === 'member' || label === 'map') return ''
  if (syntax === 'proto2') return label === 'required' ? 'required' : 'optional'
  return syntax === 'proto3' && label === 'optional' && type.kind !== 'message' ? 'optional' : ''
}

function typeText(t: TypeIR): string {
  return t.kind === 'scalar' ? t.proto : t.kind === 'int32' ? 'int32' : `.${t.full}`
}

const packable = (t: TypeIR): boolean => t.kind === 'enum' || t.kind === 'int32' || (t.kind === 'scalar' && t.proto !== 'string' && t.proto !== 'bytes')

function fieldOptions(syntax: Syntax, f: FieldIR): string[] {
  const options: string[] = []
  const repeated = f.label === 'repeated' && packable(f.type)
  if (syntax === 'proto2' && repeated && f.packed === true) options.push('packed = true')
  if (syntax === 'proto3' && repeated && f.packed !== true) options.push('packed = false')
  if (syntax === 'editions') {
    if (repeated && f.packed !== true) options.push('features.repeated_field_encoding = EXPANDED')
    if (f.label === 'required') options.push('features.field_presence = LEGACY_REQUIRED')
    if (f.label === 'implicit') options.push('features.field_presence = IMPLICIT')
    if (f.type.kind === 'message' && f.type.group) options.push('features.message_encoding = DELIMITED')
    if ([f.type, f.key].some((t) => t?.kind === 'scalar' && t.utf8 === false)) options.push('features.utf8_validation = NONE')
  }
  if (f.default !== undefined) options.push(`default = ${f.default}`)
  return options
}

function fieldText(w: Printer, syntax: Syntax, owner: string, f: FieldIR, indent: string, inlined: Set<string>): string[] {
  const notes = f.notes.map((n) => `${indent}// ${n}`)
  const label = labelWord(syntax, f.label, f.type)
  if (syntax === 'proto2' && f.type.kind === 'message' && inline(w, owner, f)) {
    inlined.add(f.type.full)
    return [...notes, ...messageText(w, syntax, w.m.decls.get(f.type.full) as MessageIR, indent, { label, tag: f.tag })]
  }
  const type = f.label === 'map' ? `map<${typeText(f.key!)}, ${typeText(f.type)}>` : typeText(f.type)
  const options = fieldOptions(syntax, f)
  const trailing = [f.key, f.type].flatMap((t) => (t?.kind === 'int32' ? [` // ${t.note}`] : [])).join('')
  return [...notes, `${indent}${label === '' ? '' : `${label} `}${type} ${f.name} = ${f.tag}${options.length === 0 ? '' : ` [${options.join(', ')}]`};${trailing}`]
}
