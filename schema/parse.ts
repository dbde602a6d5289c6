/**
 * `.proto` text to descriptors, without protoc: `parseProto` gives, for
 * each file and its imports, the FileDescriptorProto that
 * `protoc --descriptor_set_out --include_imports` writes (less
 * `source_code_info`), as a plain value typed by the generated templates (descriptor.ts).
 *
 * protobufjs's parser reads the text (it is what @grpc/proto-loader uses,
 * and it reads editions 2023); its result, a tree of reflection objects,
 * is turned here into descriptors. What that tree does not keep (places,
 * default values as written, `import public`, where map entries fall among
 * nested messages) is read from the tokens by outline.ts; names are
 * resolved here, by protoc's rules, across the files a file imports.
 * docs/schemas.md ("The .proto parser") says what differs from protoc.
 *
 * protobufjs is loaded by the first call, not by importing this module.
 *
 * @module
 */
import { readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import type * as PB from 'protobufjs'
import { SchemaError } from './errors.js'
import { type Lexed, type Token, lex, placeOf, stringBytes } from './lexer.js'
import { type OptionField, type OptionsName, hasUninterpreted, optionsMessages } from './options.js'
import { type Decl, type Import, type Outline, mapEntryName, outline } from './outline.js'
// The descriptor values are the types of the generated templates (descriptor.ts), as the plans read them.
import type {
  DescriptorProto as DescriptorProtoValue,
  EnumDescriptorProto as EnumDescriptorProtoValue,
  EnumOptions as EnumOptionsValue,
  EnumValueOptions as EnumValueOptionsValue,
  FieldDescriptorProto as FieldDescriptorProtoValue,
  FieldOptions as FieldOptionsValue,
  FieldDescriptorProto_Type as FieldType,
  FileDescriptorProto as FileDescriptorProtoValue,
  FileDescriptorSet as FileDescriptorSetValue,
  FileOptions as FileOptionsValue,
  MessageOptions as MessageOptionsValue,
  MethodOptions as MethodOptionsValue,
  OneofDescriptorProto as OneofDescriptorProtoValue,
  OneofOptions as OneofOptionsValue,
  ServiceDescriptorProto as ServiceDescriptorProtoValue,
  ServiceOptions as ServiceOptionsValue,
  SymbolVisibility,
} from './descriptor.js'
import { wellKnownTypes } from './wkt.js'
import { jsonName } from './plan.js'

export type { FileDescriptorSet as FileDescriptorSetValue } from './descriptor.js'

/**
 * What to parse: files on disk, or one file's text.
 *
 * - `files`: paths of `.proto` files. A path that exists is named, in the
 *   descriptors and in imports, relative to the first include path that
 *   holds it (as protoc names it); a path that does not exist is taken as
 *   such a name already, and looked for in the include paths.
 * - `source`: the text of one file, named `name` (default `input.proto`).
 *
 * `includePaths` (default `['.']`) are where imports are looked for, in
 * order. An import of `google/protobuf/….proto` (the well-known types,
 * descriptor.proto, compiler/plugin.proto) that no include path holds is
 * read from a built-in copy of protoc 3.21.12's files.
 */
export type ParseInput =
  | { readonly files: readonly string[]; readonly includePaths?: readonly string[] }
  | { readonly source: string; readonly name?: string; readonly includePaths?: readonly string[] }

/**
 * Parse `.proto` files into descriptors: each file once, its imports before
 * it, as `protoc --include_imports --descriptor_set_out` orders them.
 *
 * Throws a `SchemaError` with the file, line and column when a file does not
 * parse or does not resolve (an unknown type, a missing import, a duplicate
 * name, an unknown option); one that names no place in a file (a file given
 * that does not exist) has the file only. Nothing else escapes.
 */
export function parseProto(input: ParseInput): FileDescriptorSetValue {
  try {
    return parseAll(input)
  } catch (e) {
    if (e instanceof SchemaError) throw e
    throw new SchemaError(`internal error: ${e instanceof Error ? e.message : String(e)}`)
  }
}

// ---------------------------------------------------------------------------
// Loading files

type Protobufjs = typeof PB
let loaded: Protobufjs | undefined
const protobufjs = (): Protobufjs => (loaded ??= createRequire(import.meta.url)('protobufjs') as Protobufjs)

type Syntax = 'proto2' | 'proto3' | 'editions'

/** A file read and parsed. */
interface SourceFile {
  readonly name: string
  readonly text: string
  readonly lexed: Lexed
  readonly outline: Outline
  readonly root: PB.Root
  /** The namespace of the file's package (the root without one): its top-level definitions. */
  readonly ns: PB.Namespace
  readonly pkg: string
  readonly syntax: Syntax
  readonly edition?: string
  /** Its imports, resolved, in the order written (`import option` left out). */
  readonly deps: SourceFile[]
  readonly imports: readonly Import[]
}

function parseAll(input: ParseInput): FileDescriptorSetValue {
  if (typeof input !== 'object' || input === null) throw new SchemaError('parseProto: the input is not an object')
  const includePaths = input.includePaths ?? ['.']
  if (!Array.isArray(includePaths) || !includePaths.every((p) => typeof p === 'string')) throw new SchemaError('parseProto: includePaths is not an array of strings')
  const loader = new Loader(protobufjs(), includePaths)
  if ('files' in input) {
    if (!Array.isArray(input.files) || !input.files.every((p) => typeof p === 'string')) throw new SchemaError('parseProto: files is not an array of strings')
    for (const path of input.files) loader.loadTop(path)
  } else {
    if (typeof input.source !== 'string') throw new SchemaError('parseProto: source is not a string')
    const name = input.name ?? 'input.proto'
    if (typeof name !== 'string') throw new SchemaError('parseProto: name is not a string')
    loader.load(name, input.source, [])
  }
  const symbols = new Symbols()
  for (const f of loader.order) guard(f.name, () => symbols.addFile(f))
  return { file: loader.order.map((f) => guard(f.name, () => new FileConverter(f, symbols).file())) }
}

/** `f()`, any error but a SchemaError (a fault here, not in the file) made one, in `file`. */
function guard<T>(file: string, f: () => T): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof SchemaError) throw e
    throw new SchemaError(`internal error: ${e instanceof Error ? e.message : String(e)}`, { file, line: 1, column: 1 })
  }
}

/** A file being loaded, and its import that is being loaded. */
interface Importing {
  readonly name: string
  readonly text: string
  readonly at: Token
}

class Loader {
  readonly files = new Map<string, SourceFile>()
  /** Files, imports before importers. */
  readonly order: SourceFile[] = []

  constructor(
    readonly pb: Protobufjs,
    readonly includePaths: readonly string[],
  ) {}

  /** A file given by path: named relative to its include path, as protoc names it. */
  loadTop(path: string): void {
    let name = path
    if (isFile(path)) {
      const abs = resolve(path)
      const inside = this.includePaths.map((p) => relative(resolve(p), abs)).find((r) => r !== '' && !r.startsWith('..') && !isAbsolute(r))
      if (inside === undefined) throw new SchemaError('File does not reside within any of the include paths.', { file: path })
      name = inside.split(sep).join('/')
    }
    if (this.files.has(name)) return
    const text = this.read(name)
    if (text === undefined) throw new SchemaError('File not found.', { file: path })
    this.load(name, text, [])
  }

  /** The text of a file named as imports name it, from the include paths or the built-in copies. */
  read(name: string): string | undefined {
    for (const dir of this.includePaths) {
      const path = join(dir, name)
      if (isFile(path)) {
        try {
          return readFileSync(path, 'utf8')
        } catch (e) {
          throw new SchemaError(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, { file: name })
        }
      }
    }
    return wellKnownTypes[name]
  }

  /**
   * Parse a file and, first, its imports. `stack`: the files importing it,
   * each with its import that leads here, for cycles.
   */
  load(name: string, text: string, stack: readonly Importing[]): SourceFile {
    return guard(name, () => this.loadGuarded(name, text, stack))
  }

  loadGuarded(name: string, text: string, stack: readonly Importing[]): SourceFile {
    const lexed = lex(text)
    const parsed = parsePb(this.pb, name, text, lexed)
    const multiline = lexed.tokens.find((t) => t.kind === 'string' && t.text.includes('\n'))
    // protobufjs reads a string across lines; protoc does not.
    if (multiline !== undefined) throw new SchemaError('String literals cannot cross line boundaries.', { file: name, ...placeOf(text, multiline.start + multiline.text.indexOf('\n')) })
    const o = outline(lexed.tokens)
    const problem = o.problems[0]
    if (problem !== undefined) throw new SchemaError(problem.what, { file: name, ...placeOf(text, problem.at.start) })
    const proto = [...o.decls.values()].flat().find((d) => d.name.text === '__proto__')
    // protobufjs's objects drop a member of that name without a word.
    if (proto !== undefined) throw new SchemaError(`"__proto__" as a name (protobufjs's parser drops it)`, { file: name, ...placeOf(text, proto.name.start) })
    const syntax = syntaxOf(name, text, o)
    const deps: SourceFile[] = []
    const imports = o.imports.filter((imp) => imp.modifier !== 'option')
    // Edition 2024's `import option` files are read too (they define the
    // options used), and go into the set, though not among the dependencies.
    for (const imp of [...imports, ...o.imports.filter((i) => i.modifier === 'option')]) {
      const done = this.files.get(imp.path)
      if (done !== undefined) {
        if (imp.modifier !== 'option') deps.push(done)
        continue
      }
      const here = [...stack, { name, text, at: imp.at }]
      const cycle = here.findIndex((h) => h.name === imp.path)
      if (cycle >= 0) {
        const start = here[cycle]!
        throw new SchemaError(`File recursively imports itself: ${[...here.slice(cycle).map((h) => h.name), imp.path].join(' -> ')}`, { file: start.name, ...placeOf(start.text, start.at.start) })
      }
      const t = this.read(imp.path)
      if (t === undefined) throw new SchemaError(`Import "${imp.path}" was not found.`, { file: name, ...placeOf(text, imp.at.start) })
      const dep = this.load(imp.path, t, here)
      if (imp.modifier !== 'option') deps.push(dep)
    }
    const pkg = o.package?.name ?? ''
    const ns = pkg === '' ? parsed : (parsed.lookup(pkg) as PB.Namespace | null) ?? parsed
    const file: SourceFile = { name, text, lexed, outline: o, root: parsed, ns, pkg, ...syntax, deps, imports }
    this.files.set(name, file)
    this.order.push(file)
    return file
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

function syntaxOf(name: string, text: string, o: Outline): { syntax: Syntax; edition?: string } {
  if (o.edition !== undefined) return { syntax: 'editions', edition: o.edition.value }
  const s = o.syntax?.value ?? 'proto2'
  if (s === 'proto2' || s === 'proto3') return { syntax: s }
  throw new SchemaError(`Unrecognized syntax identifier "${s}".  This parser only recognizes "proto2" and "proto3".`, { file: name, ...placeOf(text, o.syntax!.at.start) })
}

// ---------------------------------------------------------------------------
// protobufjs's parser, and its errors placed

/** protobufjs's parser names the file in its errors from a property of its own. */
const setFilename = (pb: Protobufjs, name: string | null): void => {
  ;(pb.parse as unknown as { filename: string | null }).filename = name
}

/**
 * A root for one file. protobufjs's root joins an extension to the type it
 * extends as soon as both are in it, and fails when that type is no
 * message (looking into an enum as into a message); extensions are
 * resolved here, by protoc's rules, so this root passes them by.
 */
function newRoot(pb: Protobufjs): PB.Root {
  const root = new pb.Root()
  const own = root as unknown as { _handleAdd(o: PB.ReflectionObject): void }
  const handleAdd = own._handleAdd
  own._handleAdd = function (o) {
    if (o instanceof pb.Field && o.extend !== undefined) return
    handleAdd.call(this, o)
  }
  return root
}

function parsePb(pb: Protobufjs, name: string, text: string, lexed: Lexed): PB.Root {
  const root = newRoot(pb)
  try {
    setFilename(pb, name)
    pb.parse(text, root, { keepCase: true })
    return root
  } catch (e) {
    throw placeParseError(pb, name, text, lexed, e)
  } finally {
    setFilename(pb, null)
  }
}

/** Run protobufjs's parser alone: its error's message, or undefined. */
function parseMessage(pb: Protobufjs, name: string, text: string): string | undefined {
  try {
    setFilename(pb, name)
    pb.parse(text, newRoot(pb), { keepCase: true })
    return undefined
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  } finally {
    setFilename(pb, null)
  }
}

/**
 * protobufjs's error as a SchemaError at the token it names. It gives the
 * line (as it counts lines) and the token; of the tokens on that line with
 * that text, the one it stopped at is the first whose text, cut just after
 * it, gives protobufjs the same error.
 */
function placeParseError(pb: Protobufjs, name: string, text: string, lexed: Lexed, e: unknown): SchemaError {
  const message = e instanceof Error ? e.message : String(e)
  const at = (offset: number, detail: string): SchemaError => new SchemaError(detail, { file: name, ...placeOf(text, offset) })
  const m = /^(illegal .*?) \((?:.*, )?line (\d+)\)$/s.exec(message)
  if (m === null) return placeObjectError(name, text, lexed, message) ?? at(firstFailing(pb, name, text, lexed, message), LIMITS[message] ?? message)
  const line = Number(m[2])
  if (lexed.problem !== undefined && /^illegal (string|comment)$/.test(m[1]!)) {
    return at(lexed.problem.start, lexed.problem.what === 'string' ? 'unterminated string' : 'unterminated comment')
  }
  const named = /'((?:[^'\\]|\\.)*)'/.exec(m[1]!)?.[1]
  // protobufjs names the end of the text `null`.
  if (named === 'null') return at(text.length, 'unexpected end of input')
  const detail = m[1]!
  const onLine = lexed.tokens.filter((t) => t.pjsLine === line)
  const candidates = named === undefined ? [] : onLine.filter((t) => t.text === named || (t.kind === 'string' && t.text.slice(1, -1) === named))
  for (const t of candidates) {
    if (parseMessage(pb, name, text.slice(0, t.end)) === message) return at(t.start, detail)
  }
  const first = candidates[0] ?? onLine[0]
  if (first !== undefined) return at(first.start, detail)
  return new SchemaError(detail, { file: name, line, column: 1 })
}

/** protobufjs's words for what its parser cannot take, in ours. */
const LIMITS: Readonly<Record<string, string>> = {
  'field must be a Field': "a group inside a oneof (protobufjs's parser does not take one)",
}

/**
 * Where an error that names no place arises: the start of the first token
 * such that the text cut after it gives protobufjs the same error (found by
 * bisection; the text cut earlier fails otherwise, or parses).
 */
function firstFailing(pb: Protobufjs, name: string, text: string, lexed: Lexed, message: string): number {
  const tokens = lexed.tokens
  let lo = 0
  let hi = tokens.length - 1
  if (hi < 0) return 0
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (parseMessage(pb, name, text.slice(0, tokens[mid]!.end)) === message) hi = mid
    else lo = mid + 1
  }
  return tokens[lo]!.start
}

/**
 * Errors protobufjs raises while adding an object: they name it and its
 * parent (by the parent's name so far, which lacks the enclosing scopes
 * while the parent is still being read), and no line.
 */
function placeObjectError(name: string, text: string, lexed: Lexed, message: string): SchemaError | undefined {
  const o = outline(lexed.tokens)
  const m = /^(duplicate name|name|duplicate id|id) '?(.+?)'? (?:is reserved )?in (\w+)(?: \.?(\S*))?$/.exec(message)
  if (m === null) return undefined
  const [, what, key, kind] = m as unknown as [string, string, string, string]
  const scope = m[4] ?? ''
  // The declarations in a scope whose full name ends with `scope`.
  const inScope = (k: string): boolean => {
    const dot = k.lastIndexOf('.')
    const parent = dot < 0 ? '' : k.slice(0, dot)
    return scope === '' ? parent === '' || parent === o.package?.name : parent === scope || parent.endsWith(`.${scope}`)
  }
  const entries = [...o.decls.entries()].filter(([k]) => inScope(k))
  const byName = entries.filter(([k]) => k.slice(k.lastIndexOf('.') + 1) === key).flatMap(([, ds]) => ds)
  const byNumber = /^-?\d+$/.test(key) ? entries.flatMap(([, ds]) => ds).filter((d) => d.number !== undefined && integerOf(d.number) === BigInt(key)) : []
  const later = (ds: readonly Decl[]): Decl | undefined => ds.reduce<Decl | undefined>((a, d) => (a === undefined || d.name.start > a.name.start ? d : a), undefined)
  const where = (t: Token): SchemaError => new SchemaError(detail, { file: name, ...placeOf(text, t.start) })
  let detail: string
  switch (what) {
    case 'duplicate name': {
      // protobufjs names a proto3 optional field's oneof `_name`, whatever is there already.
      const field = key.startsWith('_') ? entries.find(([k]) => k.slice(k.lastIndexOf('.') + 1) === key.slice(1))?.[1][0] : undefined
      if (field !== undefined && byName.length === 1) {
        detail = `protobufjs's parser names the oneof of optional field "${key.slice(1)}" "${key}", which is taken (protoc would name it "X${key}")`
        return where(later([field, ...byName])!.name)
      }
      detail = `"${key}" is already defined in "${scope}".`
      const d = later(byName)
      return d === undefined ? undefined : where(d.name)
    }
    case 'duplicate id': {
      const d = later(byNumber)
      const first = byNumber.find((x) => x !== d)
      if (d === undefined) return undefined
      detail =
        kind === 'Enum'
          ? `"${d.name.text}" uses the same enum value as "${first?.name.text ?? '?'}". If this is intended, set 'option allow_alias = true;' to the enum definition.`
          : `Field number ${key} has already been used in "${scope}" by field "${first?.name.text ?? '?'}".`
      return where(d.number?.[0] ?? d.name)
    }
    case 'id': {
      const d = later(byNumber)
      detail = `${kind === 'Enum' ? 'Enum value' : 'Field'} "${d?.name.text ?? '?'}" uses reserved number ${key}.`
      return d === undefined ? undefined : where(d.number?.[0] ?? d.name)
    }
    default: {
      const d = later(byName)
      detail = `${kind === 'Enum' ? 'Enum value' : 'Field name'} "${key}" is reserved.`
      return d === undefined ? undefined : where(d.name)
    }
  }
}

/** A number as written (`-`, decimal, `0x` hex, `0` octal), or undefined. */
function integerOf(tokens: readonly Token[]): bigint | undefined {
  const s = tokens.map((t) => t.text).join('')
  const m = /^(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s)
  if (m === null) return undefined
  const body = m[2]!
  const n = /^0[xX]/.test(body) ? BigInt(body) : body.length > 1 && body.startsWith('0') ? BigInt(`0o${body.slice(1)}`) : BigInt(body)
  return m[1] === '-' ? -n : n
}

// ---------------------------------------------------------------------------
// Names: protoc's symbol table and its lookup

type SymbolKind = 'package' | 'message' | 'enum' | 'service' | 'field' | 'oneof' | 'value' | 'method'

interface Sym {
  readonly kind: SymbolKind
  readonly file: SourceFile
  /** The enumeration, for an enum (its values, for defaults). */
  readonly values?: readonly string[]
  /** For a package: every file declaring it or a package inside it. */
  readonly files?: Set<string>
}

class Symbols {
  readonly table = new Map<string, Sym>()

  addFile(f: SourceFile): void {
    const pb = protobufjs()
    const parts = f.pkg === '' ? [] : f.pkg.split('.')
    parts.forEach((_, i) => {
      const full = parts.slice(0, i + 1).join('.')
      const old = this.table.get(full)
      if (old === undefined) this.table.set(full, { kind: 'package', file: f, files: new Set([f.name]) })
      else if (old.kind === 'package') old.files!.add(f.name)
      else throw at(f, f.outline.package!.at, `"${full}" is already defined (as something other than a package) in file "${old.file.name}".`)
    })
    const define = (full: string, sym: Sym, decl: Token | undefined, enumName?: string): void => {
      const old = this.table.get(full)
      if (old === undefined) {
        this.table.set(full, sym)
        return
      }
      const dot = full.lastIndexOf('.')
      const scope = dot < 0 ? '' : full.slice(0, dot)
      const short = full.slice(dot + 1)
      const token = decl ?? f.lexed.tokens[0]
      let what: string
      if (old.file !== f) what = `"${full}" is already defined in file "${old.file.name}".`
      else what = scope === '' ? `"${short}" is already defined.` : `"${short}" is already defined in "${scope}".`
      if (enumName !== undefined)
        what += ` Note that enum values use C++ scoping rules, meaning that enum values are siblings of their type, not children of it.  Therefore, "${short}" must be unique within "${scope === '' ? 'global scope' : scope}", not just within "${enumName}".`
      throw token === undefined ? new SchemaError(what, { file: f.name, line: 1, column: 1 }) : at(f, token, what)
    }
    const declName = (full: string): Token | undefined => {
      const ds = f.outline.decls.get(full)
      return ds?.[ds.length - 1]?.name
    }
    const walk = (ns: PB.NamespaceBase, scope: string): void => {
      for (const obj of ns.nestedArray) {
        const full = join2(scope, obj.name)
        if (obj instanceof pb.Type) {
          define(full, { kind: 'message', file: f }, declName(full))
          const t = obj
          for (const fld of t.fieldsArray) {
            const name = fieldName(pb, fld)
            define(join2(full, name), { kind: 'field', file: f }, declName(join2(full, name)))
            if (fld instanceof pb.MapField) define(join2(full, mapEntryName(name)), { kind: 'message', file: f }, declName(join2(full, name)))
          }
          for (const o of t.oneofsArray) define(join2(full, o.name), { kind: 'oneof', file: f }, declName(join2(full, o.name)) ?? declName(join2(full, o.name.slice(1))))
          walk(t, full)
        } else if (obj instanceof pb.Enum) {
          define(full, { kind: 'enum', file: f, values: Object.keys(obj.values) }, declName(full))
          for (const v of Object.keys(obj.values)) define(join2(scope, v), { kind: 'value', file: f }, declName(join2(full, v)), obj.name)
        } else if (obj instanceof pb.Service) {
          define(full, { kind: 'service', file: f }, declName(full))
          for (const m of obj.methodsArray) define(join2(full, m.name), { kind: 'method', file: f }, declName(join2(full, m.name)))
        } else if (obj instanceof pb.Field) {
          define(join2(scope, fieldName(pb, obj)), { kind: 'field', file: f }, declName(join2(scope, fieldName(pb, obj))))
        }
      }
    }
    walk(f.ns, f.pkg)
  }

  /** The files whose names `f` sees: itself, its imports, and what they import publicly. */
  visible(f: SourceFile): Set<string> {
    const seen = new Set<string>([f.name])
    const publicly = (d: SourceFile): void => {
      if (seen.has(d.name) && d !== f) return
      seen.add(d.name)
      d.imports.forEach((imp, i) => {
        if (imp.modifier === 'public') publicly(d.deps[i]!)
      })
    }
    f.deps.forEach((d) => publicly(d))
    return seen
  }

  /**
   * protoc's LookupSymbol: `name` as written where `relativeTo` (a full
   * name) is declared. The innermost scope holding the name's first part
   * wins; with `typesOnly`, scopes where it is not a type are passed by.
   */
  lookup(name: string, relativeTo: string, from: SourceFile, visible: Set<string>, typesOnly: boolean): { full: string; sym: Sym } | { error: string } {
    let undeclared: string | undefined
    const find = (full: string): Sym | undefined => {
      const sym = this.table.get(full)
      if (sym === undefined) return undefined
      if (sym.kind === 'package') {
        if ([...sym.files!].some((n) => visible.has(n))) return sym
      } else if (visible.has(sym.file.name)) return sym
      undeclared ??= sym.kind === 'package' ? [...sym.files!][0] : sym.file.name
      return undefined
    }
    const found = (full: string, sym: Sym | undefined): { full: string; sym: Sym } | undefined => (sym === undefined ? undefined : { full, sym })
    const fail = (): { error: string } =>
      undeclared !== undefined
        ? { error: `"${name}" seems to be defined in "${undeclared}", which is not imported by "${from.name}".  To use it here, please add the necessary import.` }
        : { error: `"${name}" is not defined.` }
    if (name.startsWith('.')) return found(name.slice(1), find(name.slice(1))) ?? fail()
    const dot = name.indexOf('.')
    const first = dot < 0 ? name : name.slice(0, dot)
    let scope = relativeTo
    for (;;) {
      const cut = scope.lastIndexOf('.')
      if (cut < 0) return found(name, find(name)) ?? fail()
      scope = scope.slice(0, cut)
      const tryFirst = `${scope}.${first}`
      const sym = find(tryFirst)
      if (sym === undefined) continue
      if (dot >= 0) {
        if (sym.kind === 'message' || sym.kind === 'package' || sym.kind === 'enum' || sym.kind === 'service') {
          const full = `${scope}.${name}`
          const rest = find(full)
          if (rest !== undefined) return { full, sym: rest }
          return {
            error: `"${name}" is resolved to "${full}", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading '.'(i.e., ".${name}") to start from the outermost scope.`,
          }
        }
      } else if (!typesOnly || sym.kind === 'message' || sym.kind === 'enum') return { full: tryFirst, sym }
    }
  }
}

const join2 = (scope: string, name: string): string => (scope === '' ? name : `${scope}.${name}`)

/** Whether a field is a group's (protobufjs gives it the group's type, with `group` set). */
function groupOf(pb: Protobufjs, f: PB.Field): PB.Type | undefined {
  const parent = f.parent
  if (parent === null) return undefined
  const t = (parent as PB.Namespace).get(f.type)
  return t instanceof pb.Type && (t as PB.Type & { group?: boolean }).group === true && t.name === f.type ? t : undefined
}

/** A field's name as protoc writes it: a group's is its type's name in lower case. */
function fieldName(pb: Protobufjs, f: PB.Field): string {
  const g = groupOf(pb, f)
  return g !== undefined && f.name === lcFirst(g.name) ? g.name.toLowerCase() : f.name
}

const lcFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1)

function at(f: SourceFile, token: Token, what: string): SchemaError {
  return new SchemaError(what, { file: f.name, ...placeOf(f.text, token.start) })
}

// ---------------------------------------------------------------------------
// protobufjs's objects as descriptors

const SCALARS: Readonly<Record<string, FieldType>> = {
  double: 'TYPE_DOUBLE',
  float: 'TYPE_FLOAT',
  int64: 'TYPE_INT64',
  uint64: 'TYPE_UINT64',
  int32: 'TYPE_INT32',
  fixed64: 'TYPE_FIXED64',
  fixed32: 'TYPE_FIXED32',
  bool: 'TYPE_BOOL',
  string: 'TYPE_STRING',
  bytes: 'TYPE_BYTES',
  uint32: 'TYPE_UINT32',
  sfixed32: 'TYPE_SFIXED32',
  sfixed64: 'TYPE_SFIXED64',
  sint32: 'TYPE_SINT32',
  sint64: 'TYPE_SINT64',
}

type OptionEntries = readonly Readonly<Record<string, unknown>>[]

interface OptionsValues {
  FileOptions: FileOptionsValue
  MessageOptions: MessageOptionsValue
  FieldOptions: FieldOptionsValue
  OneofOptions: OneofOptionsValue
  EnumOptions: EnumOptionsValue
  EnumValueOptions: EnumValueOptionsValue
  ServiceOptions: ServiceOptionsValue
  MethodOptions: MethodOptionsValue
}

class FileConverter {
  readonly pb = protobufjs()
  readonly visible: Set<string>

  constructor(
    readonly f: SourceFile,
    readonly symbols: Symbols,
  ) {
    this.visible = symbols.visible(f)
  }

  file(): FileDescriptorProtoValue {
    const f = this.f
    const pb = this.pb
    const top = f.ns.nestedArray
    const options =
      f.ns === f.root ? (f.root.parsedOptions ?? []) : [...(f.root.parsedOptions ?? []), ...(f.ns.parsedOptions ?? [])]
    const out: FileDescriptorProtoValue = {
      name: f.name,
      ...(f.pkg === '' ? {} : { package: f.pkg }),
      dependency: f.imports.map((i) => i.path),
      message_type: top.filter((o): o is PB.Type => o instanceof pb.Type).map((t) => this.message(t, join2(f.pkg, t.name))),
      enum_type: top.filter((o): o is PB.Enum => o instanceof pb.Enum).map((e) => this.enumeration(e, join2(f.pkg, e.name))),
      service: top.filter((o): o is PB.Service => o instanceof pb.Service).map((s) => this.service(s, join2(f.pkg, s.name))),
      extension: top.filter((o): o is PB.Field => o instanceof pb.Field).map((x) => this.field(x, f.pkg, undefined)),
      public_dependency: f.imports.flatMap((imp, i) => (imp.modifier === 'public' ? [i] : [])),
      weak_dependency: f.imports.flatMap((imp, i) => (imp.modifier === 'weak' ? [i] : [])),
      option_dependency: f.outline.imports.filter((i) => i.modifier === 'option').map((i) => i.path),
    }
    const opts = this.options('FileOptions', options, this.span())
    if (opts !== undefined) out.options = opts
    if (f.syntax !== 'proto2') out.syntax = f.syntax
    if (f.edition !== undefined) out.edition = `EDITION_${f.edition}` as FileDescriptorProtoValue['edition'] & string
    return out
  }

  /** The tokens of a declaration (the whole file if none), for placing errors. */
  span(full?: string, kinds?: readonly Decl['kind'][]): { first: number; last: number } {
    const d = full === undefined ? undefined : this.decl(full, kinds)
    return d === undefined ? { first: 0, last: this.f.lexed.tokens.length } : { first: d.first, last: d.last }
  }

  /** The declaration of a full name, of one of `kinds` (a group's type and field may share it). */
  decl(full: string, kinds: readonly Decl['kind'][] = ['message', 'group', 'enum', 'service', 'oneof', 'value', 'method']): Decl | undefined {
    return this.f.outline.decls.get(full)?.find((d) => kinds.includes(d.kind))
  }

  error(token: Token | undefined, what: string): SchemaError {
    return token === undefined ? new SchemaError(what, { file: this.f.name, line: 1, column: 1 }) : at(this.f, token, what)
  }

  message(t: PB.Type, full: string): DescriptorProtoValue {
    const pb = this.pb
    const fields = t.fieldsArray
    const realOneofs = t.oneofsArray.filter((o) => !isSynthetic(o))
    const oneofDecl: OneofDescriptorProtoValue[] = realOneofs.map((o) => {
      const v: OneofDescriptorProtoValue = { name: o.name }
      const opts = this.options('OneofOptions', o.parsedOptions ?? [], this.span(join2(full, o.name)))
      if (opts !== undefined) v.options = opts
      return v
    })
    // protoc gives each proto3 `optional` field a oneof of its own, after the
    // real ones, named `_field` (prefixed with X while that name is taken).
    const names = new Set([...fields.map((x) => fieldName(pb, x)), ...realOneofs.map((o) => o.name)])
    const synthetic = new Map<PB.Field, number>()
    for (const x of fields) {
      if (x.partOf === null || !isSynthetic(x.partOf)) continue
      const name0 = fieldName(pb, x)
      let name = name0.startsWith('_') ? name0 : `_${name0}`
      while (names.has(name)) name = `X${name}`
      names.add(name)
      synthetic.set(x, oneofDecl.length)
      oneofDecl.push({ name })
    }
    const entries: { name: string; value: DescriptorProtoValue }[] = []
    const field = fields.map((x) => {
      if (x instanceof pb.MapField) entries.push({ name: mapEntryName(x.name), value: this.mapEntry(x, full) })
      const oneof = x.partOf === null ? undefined : synthetic.get(x) ?? realOneofs.indexOf(x.partOf)
      return this.field(x, full, oneof)
    })
    const nestedTypes = t.nestedArray
      .filter((o): o is PB.Type => o instanceof pb.Type)
      .map((n) => ({ name: n.name, value: this.message(n, join2(full, n.name)) }))
      .concat(entries)
    const order = this.f.outline.nestedOrder.get(full) ?? []
    const rank = (n: string): number => {
      const i = order.indexOf(n)
      return i < 0 ? order.length : i
    }
    const nested = nestedTypes.map((n, i) => ({ ...n, i })).sort((a, b) => rank(a.name) - rank(b.name) || a.i - b.i)
    const messageSet = (t.parsedOptions ?? []).some((o) => o['message_set_wire_format'] === true)
    const extMax = this.f.outline.extensionMax.get(full) ?? []
    const resMax = this.f.outline.reservedMax.get(full) ?? []
    const end = (e: number, written: boolean | undefined): number => (written === true && messageSet ? 2147483647 : e + 1)
    const out: DescriptorProtoValue = {
      name: t.name,
      field,
      extension: t.nestedArray.filter((o): o is PB.Field => o instanceof pb.Field).map((x) => this.field(x, full, undefined)),
      nested_type: nested.map((n) => n.value),
      enum_type: t.nestedArray.filter((o): o is PB.Enum => o instanceof pb.Enum).map((e) => this.enumeration(e, join2(full, e.name))),
      extension_range: (t.extensions ?? []).map((r, i) => ({ start: r[0]!, end: end(r[1]!, extMax[i]) })),
      oneof_decl: oneofDecl,
      reserved_range: (t.reserved ?? []).filter((r): r is number[] => Array.isArray(r)).map((r, i) => ({ start: r[0]!, end: end(r[1]!, resMax[i]) })),
      reserved_name: (t.reserved ?? []).filter((r): r is string => typeof r === 'string'),
    }
    const opts = this.options('MessageOptions', t.parsedOptions ?? [], this.span(full))
    if (opts !== undefined) out.options = opts
    const visibility = visibilityOf(t)
    if (visibility !== undefined) out.visibility = visibility
    return out
  }

  mapEntry(x: PB.MapField, scope: string): DescriptorProtoValue {
    const name = mapEntryName(x.name)
    const full = join2(scope, name)
    const key: FieldDescriptorProtoValue = { name: 'key', number: 1, label: 'LABEL_OPTIONAL', type: SCALARS[x.keyType]!, json_name: 'key' }
    const value: FieldDescriptorProtoValue = { name: 'value', number: 2, label: 'LABEL_OPTIONAL', ...this.typeOf(x.type, `${full}.value`, this.decl(join2(scope, x.name), FIELDS)?.type?.[0], false), json_name: 'value' }
    return {
      name,
      field: [key, value],
      extension: [],
      nested_type: [],
      enum_type: [],
      extension_range: [],
      oneof_decl: [],
      options: { map_entry: true, uninterpreted_option: [] },
      reserved_range: [],
      reserved_name: [],
    }
  }

  /** `type` and `type_name` of a reference as written, resolved from `relativeTo`. */
  typeOf(written: string, relativeTo: string, where: Token | undefined, group: boolean): { type: FieldType; type_name?: string } {
    const scalar = SCALARS[written]
    if (scalar !== undefined) return { type: scalar }
    const r = this.symbols.lookup(written, relativeTo, this.f, this.visible, true)
    if ('error' in r) throw this.error(where, r.error)
    if (r.sym.kind !== 'message' && r.sym.kind !== 'enum') throw this.error(where, `"${written}" is not a type.`)
    return { type: r.sym.kind === 'enum' ? 'TYPE_ENUM' : group ? 'TYPE_GROUP' : 'TYPE_MESSAGE', type_name: `.${r.full}` }
  }

  field(x: PB.Field, scope: string, oneofIndex: number | undefined): FieldDescriptorProtoValue {
    const pb = this.pb
    const name = fieldName(pb, x)
    const full = join2(scope, name)
    const decl = this.decl(full, FIELDS)
    const group = groupOf(pb, x) !== undefined && decl?.group === true
    if (group && decl !== undefined && !/^[A-Z]/.test(decl.name.text)) throw this.error(decl.name, 'Group names must start with a capital letter.')
    const out: FieldDescriptorProtoValue = { name }
    if (x.extend !== undefined) {
      const r = this.symbols.lookup(x.extend, full, this.f, this.visible, false)
      if ('error' in r) throw this.error(decl?.extendee?.[0], r.error)
      if (r.sym.kind !== 'message') throw this.error(decl?.extendee?.[0], `"${x.extend}" is not a message type.`)
      out.extendee = `.${r.full}`
    }
    out.number = x.id
    const isMap = x instanceof pb.MapField
    out.label = isMap || x.rule === 'repeated' ? 'LABEL_REPEATED' : x.rule === 'required' ? 'LABEL_REQUIRED' : 'LABEL_OPTIONAL'
    if (isMap) {
      out.type = 'TYPE_MESSAGE'
      out.type_name = `.${join2(scope, mapEntryName(x.name))}`
    } else Object.assign(out, this.typeOf(x.type, full, decl?.type?.[0], group))
    const parsed = x.parsedOptions ?? []
    if (decl?.defaultValue !== undefined) out.default_value = this.defaultValue(decl.defaultValue, out)
    if (oneofIndex !== undefined) out.oneof_index = oneofIndex
    const explicitJson = parsed.find((o) => 'json_name' in o)?.['json_name']
    out.json_name = typeof explicitJson === 'string' ? explicitJson : jsonName(name)
    const opts = this.options(
      'FieldOptions',
      parsed.filter((o) => !('default' in o) && !('json_name' in o)),
      this.span(full, FIELDS),
    )
    if (opts !== undefined) out.options = opts
    if (x.partOf !== null && isSynthetic(x.partOf)) out.proto3_optional = true
    return out
  }

  /** A `[default = …]` as protoc writes it in `default_value`. */
  defaultValue(tokens: readonly Token[], field: FieldDescriptorProtoValue): string {
    const where = tokens[0]
    const written = tokens.map((t) => t.text).join('')
    switch (field.type) {
      case 'TYPE_STRING':
      case 'TYPE_BYTES': {
        if (!tokens.every((t) => t.kind === 'string')) throw this.error(where, 'Expected string.')
        const parts = tokens.map((t) => stringBytes(t.text))
        const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
        parts.reduce((o, p) => (bytes.set(p, o), o + p.length), 0)
        return field.type === 'TYPE_STRING' ? new TextDecoder().decode(bytes) : cEscape(bytes)
      }
      case 'TYPE_BOOL':
        if (written !== 'true' && written !== 'false') throw this.error(where, 'Expected "true" or "false".')
        return written
      case 'TYPE_ENUM': {
        const values = this.symbols.table.get(field.type_name!.slice(1))?.values ?? []
        if (!values.includes(written)) throw this.error(where, `Enum type "${field.type_name!.slice(1)}" has no value named "${written}".`)
        return written
      }
      case 'TYPE_MESSAGE':
      case 'TYPE_GROUP':
        throw this.error(where, "Messages can't have default values.")
      case 'TYPE_DOUBLE':
      case 'TYPE_FLOAT': {
        const m = /^(-?)(.*)$/s.exec(written)!
        const body = m[2]!
        let v: number
        // protoc takes these two words, in lower case only.
        if (body === 'inf') v = Infinity
        else if (body === 'nan') v = NaN
        else if (integerOf([{ ...where!, text: body }]) !== undefined) v = Number(integerOf([{ ...where!, text: body }]))
        else if (/^(?![eE])[0-9]*(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?$/.test(body) && /[0-9]/.test(body)) v = Number(body)
        else throw this.error(where, 'Expected number.')
        if (m[1] === '-') v = -v
        return field.type === 'TYPE_DOUBLE' ? simpleDtoa(v) : simpleFtoa(Math.fround(v))
      }
      default: {
        const n = integerOf(tokens)
        if (n === undefined) throw this.error(where, 'Expected integer.')
        const [lo, hi] = INTEGER_RANGES[field.type!]!
        if (n < lo || n > hi) throw this.error(where, 'Integer out of range.')
        return n.toString()
      }
    }
  }

  enumeration(e: PB.Enum, full: string): EnumDescriptorProtoValue {
    const value = Object.entries(e.values).map(([name, number]) => {
      const v: EnumDescriptorProtoValue['value'][number] = { name, number }
      const own = e.valuesOptions?.[name]
      const opts = own === undefined ? undefined : this.options('EnumValueOptions', Object.entries(own).map(([k, x]) => ({ [k]: x })), this.span(join2(full, name)))
      if (opts !== undefined) v.options = opts
      return v
    })
    const reserved = (e as PB.Enum & { reserved?: (number[] | string)[] }).reserved ?? []
    const out: EnumDescriptorProtoValue = {
      name: e.name,
      value,
      reserved_range: reserved.filter((r): r is number[] => Array.isArray(r)).map((r) => ({ start: r[0]!, end: r[1]! })),
      reserved_name: reserved.filter((r): r is string => typeof r === 'string'),
    }
    const opts = this.options('EnumOptions', e.parsedOptions ?? [], this.span(full))
    if (opts !== undefined) out.options = opts
    const visibility = visibilityOf(e)
    if (visibility !== undefined) out.visibility = visibility
    return out
  }

  service(s: PB.Service, full: string): ServiceDescriptorProtoValue {
    const method = s.methodsArray.map((m) => {
      const mfull = join2(full, m.name)
      const decl = this.decl(mfull)
      const ref = (written: string, where: Token | undefined): string => {
        const r = this.symbols.lookup(written, mfull, this.f, this.visible, false)
        if ('error' in r) throw this.error(where, r.error)
        if (r.sym.kind !== 'message') throw this.error(where, `"${written}" is not a message type.`)
        return `.${r.full}`
      }
      const v: ServiceDescriptorProtoValue['method'][number] = {
        name: m.name,
        input_type: ref(m.requestType, decl?.type?.[0]),
        output_type: ref(m.responseType, decl?.output?.[0]),
      }
      // protoc makes a method's options when it reads a body, options or none.
      const opts = this.options('MethodOptions', m.parsedOptions ?? [], this.span(mfull), decl?.body === true)
      if (opts !== undefined) v.options = opts
      if (m.requestStream === true) v.client_streaming = true
      if (m.responseStream === true) v.server_streaming = true
      return v
    })
    const out: ServiceDescriptorProtoValue = { name: s.name, method }
    const opts = this.options('ServiceOptions', s.parsedOptions ?? [], this.span(full))
    if (opts !== undefined) out.options = opts
    return out
  }

  /**
   * Options as protobufjs parsed them (a list of `{name: value}`, a message
   * option's fields merged into one object) as an options value, or
   * undefined if none is set (and `always` is not). Custom options
   * (`(name)`) are left out: an options value has no place for extensions.
   */
  options<K extends keyof OptionsValues>(kind: K, entries: OptionEntries, span: { first: number; last: number }, always = false): OptionsValues[K] | undefined {
    const out: Record<string, unknown> = {}
    let any = always
    for (const entry of entries) {
      for (const [name, value] of Object.entries(entry)) {
        // A custom option leaves its options message set, and empty as
        // descriptor.proto sees it.
        any = true
        if (!name.startsWith('(')) this.setOption(kind, out, name, value, span)
      }
    }
    if (!any) return undefined
    return this.complete(kind, out) as unknown as OptionsValues[K]
  }

  /** Every repeated field of an options message as an array, nested messages too. */
  complete(kind: OptionsName, v: Record<string, unknown>): Record<string, unknown> {
    const fields = optionsMessages[kind]
    for (const [name, f] of Object.entries(fields)) {
      if (f.repeated === true) v[name] ??= []
      const sub = v[name]
      if ('message' in f.kind) {
        if (Array.isArray(sub)) sub.forEach((s) => this.complete((f.kind as { message: OptionsName }).message, s as Record<string, unknown>))
        else if (sub !== undefined) this.complete(f.kind.message, sub as Record<string, unknown>)
      }
    }
    if (hasUninterpreted.has(kind)) v['uninterpreted_option'] = []
    return v
  }

  setOption(kind: OptionsName, out: Record<string, unknown>, name: string, value: unknown, span: { first: number; last: number }): void {
    const field: OptionField | undefined = optionsMessages[kind][name]
    const where = (): Token | undefined => this.optionToken(name, span)
    if (field === undefined) throw this.error(where(), `Option "${name}" unknown.`)
    const values = Array.isArray(value) && (field.repeated === true || 'message' in field.kind) ? value : [value]
    for (const v of values) {
      const converted = this.optionValue(field, name, v, span)
      if (field.repeated === true) (out[name] as unknown[] | undefined)?.push(converted) ?? (out[name] = [converted])
      else if ('message' in field.kind && out[name] !== undefined) Object.assign(out[name] as object, converted)
      else if (out[name] !== undefined) throw this.error(where(), `Option "${name}" was already set.`)
      else out[name] = converted
    }
  }

  optionValue(field: OptionField, name: string, v: unknown, span: { first: number; last: number }): unknown {
    const k = field.kind
    const bad = (what: string): SchemaError => this.error(this.optionValueToken(name, span), what)
    if ('message' in k) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`Option "${name}" is a message. To set the entire message, use syntax like "${name} = { <proto text format> }". To set fields within it, use syntax like "${name}.foo = value".`)
      const sub: Record<string, unknown> = {}
      for (const [n, x] of Object.entries(v)) {
        if (n.includes('(')) continue
        this.setOption(k.message, sub, n, x, span)
      }
      return sub
    }
    if ('enumeration' in k) {
      if (typeof v !== 'string' || !k.values.includes(v)) throw bad(`Enum type "${k.enumeration}" has no value named "${String(v)}" for option "${name}".`)
      return v
    }
    switch (k.scalar) {
      case 'bool':
        if (typeof v !== 'boolean') throw bad(`Value must be "true" or "false" for boolean option "${name}".`)
        return v
      case 'string':
        if (typeof v !== 'string') throw bad(`Value must be quoted string for string option "${name}".`)
        return v
      case 'int32':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw bad(`Value out of range for int32 option "${name}".`)
        return v
    }
  }

  /** The token of an option's value: the one after the `=` after its name. */
  optionValueToken(name: string, span: { first: number; last: number }): Token | undefined {
    const tokens = this.f.lexed.tokens
    const nameToken = this.optionToken(name, span)
    const i = nameToken === undefined ? -1 : tokens.indexOf(nameToken)
    const eq = tokens.findIndex((t, j) => j > i && t.text === '=')
    return i < 0 || eq < 0 ? nameToken : tokens[eq + 1] ?? nameToken
  }

  /** The token naming an option within a declaration: after `option`, `[` or `,`, or its first part. */
  optionToken(name: string, span: { first: number; last: number }): Token | undefined {
    const tokens = this.f.lexed.tokens
    for (let i = Math.max(span.first, 1); i < Math.min(span.last, tokens.length); i++) {
      const t = tokens[i]!
      const before = tokens[i - 1]!.text
      if ((t.text === name || t.text.startsWith(`${name}.`)) && (before === 'option' || before === '[' || before === ',')) return t
    }
    return tokens[span.first]
  }
}

const FIELDS: readonly Decl['kind'][] = ['field', 'map']

/** Edition 2024's `export` or `local` before a message or enum, which protobufjs keeps as `visibility`. */
function visibilityOf(o: PB.ReflectionObject): SymbolVisibility | undefined {
  const v = (o as PB.ReflectionObject & { visibility?: unknown }).visibility
  return v === 'export' ? 'VISIBILITY_EXPORT' : v === 'local' ? 'VISIBILITY_LOCAL' : undefined
}

/** A oneof protobufjs made for a proto3 `optional` field. */
function isSynthetic(o: PB.OneOf): boolean {
  const only = o.fieldsArray.length === 1 ? o.fieldsArray[0] : undefined
  return only !== undefined && only.options?.['proto3_optional'] === true && o.name === `_${only.name}`
}

const INTEGER_RANGES: Partial<Record<FieldType, readonly [bigint, bigint]>> = {
  TYPE_INT32: [-(2n ** 31n), 2n ** 31n - 1n],
  TYPE_SINT32: [-(2n ** 31n), 2n ** 31n - 1n],
  TYPE_SFIXED32: [-(2n ** 31n), 2n ** 31n - 1n],
  TYPE_UINT32: [0n, 2n ** 32n - 1n],
  TYPE_FIXED32: [0n, 2n ** 32n - 1n],
  TYPE_INT64: [-(2n ** 63n), 2n ** 63n - 1n],
  TYPE_SINT64: [-(2n ** 63n), 2n ** 63n - 1n],
  TYPE_SFIXED64: [-(2n ** 63n), 2n ** 63n - 1n],
  TYPE_UINT64: [0n, 2n ** 64n - 1n],
  TYPE_FIXED64: [0n, 2n ** 64n - 1n],
}

// ---------------------------------------------------------------------------
// Numbers and bytes written as protoc writes them

/** C's `%.{precision}g`. */
export function formatG(v: number, precision: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0'
  const [mantissa, exp] = v.toExponential(precision - 1).split('e') as [string, string]
  const x = Number(exp)
  const strip = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s)
  if (x < -4 || x >= precision) return `${strip(mantissa)}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`
  return strip(v.toFixed(precision - 1 - x))
}

/** protoc's SimpleDtoa: the shortest of 15 or 17 significant digits that reads back. */
export function simpleDtoa(v: number): string {
  if (v === Infinity) return 'inf'
  if (v === -Infinity) return '-inf'
  if (Number.isNaN(v)) return 'nan'
  const short = formatG(v, 15)
  return Number(short) === v ? short : formatG(v, 17)
}

/**
 * protoc's SimpleFtoa: 6 significant digits if they read back as the same
 * float, else 9. A subnormal float always takes 9: protoc reads the 6 back
 * with strtof, which reports an underflow, and protoc takes that as not
 * reading back.
 */
export function simpleFtoa(v: number): string {
  if (v === Infinity) return 'inf'
  if (v === -Infinity) return '-inf'
  if (Number.isNaN(v)) return 'nan'
  const short = formatG(v, 6)
  const subnormal = v !== 0 && Math.abs(v) < 2 ** -126
  return !subnormal && Math.fround(Number(short)) === v ? short : formatG(v, 9)
}

/** protoc's CEscape: C escapes for quotes, backslash and \n \r \t, octal for other bytes outside printable ASCII. */
export function cEscape(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) {
    switch (b) {
      case 0x0a:
        out += '\\n'
        break
      case 0x0d:
        out += '\\r'
        break
      case 0x09:
        out += '\\t'
        break
      case 0x22:
        out += '\\"'
        break
      case 0x27:
        out += "\\'"
        break
      case 0x5c:
        out += '\\\\'
        break
      default:
        out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`
    }
  }
  return out
}
