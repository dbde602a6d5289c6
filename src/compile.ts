/**
 * The compiler skeleton: on first use, each message template becomes one
 * encode and one decode function, generated as source and built with
 * `new Function`. The skeleton writes what every message has — the check
 * of the value's form, the loop over the wire's tags and its `switch`, the
 * unknown fields, the value literal of a fixed shape — and asks each field
 * for its own code: the field kinds and host types in combinators/ each
 * carry an emitter beside their interpreter (`FieldImpl.emit`,
 * `HostImpl.emit`). A piece without an emitter is called through its
 * interpreter from the compiled code.
 *
 * The compiled code is the fast path only: for anything it does not take,
 * it bails (src/bail.ts), and the operation runs again in the interpreter,
 * which gives the exact error with its path and offset, or the merged
 * value. Where `new Function` is forbidden (a Content Security Policy
 * without 'unsafe-eval'), the interpreter is all there is.
 *
 * @module
 */
import { BAIL } from './bail.js'
import {
  AS_UNKNOWN,
  type Depth,
  type FieldEmitter,
  type FieldImpl,
  type Gen,
  guardOf,
  type HostImpl,
  type MessageImpl,
  MISSING,
} from './core.js'
import { Source } from './snippets.js'
import { isSink } from './message.js'
import { type Reader, tagValue, WireType, Writer } from './wire.js'

/** A message's compiled encode and decode. */
export interface Compiled {
  /** Write the fields of `v` (no length prefix); bails on anything it does not take. */
  encode(w: Writer, v: unknown, ctx: Depth): void
  /** Read fields until `end`, or until the tag `endGroup` when it is not 0; bails on anything it does not take. */
  decode(r: Reader, end: number, ctx: Depth, endGroup: number): unknown
}

let generation: boolean | undefined

/**
 * Turn code generation off (or on again). Off, every operation runs in the
 * interpreter, as it does where `new Function` is forbidden.
 */
export function setCodeGeneration(on: boolean): void {
  generation = on && canGenerate()
}

/** Whether templates run as generated code (the default) or through their interpreters: what `setCodeGeneration` last set, where the platform allows. */
export function codeGeneration(): boolean {
  return (generation ??= canGenerate())
}

function canGenerate(): boolean {
  try {
    return new Function('return 1')() === 1
  } catch {
    return false
  }
}

/** Where a message keeps its compiled form: on the object itself, as a map lookup per operation costs ~5% of a small message. */
const COMPILED: unique symbol = Symbol('protoplate compiled')
type Compilable = MessageImpl & { [COMPILED]?: Compiled }

/** The compiled form of a message, or undefined where code cannot be generated. */
export function compiledOf(m: MessageImpl): Compiled | undefined {
  generation ??= canGenerate()
  if (!generation) return undefined
  const c = m as Compilable
  let compiled = c[COMPILED]
  if (compiled === undefined) {
    // Registered before it is built, so that a recursive template finds itself.
    const slot = {} as Compiled
    c[COMPILED] = slot
    try {
      Object.assign(slot, build(m))
    } catch (e) {
      delete c[COMPILED]
      throw e
    }
    compiled = slot
  }
  return compiled
}

/** The generated source of a message's encode and decode, with what each name `R…` stands for: for reading (test/snapshots). */
export function sourceOf(m: MessageImpl): string {
  const g = new CodeGen()
  const body = g.source(m)
  return `${g.legend()}\n${body}\n`
}

/** A host type's compiled code as functions of their own: for testing each emitter against the interpreter it stands for. */
export interface HostCode {
  write(w: Writer, x: unknown, ctx: Depth): void
  read(r: Reader, ctx: Depth): unknown
  is(x: unknown): boolean
  /** A packed run from `r.pos` to `r.end`. */
  readRun(r: Reader, ctx: Depth): unknown[]
}

export function hostCode(host: HostImpl<unknown>, fieldNumber = 1): HostCode {
  const g = new CodeGen()
  return g.evaluate(`return {
write(w, x, ctx) { ${g.write(host, 'x', fieldNumber)} },
read(r, ctx) { let out; ${g.read(host, 'out', fieldNumber)} return out },
is(x) { return ${g.is(host, 'x')} },
readRun(r, ctx) { const arr = [], end = r.end; ${g.readRun(host, 'arr', 'end')} return arr },
}`) as HostCode
}

// ---------------------------------------------------------------------------
// Code generation

/** The bytes of a tag, as code that writes them. */
function tagCode(fieldNumber: number, wireType: WireType): string {
  let v = tagValue(fieldNumber, wireType)
  const bytes: number[] = []
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80)
    v >>>= 7
  }
  bytes.push(v)
  if (bytes.length === 1) return `w.byte(${bytes[0]});`
  return `w.ensure(${bytes.length}); { const b = w.buf; let p = w.pos; ${bytes.map((x) => `b[p++] = ${x};`).join(' ')} w.pos = p; }`
}

/**
 * `Reader.length`, inline for a prefix of one or two bytes within the
 * message. Anything else (longer, past the end, truncated) goes through
 * `length`, which reports it.
 */
const readLength = (e: string): string =>
  `let ${e}; { const b = r.buf, p = r.pos, c = p < r.end ? b[p] : 256; ` +
  `if (c < 128) { ${e} = p + 1 + c; r.pos = p + 1 } ` +
  `else if (c < 256 && p + 1 < r.end && b[p + 1] < 128) { ${e} = p + 2 + ((c & 127) | (b[p + 1] << 7)); r.pos = p + 2 } ` +
  `else ${e} = -1; ` +
  `if (${e} < 0 || ${e} > r.end) { r.pos = p; ${e} = r.length() } }`

const WIRE_TYPES: readonly WireType[] = [WireType.VARINT, WireType.I64, WireType.LEN, WireType.SGROUP, WireType.I32]

/** The code of one message: the values it refers to, its locals, and its decode cases. */
class CodeGen implements Gen {
  private readonly values: unknown[] = []
  private readonly names = new Map<unknown, string>()
  private readonly decls: string[] = []
  private readonly cases: string[] = []
  private locals = 0
  readonly bail = 'throw BAIL;'
  readonly bailExpr = `${this.ref(bailOut)}()`

  ref(v: unknown): string {
    let name = this.names.get(v)
    if (name === undefined) {
      name = `R${this.values.length}`
      this.values.push(v)
      this.names.set(v, name)
    }
    return name
  }

  local(prefix: string): string {
    return `${prefix}${this.locals++}`
  }

  tag(fieldNumber: number, wireType: WireType): string {
    return tagCode(fieldNumber, wireType)
  }

  /**
   * `Writer.fork` and `join`, inline: a byte kept for the length, which a
   * length under 128 fills; a longer one is deferred to `finish`.
   */
  delimited(body: string): string {
    const m = this.local('m')
    return (
      `w.ensure(1); const ${m} = w.pos++, x${m} = w.extra; ${body} ` +
      `{ const n = w.pos - ${m} - 1 + w.extra - x${m}; if (n < 128) w.buf[${m}] = n; else w.defer(${m}, n); }`
    )
  }

  readLength(end: string): string {
    return readLength(end)
  }

  unit(m: MessageImpl): string {
    return this.ref(compiledOf(m))
  }

  write(host: HostImpl<unknown>, x: string, fieldNumber: number): string {
    return host.emit?.write?.(this, x, fieldNumber) ?? `${this.ref(host)}.write(w, ${x}, ${fieldNumber}, ctx);`
  }

  read(host: HostImpl<unknown>, out: string, fieldNumber: number): string {
    // A value kept as an unknown field is the interpreter's to place.
    return host.emit?.read?.(this, out, fieldNumber) ?? `${out} = ${this.ref(host)}.read(r, ${fieldNumber}, ctx); if (${out} === ${this.ref(AS_UNKNOWN)}) ${this.bail}`
  }

  is(host: HostImpl<unknown>, x: string): string {
    return host.emit?.is?.(this, x) ?? `${this.ref(guardOf(host))}(${x})`
  }

  readRun(host: HostImpl<unknown>, arr: string, end: string, count?: string): string {
    const v = this.local('v')
    if (count !== undefined) {
      const i = this.local('i')
      const oneByOne = `let ${i} = 0; while (r.pos < ${end}) { if (${i} >= ${arr}.length) ${this.bail} let ${v}; ${this.read(host, v, 0)} ${arr}[${i}++] = ${v}; } ${count} = ${i};`
      return host.emit?.readRun?.(this, arr, end, this.bail, count) ?? oneByOne
    }
    const oneByOne = `while (r.pos < ${end}) { let ${v}; ${this.read(host, v, 0)} ${arr}.push(${v}); }`
    return host.emit?.readRun?.(this, arr, end, oneByOne) ?? oneByOne
  }

  declare(code: string): void {
    this.decls.push(code)
  }

  on(fieldNumber: number, wireType: WireType, body: string): void {
    this.cases.push(`case ${tagValue(fieldNumber, wireType)}: { ${body} }`)
  }

  /** The source of a message's encode and decode, as `new Function('R', 'BAIL', source)` takes it. */
  source(m: MessageImpl): string {
    const encode = this.encodeBody(m)
    const decode = this.decodeBody(m)
    return `return {\nencode(w, v, ctx) {\n  ${encode}\n},\ndecode(r, end, ctx, endGroup) {\n  ${decode}\n}\n}`
  }

  /** What each name of the code stands for, as comments. */
  legend(): string {
    const what = (v: unknown): string =>
      v instanceof Source
        ? `a copy of ${/^\(?(function\s*\w*|\(\w*\)\s*=>)/.exec(v.code)?.[1] ?? 'a helper'}`
        : typeof v === 'function'
          ? `function ${v.name === '' ? '(anonymous)' : v.name}`
          : v instanceof Uint8Array
            ? `bytes ${Array.from(v, (b) => b.toString(16).padStart(2, '0')).join(' ')}`
            : typeof v === 'object' && v !== null
              ? Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : 'a compiled message'
              : typeof v === 'bigint' ? `${v}n` : JSON.stringify(v) ?? String(v)
    return this.values.map((v, i) => `// R${i}: ${what(v)}`).join('\n')
  }

  link(m: MessageImpl): Compiled {
    return this.evaluate(this.source(m)) as Compiled
  }

  /** Run a body of generated code, with the values it refers to in scope. */
  evaluate(body: string): unknown {
    const refs = this.values.map((v, i) => `const R${i} = ${v instanceof Source ? v.code : `R[${i}]`};`).join('\n')
    return new Function('R', 'BAIL', `${refs}\n${body}`)(this.values, BAIL)
  }

  /** Encode: the value's form, then each field in template order. */
  private encodeBody(m: MessageImpl): string {
    const holes = m.fields.filter((f) => f.presence !== 'constant').length
    let body =
      m.keys === undefined
        ? `if (!Array.isArray(v) || v.length !== ${holes}) ${this.bail}`
        : `if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) ${this.bail}`
    let k = 0
    m.fields.forEach((f, i) => {
      if (f.presence === 'constant') {
        // Written once now; the same bytes every time.
        body += `\n  w.raw(${this.ref(constantBytes(f))});`
        return
      }
      const x = `x${i}`
      const value = m.keys === undefined ? `v[${k++}]` : `v[${JSON.stringify(m.keys[i])}]`
      body += `\n  { const ${x} = ${value}; ${(f.emit?.encode ?? linked(f).encode!)(this, x)} }`
    })
    return body
  }

  /** Decode: each field's state and cases, the loop over the tags, then the value. */
  private decodeBody(m: MessageImpl): string {
    let sink: string | undefined
    const results = m.fields.map((f, i) => {
      if (!isSink(f)) return (f.emit ?? linked(f)).decode(this, `s${i}`).result
      sink = `s${i}`
      this.declare(`const ${sink} = [];`)
      return `${this.ref(f)}.finish(${sink}, ctx, r.pos)`
    })
    const skip = `r.skip(t, st, ctx.maxDepth - ctx.depth);${sink === undefined ? '' : ` ${sink}.push(buf.subarray(st, r.pos));`}`
    // A field called through its interpreter keeps values read as unknown
    // (a closed enumeration's, in a packed run) where the context says:
    // this message's unknown fields, as the message engine has it.
    const linkedFields = m.fields.some((f) => f.emit === undefined && !isSink(f))
    const enter = linkedFields ? `const outerUnknown = ctx.unknown; ctx.unknown = ${sink ?? 'undefined'};` : ''
    const leave = linkedFields ? 'ctx.unknown = outerUnknown;' : ''
    return `const buf = r.buf;
  ${this.decls.join('\n  ')}
  ${enter}
  for (;;) {
    if (r.pos >= end) { if (endGroup !== 0) ${this.bail} break }
    const st = r.pos;
    let t = buf[st];
    if (t < 0x80) r.pos = st + 1;
    else if (st + 1 < end && buf[st + 1] < 0x80) { t = (t & 0x7f) | (buf[st + 1] << 7); r.pos = st + 2; }
    else t = r.tag();
    switch (t) {
      ${this.cases.join('\n      ')}
    }
    if ((t & 7) === 4) { if (t === endGroup) break; ${this.bail} }
    if (t < 8) ${this.bail}
    ${skip}
  }
  ${leave}
  ${m.fields.map((f, i) => (f.presence === 'constant' ? `${results[i]};` : `const v${i} = ${results[i]};`)).join('\n  ')}
  ${valueLiteral(m)}`
  }
}

/** The value of a decoded message: a tuple of its holes, or a record whose optional keys are left out when absent. */
function valueLiteral(m: MessageImpl): string {
  const holes = m.fields.flatMap((f, i) => (f.presence === 'constant' ? [] : [i]))
  if (m.keys === undefined) return `return [${holes.map((i) => `v${i}`).join(', ')}];`
  const key = (i: number): string => JSON.stringify(m.keys![i])
  // Keys before the first optional one are in the literal; V8 gives the
  // records one shape either way.
  const firstOptional = holes.findIndex((i) => m.fields[i]!.presence === 'optional')
  const lead = firstOptional < 0 ? holes : holes.slice(0, firstOptional)
  const rest = firstOptional < 0 ? [] : holes.slice(firstOptional)
  let out = `const out = { ${lead.map((i) => `${key(i)}: v${i}`).join(', ')} };`
  for (const i of rest) {
    out += m.fields[i]!.presence === 'optional' ? ` if (v${i} !== undefined) out[${key(i)}] = v${i};` : ` out[${key(i)}] = v${i};`
  }
  return `${out} return out;`
}

/** A constant field's bytes, tags included, as its interpreter writes them. */
function constantBytes(f: FieldImpl): Uint8Array {
  const w = new Writer(16)
  f.write(w, undefined, { depth: 0, maxDepth: Number.MAX_SAFE_INTEGER })
  return w.finish().slice()
}

/** Compiled code that calls a field's interpreter: for a field kind without an emitter (construct's linked parser). */
function linked(f: FieldImpl): FieldEmitter {
  return {
    // An absent optional field writes nothing: no call for it (unknown fields, mostly none).
    encode: (g, x) => (f.presence === 'optional' ? `if (${x} !== undefined) ${g.ref(f)}.write(w, ${x}, ctx);` : `${g.ref(f)}.write(w, ${x}, ctx);`),
    decode(g, s) {
      const F = g.ref(f)
      g.declare(`let ${s} = ${F}.init();`)
      for (const n of f.tags) {
        for (const wt of WIRE_TYPES) {
          if (f.accepts(n, wt)) g.on(n, wt, `{ const n = ${F}.read(r, ${s}, t, ctx); if (n === ${g.ref(AS_UNKNOWN)}) ${g.bail} ${s} = n; } continue;`)
        }
      }
      return { missing: `(${s} === ${g.ref(MISSING)})`, value: s, result: `${F}.finish(${s}, ctx, r.pos)` }
    },
  }
}

function bailOut(): never {
  throw BAIL
}

function build(m: MessageImpl): Compiled {
  return new CodeGen().link(m)
}
