/**
 * Tokens of `.proto` text with their places, cut where protobufjs's
 * tokenizer cuts them (src/tokenize.js: a token is one of `{}=;:[],()<>`,
 * a quoted string, or a run of anything else up to whitespace or one of
 * those), so that a token protobufjs names in an error is found here.
 *
 * protobufjs's parser reports a line and no column, and its result drops
 * the places and written forms the descriptors need (a default's digits, an
 * import's `public`, where a map's entry falls among nested messages): the
 * outline (outline.ts) reads them from these tokens.
 *
 * @module
 */

export type TokenKind = 'string' | 'symbol' | 'word'

export interface Token {
  readonly kind: TokenKind
  /** The text as written (a string with its quotes). */
  readonly text: string
  /** Offset of the first character in the source, in UTF-16 units. */
  readonly start: number
  readonly end: number
  /** 1-based line. */
  readonly line: number
  /**
   * The line protobufjs reports for this token, which does not count the
   * line breaks inside strings.
   */
  readonly pjsLine: number
}

/** Where the text cannot be cut into tokens: an unterminated string or block comment. */
export interface LexProblem {
  readonly what: 'string' | 'comment'
  readonly start: number
  readonly pjsLine: number
}

export interface Lexed {
  readonly tokens: Token[]
  readonly problem?: LexProblem
}

const SYMBOLS = new Set(['{', '}', '=', ';', ':', '[', ']', ',', '(', ')', '<', '>'])
const isSpace = (c: string): boolean => /\s/.test(c)
const isDelimiter = (c: string): boolean => isSpace(c) || SYMBOLS.has(c) || c === '"' || c === "'"

export function lex(source: string): Lexed {
  const tokens: Token[] = []
  const n = source.length
  let i = 0
  let line = 1
  let pjsLine = 1
  while (i < n) {
    const c = source[i]!
    if (c === '\n') {
      line++
      pjsLine++
      i++
      continue
    }
    if (isSpace(c)) {
      i++
      continue
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n') i++
      continue
    }
    if (c === '/' && source[i + 1] === '*') {
      const start = i
      const startLine = pjsLine
      i += 2
      while (i < n && !(source[i] === '*' && source[i + 1] === '/')) {
        if (source[i] === '\n') {
          line++
          pjsLine++
        }
        i++
      }
      if (i >= n) return { tokens, problem: { what: 'comment', start, pjsLine: startLine } }
      i += 2
      continue
    }
    if (c === '"' || c === "'") {
      const start = i
      const startLine = line
      const startPjs = pjsLine
      i++
      while (i < n && source[i] !== c) {
        if (source[i] === '\\') i++
        else if (source[i] === '\n') line++
        i++
      }
      if (i >= n) return { tokens, problem: { what: 'string', start, pjsLine: startPjs } }
      i++
      tokens.push({ kind: 'string', text: source.slice(start, i), start, end: i, line: startLine, pjsLine: startPjs })
      continue
    }
    if (SYMBOLS.has(c)) {
      tokens.push({ kind: 'symbol', text: c, start: i, end: i + 1, line, pjsLine })
      i++
      continue
    }
    const start = i
    i++
    while (i < n && !isDelimiter(source[i]!)) {
      // A comment right after a word ends it for protoc; protobufjs would
      // take `//` into the word, and then fail on it anyway.
      if (source[i] === '/' && (source[i + 1] === '/' || source[i + 1] === '*')) break
      i++
    }
    tokens.push({ kind: 'word', text: source.slice(start, i), start, end: i, line, pjsLine })
  }
  return { tokens }
}

/**
 * 1-based line and column of an offset, counted as protoc counts them (so
 * that a place here and protoc's for the same token are the same): the
 * column in bytes of UTF-8, a tab advancing to the next multiple of 8.
 */
export function placeOf(source: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  let column = 0
  for (let i = lineStart; i < offset; i++) {
    const code = source.charCodeAt(i)
    if (code === 0x09) column += 8 - (column % 8)
    else if (code < 0x80) column++
    else if (code < 0x800) column += 2
    // A surrogate pair is four bytes, counted at its first half.
    else if (code >= 0xd800 && code <= 0xdbff) column += 4
    else if (code < 0xdc00 || code > 0xdfff) column += 3
  }
  return { line, column: column + 1 }
}

/**
 * The bytes of a string literal's body, as protoc reads its escapes: `\n`
 * and the other C escapes, up to three octal digits, `\x` and one or two hex
 * digits, `\u` and `\U` code points as UTF-8; other characters as UTF-8.
 */
export function stringBytes(literal: string): Uint8Array {
  const body = literal.slice(1, -1)
  const out: number[] = []
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '?': 63, "'": 39, '"': 34 }
  const utf8 = (cp: number): void => {
    out.push(...new TextEncoder().encode(String.fromCodePoint(cp)))
  }
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!
    if (c !== '\\') {
      const cp = body.codePointAt(i)!
      if (cp > 0xffff) i++
      utf8(cp)
      continue
    }
    const e = body[++i] ?? ''
    if (e in simple) out.push(simple[e]!)
    else if (/[0-7]/.test(e)) {
      let j = i
      while (j < i + 3 && /[0-7]/.test(body[j] ?? '')) j++
      out.push(parseInt(body.slice(i, j), 8) & 0xff)
      i = j - 1
    } else if (e === 'x' || e === 'X') {
      let j = i + 1
      while (j < i + 3 && /[0-9a-fA-F]/.test(body[j] ?? '')) j++
      out.push(parseInt(body.slice(i + 1, j), 16))
      i = j - 1
    } else if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8
      utf8(parseInt(body.slice(i + 1, i + 1 + len), 16))
      i += len
    } else out.push(e.charCodeAt(0))
  }
  return new Uint8Array(out)
}
