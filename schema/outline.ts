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

export function outline(tokens: readonly Token[]): Outline {
  const out: Outline = { imports: [], decls: new Map(), nestedOrder: new Map(), extensionMax: new Map(), reservedMax: new Map(), problems: [] }
  let syntax: Outline['syntax']
  let edition: Outline['edition']
  let pkg: Outline['package']
  let i = 0
  const at = (k = 0): Token | undefined => tokens[i + k]
  const text = (k = 0): string | undefined => tokens[i + k]?.text
  const unquote = (t: Token | undefined): string => (t?.kind === 'string' ? t.text.slice(1, -1) : '')

  const problem = (t: Token | undefined, what: string): void => {
    if (t !== undefined) out.problems.push({ at: t, what })
  }
  const add = (key: string, d: Decl): Decl => {
    const list = out.decls.get(key)
    if (list === undefined) out.decls.set(key, [d])
    else list.push(d)
    return d
  }
  const nested = (scope: string, name: string): void => {
    const list = out.nestedOrder.get(scope)
    if (list === undefined) out.nestedOrder.set(scope, [name])
    else list.push(name)
  }
  const join = (scope: string, name: string): string => (scope === '' ? name : `${scope}.${name}`)

  /**
   * Past the end of the statement at i: its `;`, or the block it opens,
   * nested blocks and all; not past a `}` that closes the enclosing block.
   */
  const skipStatement = (): void => {
    let depth = 0
    while (i < tokens.length) {
      const t = tokens[i]!.text
      if (t === '}' && depth === 0) return
      i++
      if (t === '{' || t === '[' || t === '(') depth++
      else if (t === '}' || t === ']' || t === ')') {
        // A stray `]` or `)` is passed over.
        if (depth > 0) depth--
        if (depth === 0 && t === '}') {
          if (text() === ';') i++
          return
        }
      } else if (t === ';' && depth === 0) return
    }
  }
  /** Tokens up to (not including) the first of `stops` at bracket depth 0. */
  const until = (stops: readonly string[]): Token[] => {
    const got: Token[] = []
    let depth = 0
    while (i < tokens.length) {
      const t = tokens[i]!
      if (depth === 0 && stops.includes(t.text)) break
      if (t.text === '{' || t.text === '[' || t.text === '(' || t.text === '<') depth++
      else if (t.text === '}' || t.text === ']' || t.text === ')' || t.text === '>') {
        if (depth === 0) break
        depth--
      }
      got.push(t)
      i++
    }
    return got
  }
  /**
   * An option's name (words, and parentheses around an extension's), which
   * must be followed by `=`. protobufjs's parser takes other tokens into the
   * name (`[default } = 1]` sets an option `default}`), protoc does not.
   */
  const optionName = (): Token[] => {
    const name: Token[] = []
    while (i < tokens.length && (at()!.kind === 'word' || text() === '(' || text() === ')')) name.push(tokens[i++]!)
    if (text() !== '=') problem(at() ?? tokens[tokens.length - 1], 'Expected "=".')
    return name
  }
  /** `[name = value, …]` after a field or value: the tokens of `default`'s value. */
  const inlineOptions = (): Token[] | undefined => {
    if (text() !== '[') return undefined
    i++
    let dflt: Token[] | undefined
    while (i < tokens.length && text() !== ']') {
      const from = i
      const name = optionName()
      if (text() === '=') {
        i++
        const value = until([',', ']'])
        if (name.length === 1 && name[0]!.text === 'default') dflt = value
      }
      if (text() === ',') i++
      if (i === from) break
    }
    if (text() === ']') i++
    return dflt
  }
  const ranges = (map: Map<string, boolean[]>, scope: string): void => {
    const list = map.get(scope) ?? []
    map.set(scope, list)
    i++
    const items = until([';', '['])
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
    skipStatement()
  }

  /** A field (`extendee` set inside `extend`): `[label] type name = n [opts];` or a group. */
  const field = (scope: string, inMessage: boolean, extendee: readonly Token[] | undefined): void => {
    const first = i
    if (LABELS.has(text() ?? '')) i++
    if (text() === 'group') {
      i++
      const name = at()
      if (name === undefined) return
      i++
      let number: Token[] = []
      if (text() === '=') {
        i++
        number = until(['[', '{', ';'])
      }
      inlineOptions()
      const typeName = join(scope, name.text)
      const fieldName = join(scope, name.text.toLowerCase())
      if (inMessage) nested(scope, name.text)
      const type = add(typeName, { kind: 'group', name, first, last: first })
      const f = add(fieldName, { kind: 'field', name, first, last: first, group: true, type: [name], number, ...(extendee === undefined ? {} : { extendee }) })
      if (text() === '{') {
        i++
        body(typeName, 'message', true)
        if (text() === '}') i++
      }
      if (text() === ';') i++
      type.last = f.last = i
      return
    }
    const head = until(['=', ';', '{', '}'])
    if (text() !== '=' || head.length < 2) {
      skipStatement()
      return
    }
    const name = head[head.length - 1]!
    const type = head.slice(0, -1)
    i++
    const number = until(['[', ';'])
    const defaultValue = inlineOptions()
    if (text() === ';') i++
    add(join(scope, name.text), {
      kind: 'field',
      name,
      first,
      last: i,
      type,
      number,
      ...(defaultValue === undefined ? {} : { defaultValue }),
      ...(extendee === undefined ? {} : { extendee }),
    })
  }

  const mapField = (scope: string): void => {
    const first = i
    i++
    if (text() === '<') i++
    until([','])
    if (text() === ',') i++
    const type = until(['>'])
    if (text() === '>') i++
    const name = at()
    if (name === undefined) return
    i++
    let number: Token[] = []
    if (text() === '=') {
      i++
      number = until(['[', ';'])
    }
    inlineOptions()
    if (text() === ';') i++
    nested(scope, mapEntryName(name.text))
    add(join(scope, name.text), { kind: 'map', name, first, last: i, type, number })
  }

  const block = (kind: 'message' | 'enum' | 'service', scope: string, inMessage: boolean): void => {
    const first = i
    i++
    const name = at()
    if (name === undefined) return
    i++
    const full = join(scope, name.text)
    if (kind === 'message' && inMessage) nested(scope, name.text)
    const d = add(full, { kind, name, first, last: first })
    if (text() === '{') {
      i++
      body(full, kind, kind === 'message')
      if (text() === '}') i++
      if (text() === ';') i++
    }
    d.last = i
  }

  const rpc = (scope: string): void => {
    const first = i
    i++
    const name = at()
    if (name === undefined) return
    i++
    const ref = (): Token[] => {
      if (text() === '(') i++
      if (text() === 'stream') i++
      const r = until([')'])
      if (text() === ')') i++
      return r
    }
    const type = ref()
    if (text() === 'returns') i++
    const output = ref()
    const d = add(join(scope, name.text), { kind: 'method', name, first, last: first, type, output, ...(text() === '{' ? { body: true as const } : {}) })
    skipStatement()
    d.last = i
  }

  /** Statements up to the `}` closing the block (not consumed). `inMessage`: the scope is a message's. */
  function body(scope0: string, kind: 'file' | 'message' | 'enum' | 'service' | 'oneof' | 'extend', inMessage: boolean, extendee?: readonly Token[]): void {
    let last = -1
    while (i < tokens.length) {
      // Whatever the text, each statement moves on by a token at least.
      if (i === last) i++
      last = i
      if (i >= tokens.length) return
      // A file's scope is its package, declared before any definition.
      const scope = kind === 'file' ? (pkg?.name ?? '') : scope0
      const t = at()!
      const w = t.text
      if (w === '}') return
      if (w === ';') {
        i++
        continue
      }
      if (t.kind !== 'word') {
        skipStatement()
        continue
      }
      if (kind === 'file' && (w === 'syntax' || w === 'edition') && text(1) === '=') {
        const value = unquote(at(2))
        const where = at(2) ?? t
        if (w === 'syntax') syntax = { value, at: where }
        else edition = { value, at: where }
        skipStatement()
        continue
      }
      if (kind === 'file' && w === 'package') {
        i++
        pkg = { name: until([';']).map((x) => x.text).join(''), at: t }
        skipStatement()
        continue
      }
      if (kind === 'file' && w === 'import') {
        i++
        const m = text()
        const modifier = m === 'public' || m === 'weak' || m === 'option' ? m : undefined
        if (modifier !== undefined) i++
        let path = ''
        while (at()?.kind === 'string') path += unquote(tokens[i++])
        out.imports.push({ path, at: t, ...(modifier === undefined ? {} : { modifier }) })
        skipStatement()
        continue
      }
      if (w === 'option') {
        i++
        optionName()
        skipStatement()
        continue
      }
      if ((w === 'export' || w === 'local') && (text(1) === 'message' || text(1) === 'enum')) {
        i++
        continue
      }
      if (kind === 'enum') {
        if (w === 'reserved') ranges(out.reservedMax, scope)
        else if (text(1) === '=') {
          const first = i
          i += 2
          const number = until(['[', ';'])
          inlineOptions()
          if (text() === ';') i++
          add(join(scope, w), { kind: 'value', name: t, first, last: i, number })
        } else skipStatement()
        continue
      }
      if (kind === 'service') {
        if (w === 'rpc') rpc(scope)
        else skipStatement()
        continue
      }
      if (w === 'message' || w === 'enum' || w === 'service') {
        block(w, scope, inMessage)
        continue
      }
      if (w === 'oneof' && at(1)?.kind === 'word' && text(2) === '{') {
        const first = i
        const name = at(1)!
        i += 3
        const d = add(join(scope, name.text), { kind: 'oneof', name, first, last: first })
        body(scope, 'oneof', inMessage)
        if (text() === '}') i++
        d.last = i
        continue
      }
      if (w === 'extend' && kind !== 'extend') {
        i++
        const ref = until(['{', ';'])
        if (text() === '{') {
          i++
          body(scope, 'extend', inMessage, ref)
          if (text() === '}') i++
        } else skipStatement()
        continue
      }
      if (w === 'extensions' && kind === 'message') {
        ranges(out.extensionMax, scope)
        continue
      }
      if (w === 'reserved' && kind === 'message') {
        ranges(out.reservedMax, scope)
        continue
      }
      if (w === 'map' && text(1) === '<') {
        mapField(scope)
        continue
      }
      field(scope, inMessage, extendee)
    }
  }

  // Top level: statements until the end; a stray `}` is skipped.
  while (i < tokens.length) {
    body('', 'file', false)
    if (i < tokens.length) i++
  }
  return {
    ...out,
    ...(syntax === undefined ? {} : { syntax }),
    ...(edition === undefined ? {} : { edition }),
    ...(pkg === undefined ? {} : { package: pkg }),
  }
}
