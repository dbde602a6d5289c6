/**
 * Templates compiled to JavaScript: on first use, each message template
 * becomes one encode and one decode function, generated as source and
 * built with `new Function`. Tags are constants in the code, dispatch is a
 * `switch` on the whole tag, constants are pre-encoded, and every field is
 * code of its own kind — no per-field closures, arrays of slots or
 * try/catch, and the values are built as literals of a fixed shape.
 *
 * The compiled code is the fast path only. It checks everything the
 * interpreter checks, but on any failure — bad input, a value that does not
 * fit, or a rare case it leaves alone (a message field that occurs twice
 * and must be merged) — it throws, and the operation runs again through the
 * interpreter (src/message.ts), which gives the exact error with its path
 * and offset, or the merged value. So the two cannot disagree on errors,
 * and where `new Function` is forbidden (a Content Security Policy without
 * 'unsafe-eval'), the interpreter is all there is.
 *
 * @module
 */
import { type DecodeCtx, type EncodeCtx, type FieldImpl, guardOf, type HostImpl, type MessageImpl } from './core.js'
import { BAIL } from './bail.js'
import { deepEqual } from './equal.js'
import { isSink } from './message.js'
import { Source } from './inline.js'
import { type Reader, WireType, Writer } from './wire.js'

/** A compiled message: what `encode` and `decode` run when they can. */
export interface Unit {
  /** Write the fields of `v` (no length prefix). Throws on anything it does not take. */
  encode(w: Writer, v: unknown, ctx: EncodeCtx): void
  /** Read fields until `end`, or until the tag `endGroup` when it is not 0. Throws on anything it does not take. */
  decode(r: Reader, end: number, ctx: DecodeCtx, endGroup: number): unknown
}


let generation: boolean | undefined

/**
 * Turn code generation off (or on again). Off, every operation runs in the
 * interpreter, as it does where `new Function` is forbidden.
 */
export function setCodeGeneration(on: boolean): void {
  generation = on && canGenerate()
}

function canGenerate(): boolean {
  try {
    return new Function('return 1')() === 1
  } catch {
    return false
  }
}

/** Where a message keeps its compiled form: on the object itself, as a map lookup per operation costs ~5% of a small message. */
const UNIT: unique symbol = Symbol('protoplate compiled unit')
type Compilable = MessageImpl & { [UNIT]?: Unit }

/** The compiled form of a message, or undefined where code cannot be generated. */
export function unitOf(m: MessageImpl): Unit | undefined {
  generation ??= canGenerate()
  if (!generation) return undefined
  const c = m as Compilable
  let u = c[UNIT]
  if (u === undefined) {
    // Registered before it is built, so that a recursive template finds itself.
    const unit = { encode: undefined as unknown as Unit['encode'], decode: undefined as unknown as Unit['decode'] }
    c[UNIT] = unit
    try {
      Object.assign(unit, build(m))
    } catch (e) {
      delete c[UNIT]
      throw e
    }
    u = unit
  }
  return u
}

// ---------------------------------------------------------------------------
// Code generation

/** Values the generated code refers to, by name; a `Source` is written into the code itself, so each template has its own copy. */
class Refs {
  readonly values: unknown[] = []
  private readonly names = new Map<unknown, string>()
  ref(v: unknown): string {
    let name = this.names.get(v)
    if (name === undefined) {
      name = `R${this.values.length}`
      this.values.push(v)
      this.names.set(v, name)
    }
    return name
  }
}

const tagValue = (fieldNumber: number, wireType: number): number => ((fieldNumber << 3) | wireType) >>> 0

/** The bytes of a tag, as code that writes them. */
function tagCode(fieldNumber: number, wireType: number): string {
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

/** `Writer.fork`, inline: a byte kept for the length, and the writer's `extra` then, in `x${mark}`. */
const fork = (mark: string): string => `w.ensure(1); const ${mark} = w.pos++, x${mark} = w.extra;`
/** `Writer.join`, inline for a length under 128, which fits the byte kept. */
const join = (mark: string): string => `{ const n = w.pos - ${mark} - 1 + w.extra - x${mark}; if (n < 128) w.buf[${mark}] = n; else w.defer(${mark}, n); }`

/**
 * `Reader.length`, inline for a prefix of one or two bytes within the
 * message: declares `e`, where the payload ends. Anything else (longer,
 * past the end, truncated) goes through `length`, which reports it.
 */
const readLength = (e: string): string =>
  `let ${e}; { const b = r.buf, p = r.pos, c = p < r.end ? b[p] : 256; ` +
  `if (c < 128) { ${e} = p + 1 + c; r.pos = p + 1 } ` +
  `else if (c < 256 && p + 1 < r.end && b[p + 1] < 128) { ${e} = p + 2 + ((c & 127) | (b[p + 1] << 7)); r.pos = p + 2 } ` +
  `else ${e} = -1; ` +
  `if (${e} < 0 || ${e} > r.end) { r.pos = p; ${e} = r.length() } }`

/** Fixed sizes of packable wire types, for packed runs whose length is known before they are written. */
const fixedSize = (wireType: number): number => (wireType === WireType.I64 ? 8 : wireType === WireType.I32 ? 4 : 0)

/** What the compiler makes of a host type. */
type HostKind =
  | { readonly kind: 'fast'; readonly impl: HostImpl<unknown> }
  | { readonly kind: 'message'; readonly msg: MessageImpl; readonly unit: Unit; readonly group: boolean; readonly map?: HostImpl<unknown>['mapped'] }
  | { readonly kind: 'other' }

function hostKind(impl: HostImpl<unknown>): HostKind {
  if (impl.fast !== undefined) return { kind: 'fast', impl }
  const msg = impl.message ?? impl.mapped?.inner.message
  if (msg !== undefined) {
    return { kind: 'message', msg: msg.template.impl, unit: unitOf(msg.template.impl)!, group: msg.group, ...(impl.mapped ? { map: impl.mapped } : {}) }
  }
  return { kind: 'other' }
}

let counter = 0
const fresh = (prefix: string): string => `${prefix}${counter++}`

function build(m: MessageImpl): Unit {
  const refs = new Refs()
  const R = (v: unknown) => refs.ref(v)
  const bail = 'throw BAIL'
  const tuple = m.keys === undefined
  const fields = m.fields
  const holes = fields.filter((f) => f.presence !== 'constant').length
  const key = (i: number) => JSON.stringify(m.keys![i])

  // ---------------- encode

  /** Code writing a value `x` of host type `impl` under `tag`, its tag included. */
  function encHost(impl: HostImpl<unknown>, tag: number, x: string, f: FieldImpl): string {
    const k = hostKind(impl)
    if (k.kind === 'fast') return `${tagCode(tag, impl.wireType)} ${encValue(impl, x)}`
    if (k.kind === 'message') {
      const y = fresh('y')
      const mapped = k.map === undefined ? `const ${y} = ${x};` : `let ${y}; try { ${y} = ${R(k.map.encode)}(${x}) } catch { ${bail} }`
      const inner = `if (++ctx.depth > ctx.maxDepth) ${bail}; ${R(k.unit)}.encode(w, ${y}, ctx); ctx.depth--;`
      if (k.group) return `${mapped} ${tagCode(tag, WireType.SGROUP)} ${inner} ${tagCode(tag, WireType.EGROUP)}`
      const mark = fresh('m')
      return `${mapped} ${tagCode(tag, WireType.LEN)} ${fork(mark)} ${inner} ${join(mark)}`
    }
    return `${R(f)}.write(w, ${x}, ctx);`
  }

  /** Code checking a value `x` of a scalar host and writing it (no tag): inline where the host has a snippet. */
  function encValue(impl: HostImpl<unknown>, x: string): string {
    const other = `if (${R(impl.check)}(${x}, 0) !== undefined) ${bail}; ${R(impl.fast!.put)}(w, ${x});`
    return impl.fast!.enc === undefined ? other : impl.fast!.enc(x, other)
  }

  /**
   * The test by which a tuple oneof takes alternative `impl` for `x`. A
   * scalar's guard, inlined; a message's shape only — its deep check would
   * walk the whole value at every level of a recursive message — which is
   * enough, as the message's own encode then checks the rest and hands the
   * value to the interpreter if it does not fit (which picks by deep check).
   */
  function pickTest(impl: HostImpl<unknown>, x: string): string {
    if (impl.fast?.is !== undefined) return impl.fast.is(x, R)
    const k = hostKind(impl)
    if (k.kind === 'message' && k.map === undefined) {
      const holes = k.msg.fields.filter((f) => f.presence !== 'constant').length
      return k.msg.keys === undefined
        ? `(Array.isArray(${x}) && ${x}.length === ${holes})`
        : `(typeof ${x} === 'object' && ${x} !== null && !Array.isArray(${x}) && !(${x} instanceof Uint8Array))`
    }
    return `${R(guardOf(impl))}(${x})`
  }

  function encField(f: FieldImpl, x: string): string {
    const s = f.shape
    if (f.presence === 'constant') {
      // Written once now; the same bytes every time.
      const cw = new Writer(16)
      f.write(cw, undefined, { depth: 0, maxDepth: Number.MAX_SAFE_INTEGER })
      return `w.raw(${R(cw.finish())});`
    }
    if (s === undefined || isSink(f)) return `${R(f)}.write(w, ${x}, ctx);`
    switch (s.kind) {
      case 'host':
        return `if (${x} === undefined) ${bail}; ${encHost(s.host.impl, s.tag, x, f)}`
      case 'list': {
        const impl = s.host.impl
        const e = fresh('e')
        const i = fresh('i')
        const k = hostKind(impl)
        if (!s.packed) {
          if (k.kind === 'other') return `${R(f)}.write(w, ${x}, ctx);`
          return `if (!Array.isArray(${x})) ${bail}; for (let ${i} = 0; ${i} < ${x}.length; ${i}++) { const ${e} = ${x}[${i}]; ${encHost(impl, s.tag, e, f)} }`
        }
        if (k.kind !== 'fast') return `${R(f)}.write(w, ${x}, ctx);`
        const size = fixedSize(impl.wireType)
        const loop = `for (let ${i} = 0; ${i} < ${x}.length; ${i}++) { const ${e} = ${x}[${i}]; ${encValue(impl, e)} }`
        if (size > 0) return `if (!Array.isArray(${x})) ${bail}; if (${x}.length > 0) { ${tagCode(s.tag, WireType.LEN)} w.uint32(${x}.length * ${size}); ${loop} }`
        const mark = fresh('m')
        return `if (!Array.isArray(${x})) ${bail}; if (${x}.length > 0) { ${tagCode(s.tag, WireType.LEN)} ${fork(mark)} ${loop} ${join(mark)} }`
      }
      case 'optional':
        return `if (${x} !== undefined) { ${encField(s.inner, x)} }`
      case 'defaulted': {
        const d = s.value
        const same = d === null || typeof d !== 'object' ? `Object.is(${x}, ${R(d)})` : `${R(deepEqual)}(${x}, ${R(d)})`
        return `if (${x} !== undefined && !${same}) { ${encField(s.inner, x)} }`
      }
      case 'oneof': {
        const alts = s.alternatives
        if (alts.some((a) => a.shape?.kind !== 'host')) return `${R(f)}.write(w, ${x}, ctx);`
        if (s.keys === undefined) {
          // The first alternative whose guard takes the value, as the interpreter picks.
          const chain = alts
            .map((a, j) => {
              const impl = (a.shape as Extract<FieldImpl['shape'], { kind: 'host' }>).host.impl
              const is = pickTest(impl, x)
              return `${j === 0 ? '' : 'else '}if (${is}) { ${encField(a, x)} }`
            })
            .join(' ')
          return `${chain} else ${bail};`
        }
        const y = fresh('y')
        const cases = alts.map((a, j) => `case ${JSON.stringify(s.keys![j])}: { const ${y} = ${x}.value; ${encField(a, y)} break }`).join(' ')
        return `if (typeof ${x} !== 'object' || ${x} === null) ${bail}; switch (${x}.case) { ${cases} default: ${bail} }`
      }
    }
  }

  let encBody = tuple
    ? `if (!Array.isArray(v) || v.length !== ${holes}) ${bail};`
    : `if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) ${bail};`
  let k = 0
  fields.forEach((f, i) => {
    if (f.presence === 'constant') {
      encBody += `\n  ${encField(f, 'undefined')}`
      return
    }
    const x = `x${i}`
    encBody += `\n  { const ${x} = ${tuple ? `v[${k++}]` : `v[${key(i)}]`}; ${encField(f, x)} }`
  })

  // ---------------- decode

  const decls: string[] = []
  const cases: string[] = []
  const finish: string[] = []
  let sink: string | undefined

  /** Code reading one value of a scalar host `impl` (after its tag), then `into(value)`: inline where the host has a snippet. */
  function readValue(impl: HostImpl<unknown>, into: (v: string) => string): string {
    const get = `${R(impl.fast!.get)}(r, r.pos)`
    if (impl.fast!.dec === undefined) return into(get)
    const v = fresh('g')
    return `let ${v}; ${impl.fast!.dec(v, `${v} = ${get};`, R)} ${into(v)}`
  }

  /** Code reading one value of host `impl` (after its tag) into an expression statement `into(value)`. */
  function readHost(impl: HostImpl<unknown>, into: (v: string) => string, once: string | undefined, tag: number): string {
    const k = hostKind(impl)
    if (k.kind === 'fast') return readValue(impl, into)
    if (k.kind === 'message') {
      const a = fresh('a')
      // A second occurrence of a singular message merges: the interpreter does that.
      const merge = once === undefined ? '' : `if (${once}) ${bail};`
      const read = k.group
        ? `if (++ctx.depth > ctx.maxDepth) ${bail}; const ${a} = ${R(k.unit)}.decode(r, r.end, ctx, ${tagValue(tag, WireType.EGROUP)}); ctx.depth--;`
        : `${readLength('e')} if (++ctx.depth > ctx.maxDepth) ${bail}; const o = r.end; r.end = e; const ${a} = ${R(k.unit)}.decode(r, e, ctx, 0); r.end = o; ctx.depth--;`
      // The user's decode, called directly: what it throws sends the operation to the interpreter, which reports it with its offset.
      if (k.map === undefined) return `${merge} ${read} ${into(a)}`
      const d = fresh('d')
      return `${merge} ${read} let ${d}; try { ${d} = ${R(k.map.decode)}(${a}) } catch { ${bail} } ${into(d)}`
    }
    throw new Error('unreachable: other hosts are read generically')
  }

  /** Cases that hand a field's tags to its own `read`; its state is `s`. */
  function genericCases(f: FieldImpl, s: string): void {
    const F = R(f)
    for (const n of f.tags) {
      for (const wt of [0, 1, 2, 3, 5]) {
        cases.push(`case ${tagValue(n, wt)}: if (${F}.accepts(${n}, ${wt})) { ${s} = ${F}.read(r, ${s}, t, ctx); continue } break;`)
      }
    }
  }

  /**
   * Declare the state of field `f` and its cases; returns the expression of
   * its value once the loop is done (throwing where it is missing).
   */
  function decField(f: FieldImpl, idx: number): string {
    const s = `s${idx}`
    const shape = f.shape
    const generic = (): string => {
      decls.push(`let ${s} = ${R(f)}.init();`)
      genericCases(f, s)
      return `${R(f)}.finish(${s}, ctx, r.pos)`
    }
    if (isSink(f)) {
      decls.push(`const ${s} = [];`)
      sink = s
      return `${R(f)}.finish(${s}, ctx, r.pos)`
    }
    if (shape === undefined) return generic()
    switch (shape.kind) {
      case 'host': {
        const impl = shape.host.impl
        if (shape.constant) {
          if (impl.fast === undefined) return generic()
          decls.push(`let ${s};`)
          const c = `{ const c = ${R(impl.fast.get)}(r, r.pos); if (!${R(impl.equals)}(c, ${R(shape.value)})) ${bail}; ${s} = c; continue }`
          cases.push(`case ${tagValue(shape.tag, impl.wireType)}: ${c}`)
          return `(${s} === undefined ? ${bailExpr} : ${s})`
        }
        const inner = decInner(f, idx)
        return inner === undefined ? generic() : `(${inner.missing} ? ${bailExpr} : ${inner.value})`
      }
      case 'list': {
        const impl = shape.host.impl
        const k = hostKind(impl)
        if (shape.constant || k.kind === 'other') return generic()
        decls.push(`const ${s} = [];`)
        const wt = impl.wireType
        cases.push(`case ${tagValue(shape.tag, wt)}: { ${readHost(impl, (v) => `${s}.push(${v}); continue;`, undefined, shape.tag)} }`)
        if (impl.packable && wt !== WireType.LEN) {
          // Packed and unpacked both read, whichever the field was declared.
          const oneByOne = `while (r.pos < e) { ${readValue(impl, (v) => `${s}.push(${v});`)} }`
          const run = impl.fast!.decRun === undefined ? oneByOne : impl.fast!.decRun(s, 'e', oneByOne, R)
          cases.push(`case ${tagValue(shape.tag, WireType.LEN)}: { ${readLength('e')} const o = r.end; r.end = e; ${run} r.end = o; continue }`)
        }
        return s
      }
      case 'optional': {
        const inner = decInner(shape.inner, idx)
        return inner === undefined ? generic() : `(${inner.missing} ? undefined : ${inner.value})`
      }
      case 'defaulted': {
        const inner = decInner(shape.inner, idx)
        return inner === undefined ? generic() : `(${inner.missing} ? ${R(shape.value)} : ${inner.value})`
      }
      case 'oneof': {
        const inner = decInner(f, idx)
        return inner === undefined ? generic() : `(${inner.missing} ? ${bailExpr} : ${inner.value})`
      }
    }
  }

  /**
   * The state and cases of a field inside `optional` or `defaulted`, or of a
   * oneof: how to tell it is missing, and its value otherwise. Undefined when
   * the field is best read generically (by `outer`).
   */
  function decInner(f: FieldImpl, idx: number): { missing: string; value: string } | undefined {
    const s = `s${idx}`
    const shape = f.shape
    if (shape?.kind === 'host' && !shape.constant) {
      const impl = shape.host.impl
      const k = hostKind(impl)
      if (k.kind === 'other') return undefined
      decls.push(`let ${s};`)
      const wt = impl.wireType
      cases.push(`case ${tagValue(shape.tag, wt)}: { ${readHost(impl, (v) => `${s} = ${v}; continue;`, k.kind === 'message' ? `${s} !== undefined` : undefined, shape.tag)} }`)
      return { missing: `${s} === undefined`, value: s }
    }
    if (shape?.kind === 'oneof') {
      const alts = shape.alternatives
      if (alts.some((a) => a.shape?.kind !== 'host' || a.shape.constant || hostKind(a.shape.host.impl).kind === 'other')) return undefined
      const which = `w${idx}`
      decls.push(`let ${s}, ${which} = -1;`)
      alts.forEach((a, j) => {
        const sh = a.shape as Extract<FieldImpl['shape'], { kind: 'host' }>
        const impl = sh.host.impl
        const k = hostKind(impl)
        const wt = impl.wireType
        const once = k.kind === 'message' ? `${which} === ${j}` : undefined
        cases.push(`case ${tagValue(sh.tag, wt)}: { ${readHost(impl, (v) => `${s} = ${v}; ${which} = ${j}; continue;`, once, sh.tag)} }`)
      })
      const value = shape.keys === undefined ? s : `{ case: ${R(shape.keys)}[${which}], value: ${s} }`
      return { missing: `${which} < 0`, value }
    }
    return undefined
  }

  const bailExpr = `${R(bailOut)}()`
  const values = fields.map((f, i) => decField(f, i))

  // The value: a tuple of the holes, or a record whose optional keys are left out when absent.
  const holeIdx = fields.map((f, i) => (f.presence === 'constant' ? -1 : i)).filter((i) => i >= 0)
  fields.forEach((f, i) => {
    if (f.presence === 'constant') finish.push(`${values[i]};`)
    else finish.push(`const v${i} = ${values[i]};`)
  })
  let result: string
  if (tuple) result = `return [${holeIdx.map((i) => `v${i}`).join(', ')}];`
  else {
    const firstOptional = holeIdx.findIndex((i) => fields[i]!.presence === 'optional')
    const lead = firstOptional < 0 ? holeIdx : holeIdx.slice(0, firstOptional)
    const rest = firstOptional < 0 ? [] : holeIdx.slice(firstOptional)
    result = `const out = { ${lead.map((i) => `${key(i)}: v${i}`).join(', ')} };`
    for (const i of rest) {
      result += fields[i]!.presence === 'optional' ? ` if (v${i} !== undefined) out[${key(i)}] = v${i};` : ` out[${key(i)}] = v${i};`
    }
    result += ' return out;'
  }

  const unknown = sink === undefined
    ? `r.skip(t, st, ctx.maxDepth - ctx.depth);`
    : `r.skip(t, st, ctx.maxDepth - ctx.depth); ${sink}.push(buf.subarray(st, r.pos));`
  const decBody = `
  const buf = r.buf;
  ${decls.join('\n  ')}
  for (;;) {
    if (r.pos >= end) { if (endGroup !== 0) ${bail}; break }
    const st = r.pos;
    let t = buf[st];
    if (t < 0x80) r.pos = st + 1;
    else if (st + 1 < end && buf[st + 1] < 0x80) { t = (t & 0x7f) | (buf[st + 1] << 7); r.pos = st + 2; }
    else t = r.tag();
    switch (t) {
      ${cases.join('\n      ')}
    }
    if ((t & 7) === 4) { if (t === endGroup) break; ${bail} }
    if (t < 8) ${bail};
    ${unknown}
  }
  ${finish.join('\n  ')}
  ${result}`

  const src = `${refs.values.map((v, i) => `const R${i} = ${v instanceof Source ? v.code : `R[${i}]`};`).join('\n')}
return {
encode(w, v, ctx) {
  ${encBody}
},
decode(r, end, ctx, endGroup) {
  ${decBody}
}
}`
  return new Function('R', 'BAIL', src)(refs.values, BAIL) as Unit
}

function bailOut(): never {
  throw BAIL
}
