/**
 * What protobufjs's parse result drops and a descriptor needs, read from
 * the tokens of a file that protobufjs has already parsed: the places of
 * declarations and type references (for errors), the written form of each
 * `[default = …]` (protobufjs keeps a JavaScript number, which loses
 * 64-bit digits, and a string whose escapes no longer show bytes), an
 * import's `public` or `weak` and the imports' order, the syntax line, the
 * order in which nested messages, groups and map fields are declared (a
 * map's entry message goes among the nested messages where its field is
 * declared), and which range ends were written `max`.
 *
 * This is not a parser: it walks statements by their first words and their
 * braces, trusting protobufjs to have checked the grammar, and never
 * throws; what it cannot read it skips to the next `;` or `}`.
 *
 * @module
 */
import type { Token } from './lexer.js'

/** A declaration: its name's token, and the tokens from its first to past its last. */
export interface Decl {
  readonly kind: 'message' | 'group' | 'enum' | 'service' | 'oneof' | 'field' | 'map' | 'value' | 'method'
  readonly name: Token
  readonly first: number
  last: number
  /** A method written with a body (`{…}`, options or none). */
  readonly body?: true
  /** A group's field (its `type` is the group's name). */
  readonly group?: true
  /** A field's type reference (a map's value type), a method's input. */
  readonly type?: readonly Token[]
  /** A method's output. */
  readonly output?: readonly Token[]
  /** An extension's extendee as written. */
  readonly extendee?: readonly Token[]
  /** A field's or enum value's number. */
  readonly number?: readonly Token[]
  /** A field's `[default = …]` value. */
  readonly defaultValue?: readonly Token[]
}

export interface Import {
  readonly path: string
  readonly modifier?: 'public' | 'weak' | 'option'
  /** The `import` keyword. */
  readonly at: Token
}

export interface Outline {
  /** The syntax or edition named, and its string's token. */
  readonly syntax?: { readonly value: string; readonly at: Token }
  readonly edition?: { readonly value: string; readonly at: Token }
  readonly package?: { readonly name: string; readonly at: Token }
  readonly imports: Import[]
  /**
   * Declarations by full name (no leading dot): messages, groups (their
   * type), enums, services, oneofs and fields (extensions too, under the
   * scope of their `extend`), methods under their service, enum values
   * under their enum. A name declared twice has two entries.
   */
  readonly decls: Map<string, Decl[]>
  /** For each message, the names of its nested messages, groups and map entries, in declaration order. */
  readonly nestedOrder: Map<string, string[]>
  /** For each message, whether each numeric extension range's end was written `max`. */
  readonly extensionMax: Map<string, boolean[]>
  /** For each message or enum, whether each numeric reserved range's end was written `max`. */
  readonly reservedMax: Map<string, boolean[]>
  /** What protobufjs's parser lets pass and protoc does not, in the order found. */
  readonly problems: { readonly at: Token; readonly what: string }[]
}

/**
 * The name protoc gives a map field's entry message: the field's name with
 * each letter after an underscore (and the first) in capitals, the
 * underscores dropped, and `Entry`.
 */
export function mapEntryName(field: string): string {
  let out = ''
  let cap = true
  for (const c of field) {
    if (c === '_') cap = true
    else {
      out += cap ? c.toUpperCase() : c
      cap = false
    }
  }
  return out + 'Entry'
}

const LABELS = new Set(['optional', 'required', 'repeated'])

/** The walk over one file's tokens: `i` is the token it is at. */
class Walker {
  constructor(readonly tokens: readonly Token[]) {}

  readonly out: Outline = { imports: [], decls: new Map(), nestedOrder: new Map(), extensionMax: new Map(), reservedMax: new Map(), problems: [] }
  syntax: Outline['syntax']
  edition: Outline['edition']
  pkg: Outline['package']
  i = 0
  at(k = 0): Token | undefined {
    return this.tokens[this.i + k]
  }
  text(k = 0): string | undefined {
    return this.tokens[this.i + k]?.text
  }
  unquote(t: Token | undefined): string {
    return t?.kind === 'string' ? t.text.slice(1, -1) : ''
  }

  problem(t: Token | undefined, what: string): void {
    if (t !== undefined) this.out.problems.push({ at: t, what })
  }
  add(key: string, d: Decl): Decl {
    const list = this.out.decls.get(key)
    if (list === undefined) this.out.decls.set(key, [d])
    else list.push(d)
    return d
  }
  nested(scope: string, name: string): void {
    const list = this.out.nestedOrder.get(scope)
    if (list === undefined) this.out.nestedOrder.set(scope, [name])
    else list.push(name)
  }
  join(scope: string, name: string): string {
    return scope === '' ? name : `${scope}.${name}`
  }

  /**
   * Past the end of the statement at i: its `;`, or the block it opens,
   * nested blocks and all; not past a `}` that closes the enclosing block.
   */
  skipStatement(): void {
    let depth = 0
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i]!.text
      if (t === '}' && depth === 0) return
      this.i++
      if (t === '{' || t === '[' || t === '(') depth++
      else if (t === '}' || t === ']' || t === ')') {
        // A stray `]` or `)` is passed over.
        if (depth > 0) depth--
        if (depth === 0 && t === '}') {
          if (this.text() === ';') this.i++
          return
        }
      } else if (t === ';' && depth === 0) return
    }
  }
  /** Tokens up to (not including) the first of `stops` at bracket depth 0. */
  until(stops: readonly string[]): Token[] {
    const got: Token[] = []
    let depth = 0
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i]!
      if (depth === 0 && stops.includes(t.text)) break
      if (t.text === '{' || t.text === '[' || t.text === '(' || t.text === '<') depth++
      else if (t.text === '}' || t.text === ']' || t.text === ')' || t.text === '>') {
        if (depth === 0) break
        depth--
      }
      got.push(t)
      this.i++
    }
    return got
  }
  /**
   * An option's name (words, and parentheses around an extension's), which
   * must be followed by `=`. protobufjs's parser takes other tokens into the
   * name (`[default } = 1]` sets an option `default}`), protoc does not.
   */
  optionName(): Token[] {
    const name: Token[] = []
    while (this.i < this.tokens.length && (this.at()!.kind === 'word' || this.text() === '(' || this.text() === ')')) name.push(this.tokens[this.i++]!)
    if (this.text() !== '=') this.problem(this.at() ?? this.tokens[this.tokens.length - 1], 'Expected "=".')
    return name
  }
  /** `[name = value, …]` after a field or value: the tokens of `default`'s value. */
  inlineOptions(): Token[] | undefined {
    if (this.text() !== '[') return undefined
    this.i++
    let dflt: Token[] | undefined
    while (this.i < this.tokens.length && this.text() !== ']') {
      const from = this.i
      const name = this.optionName()
      if (this.text() === '=') {
        this.i++
        const value = this.until([',', ']'])
        if (name.length === 1 && name[0]!.text === 'default') dflt = value
      }
      if (this.text() === ',') this.i++
      if (this.i === from) break
    }
    if (this.text() === ']') this.i++
    return dflt
  }
  ranges(map: Map<string, boolean[]>, scope: string): void {
    const list = map.get(scope) ?? []
    map.set(scope, list)
    this.i++
    const items = this.until([';', '['])
    // Items are separated by commas: a number, `a to b`, or a name.
    let item: Token[] = []
    const flush = (): void => {
      const first = item[0]
      if (first !== undefined && first.kind === 'word' && /^-?[0-9]/.test(first.text)) list.push(item[item.length - 1]!.text.toLowerCase() === 'max')
      item = []
    }
    for (const t of items) {
      if (t.text === ',') flush()
      else item.push(t)
    }
    flush()
    this.skipStatement()
  }

  /** A field (`extendee` set inside `extend`): `[label] type name = n [opts];` or a group. */
  /** A declaration's name at i, and its number after `=` up to the first of `stops` (none without `=`). */
  nameAndNumber(stops: readonly string[]): { readonly name: Token; readonly number: Token[] } | undefined {
    const name = this.at()
    if (name === undefined) return undefined
    this.i++
    if (this.text() !== '=') return { name, number: [] }
    this.i++
    return { name, number: this.until(stops) }
  }

  field(scope: string, inMessage: boolean, extendee: readonly Token[] | undefined): void {
    const first = this.i
    if (LABELS.has(this.text() ?? '')) this.i++
    if (this.text() === 'group') {
      this.i++
      const named = this.nameAndNumber(['[', '{', ';'])
      if (named === undefined) return
      const { name, number } = named
      this.inlineOptions()
      const typeName = this.join(scope, name.text)
      const fieldName = this.join(scope, name.text.toLowerCase())
      if (inMessage) this.nested(scope, name.text)
      const type = this.add(typeName, { kind: 'group', name, first, last: first })
      const f = this.add(fieldName, { kind: 'field', name, first, last: first, group: true, type: [name], number, ...(extendee === undefined ? {} : { extendee }) })
      if (this.text() === '{') {
        this.i++
        this.body(typeName, 'message', true)
        if (this.text() === '}') this.i++
      }
      if (this.text() === ';') this.i++
      type.last = f.last = this.i
      return
    }
    const head = this.until(['=', ';', '{', '}'])
    if (this.text() !== '=' || head.length < 2) {
      this.skipStatement()
      return
    }
    const name = head[head.length - 1]!
    const type = head.slice(0, -1)
    this.i++
    const number = this.until(['[', ';'])
    const defaultValue = this.inlineOptions()
    if (this.text() === ';') this.i++
    this.add(this.join(scope, name.text), {
      kind: 'field',
      name,
      first,
      last: this.i,
      type,
      number,
      ...(defaultValue === undefined ? {} : { defaultValue }),
      ...(extendee === undefined ? {} : { extendee }),
    })
  }

  mapField(scope: string): void {
    const first = this.i
    this.i++
    if (this.text() === '<') this.i++
    this.until([','])
    if (this.text() === ',') this.i++
    const type = this.until(['>'])
    if (this.text() === '>') this.i++
    const named = this.nameAndNumber(['[', ';'])
    if (named === undefined) return
    const { name, number } = named
    this.inlineOptions()
    if (this.text() === ';') this.i++
    this.nested(scope, mapEntryName(name.text))
    this.add(this.join(scope, name.text), { kind: 'map', name, first, last: this.i, type, number })
  }

  block(kind: 'message' | 'enum' | 'service', scope: string, inMessage: boolean): void {
    const first = this.i
    this.i++
    const name = this.at()
    if (name === undefined) return
    this.i++
    const full = this.join(scope, name.text)
    if (kind === 'message' && inMessage) this.nested(scope, name.text)
    const d = this.add(full, { kind, name, first, last: first })
    if (this.text() === '{') {
      this.i++
      this.body(full, kind, kind === 'message')
      if (this.text() === '}') this.i++
      if (this.text() === ';') this.i++
    }
    d.last = this.i
  }

  rpc(scope: string): void {
    const first = this.i
    this.i++
    const name = this.at()
    if (name === undefined) return
    this.i++
    const ref = (): Token[] => {
      if (this.text() === '(') this.i++
      if (this.text() === 'stream') this.i++
      const r = this.until([')'])
      if (this.text() === ')') this.i++
      return r
    }
    const type = ref()
    if (this.text() === 'returns') this.i++
    const output = ref()
    const d = this.add(this.join(scope, name.text), { kind: 'method', name, first, last: first, type, output, ...(this.text() === '{' ? { body: true as const } : {}) })
    this.skipStatement()
    d.last = this.i
  }

  /** Statements up to the `}` closing the block (not consumed). `inMessage`: the scope is a message's. */
  body(scope0: string, kind: 'file' | 'message' | 'enum' | 'service' | 'oneof' | 'extend', inMessage: boolean, extendee?: readonly Token[]): void {
    let last = -1
    while (this.i < this.tokens.length) {
      // Whatever the text, each statement moves on by a token at least.
      if (this.i === last) this.i++
      last = this.i
      if (this.i >= this.tokens.length) return
      // A file's scope is its package, declared before any definition.
      const scope = kind === 'file' ? (this.pkg?.name ?? '') : scope0
      const t = this.at()!
      const w = t.text
      if (w === '}') return
      if (w === ';') {
        this.i++
        continue
      }
      if (t.kind !== 'word') {
        this.skipStatement()
        continue
      }
      if (kind === 'file' && (w === 'syntax' || w === 'edition') && this.text(1) === '=') {
        const value = this.unquote(this.at(2))
        const where = this.at(2) ?? t
        if (w === 'syntax') this.syntax = { value, at: where }
        else this.edition = { value, at: where }
        this.skipStatement()
        continue
      }
      if (kind === 'file' && w === 'package') {
        this.i++
        this.pkg = { name: this.until([';']).map((x) => x.text).join(''), at: t }
        this.skipStatement()
        continue
      }
      if (kind === 'file' && w === 'import') {
        this.i++
        const m = this.text()
        const modifier = m === 'public' || m === 'weak' || m === 'option' ? m : undefined
        if (modifier !== undefined) this.i++
        let path = ''
        while (this.at()?.kind === 'string') path += this.unquote(this.tokens[this.i++])
        this.out.imports.push({ path, at: t, ...(modifier === undefined ? {} : { modifier }) })
        this.skipStatement()
        continue
      }
      if (w === 'option') {
        this.i++
        this.optionName()
        this.skipStatement()
        continue
      }
      if ((w === 'export' || w === 'local') && (this.text(1) === 'message' || this.text(1) === 'enum')) {
        this.i++
        continue
      }
      if (kind === 'enum') {
        if (w === 'reserved') this.ranges(this.out.reservedMax, scope)
        else if (this.text(1) === '=') {
          const first = this.i
          this.i += 2
          const number = this.until(['[', ';'])
          this.inlineOptions()
          if (this.text() === ';') this.i++
          this.add(this.join(scope, w), { kind: 'value', name: t, first, last: this.i, number })
        } else this.skipStatement()
        continue
      }
      if (kind === 'service') {
        if (w === 'rpc') this.rpc(scope)
        else this.skipStatement()
        continue
      }
      if (w === 'message' || w === 'enum' || w === 'service') {
        this.block(w, scope, inMessage)
        continue
      }
      if (w === 'oneof' && this.at(1)?.kind === 'word' && this.text(2) === '{') {
        const first = this.i
        const name = this.at(1)!
        this.i += 3
        const d = this.add(this.join(scope, name.text), { kind: 'oneof', name, first, last: first })
        this.body(scope, 'oneof', inMessage)
        if (this.text() === '}') this.i++
        d.last = this.i
        continue
      }
      if (w === 'extend' && kind !== 'extend') {
        this.i++
        const ref = this.until(['{', ';'])
        if (this.text() === '{') {
          this.i++
          this.body(scope, 'extend', inMessage, ref)
          if (this.text() === '}') this.i++
        } else this.skipStatement()
        continue
      }
      if (w === 'extensions' && kind === 'message') {
        this.ranges(this.out.extensionMax, scope)
        continue
      }
      if (w === 'reserved' && kind === 'message') {
        this.ranges(this.out.reservedMax, scope)
        continue
      }
      if (w === 'map' && this.text(1) === '<') {
        this.mapField(scope)
        continue
      }
      this.field(scope, inMessage, extendee)
    }
  }

  run(): Outline {
    // Top level: statements until the end; a stray `}` is skipped.
    while (this.i < this.tokens.length) {
      this.body('', 'file', false)
      if (this.i < this.tokens.length) this.i++
    }
    return {
      ...this.out,
      ...(this.syntax === undefined ? {} : { syntax: this.syntax }),
      ...(this.edition === undefined ? {} : { edition: this.edition }),
      ...(this.pkg === undefined ? {} : { package: this.pkg }),
    }
  }
}

export function outline(tokens: readonly Token[]): Outline {
  return new Walker(tokens).run()
}
