/**
 * The compiled form of ProtoJSON's writing: for each message of a schema
 * and each set of writing options, a function with its fields written out
 * (made once, from the same plans the interpreter in messages.ts walks,
 * and built with `new Function`). It gives what the interpreter gives;
 * the well-known types, whose JSON forms are their own, are written by
 * the interpreter's code for them, and anything else it does not take
 * (a value of the wrong kind, an enumeration value without a member)
 * hands the message over to the interpreter, which writes it or throws
 * the error with its path (the bail rule of the binary codecs).
 *
 * @module
 */
import { codeGeneration, ProtoError } from '../src/index.js'
import type { FieldPlan, MessagePlan, Schema, SchemaValue, TypePlan } from '../schema/index.js'
import { type Ctx, messageToJson } from './messages.js'
import { base64, scalarToJson } from './scalars.js'
import { wellKnown } from './wkt.js'

/** Thrown by compiled code for what it does not take: the interpreter takes the message over. */
const BAIL: unique symbol = Symbol('bail')

type Writer = (v: SchemaValue, ctx: Ctx, depth: number) => unknown

/** As deep as the interpreter writes messages (its `depth-limit`): deeper, compiled code hands over. */
const MAX_DEPTH = 100

/** Per schema, per message: the compiled writers, by the writing options that change the code (a bit each). */
const cache = new WeakMap<Schema, Map<string, (Writer | undefined)[]>>()

/** The JSON of a message: compiled, where code generation is on, else interpreted. */
export function writeJson(ctx: Ctx, name: string, value: SchemaValue): unknown {
  if (!codeGeneration() || wellKnown.has(name)) return messageToJson(ctx, name, value)
  try {
    return writerOf(ctx, name)(value, ctx, 1)
  } catch (e) {
    // The interpreter writes what compiled code did not take, or throws the error with its path.
    if (e === BAIL || e instanceof ProtoError) return messageToJson(ctx, name, value)
    throw e
  }
}

function writerOf(ctx: Ctx, name: string): Writer {
  const o = ctx.write
  const bits = (o.emitDefaults === true ? 1 : 0) | (o.enumAsNumber === true ? 2 : 0) | (o.protoNames === true ? 4 : 0)
  let bySchema = cache.get(ctx.schema)
  if (bySchema === undefined) cache.set(ctx.schema, (bySchema = new Map()))
  let writers = bySchema.get(name)
  if (writers === undefined) bySchema.set(name, (writers = []))
  return (writers[bits] ??= compile(ctx, name))
}

/** The source of one message's writer, and of the messages it holds (each a function of its own), linked by name. */
function compile(ctx: Ctx, root: string): Writer {
  const refs: unknown[] = []
  const ref = (x: unknown): string => {
    let i = refs.indexOf(x)
    if (i < 0) i = refs.push(x) - 1
    return `R[${i}]`
  }
  const names = new Map<string, string>()
  const bodies: string[] = []
  const fn = (message: string): string => {
    let id = names.get(message)
    if (id !== undefined) return id
    id = `m${names.size}`
    names.set(message, id)
    if (wellKnown.has(message)) bodies.push(`function ${id}(v, ctx, d) { return ${ref(messageToJson)}(ctx, ${JSON.stringify(message)}, v) }`)
    else bodies.push(messageSource(ctx, id, ctx.schema.plans.messages.get(message) ?? ctx.registry.plans.messages.get(message)!, { ref, fn }))
    return id
  }
  const top = fn(root)
  const source = `${bodies.join('\n')}\nreturn ${top}`
  return new Function('R', 'BAIL', source)(refs, BAIL) as Writer
}

interface Linker {
  ref(x: unknown): string
  fn(message: string): string
}

function messageSource(ctx: Ctx, id: string, plan: MessagePlan, link: Linker): string {
  const lines = [`function ${id}(v, ctx, d) {`, `if (typeof v !== 'object' || v === null || d > ${MAX_DEPTH}) throw BAIL;`, `const out = {}; let x;`]
  for (const member of plan.members) {
    if ('field' in member) lines.push(fieldSource(ctx, member.field, link))
    else {
      const cases = member.oneof.fields.map((f) => `case ${JSON.stringify(f.name)}: ${assign(ctx, f, valueSource(ctx, f.type, 'x.value', link))}; break;`)
      lines.push(`x = v[${JSON.stringify(member.oneof.name)}]; if (x !== undefined) { switch (x.case) { ${cases.join(' ')} default: throw BAIL } }`)
    }
  }
  lines.push('return out }')
  return lines.join('\n')
}

const keyOf = (ctx: Ctx, f: FieldPlan): string => (ctx.write.protoNames === true ? f.name : f.jsonName)

/** A key `__proto__` would set the object's prototype: the interpreter writes it as an own key. */
function assign(ctx: Ctx, f: FieldPlan, value: string): string {
  const k = keyOf(ctx, f)
  return k === '__proto__' ? 'throw BAIL' : `out[${JSON.stringify(k)}] = ${value}`
}

function fieldSource(ctx: Ctx, f: FieldPlan, link: Linker): string {
  const get = `x = v[${JSON.stringify(f.name)}];`
  const all = ctx.write.emitDefaults === true
  switch (f.cardinality) {
    case 'explicit':
    case 'required':
      return `${get} if (x !== undefined) ${assign(ctx, f, valueSource(ctx, f.type, 'x', link))};`
    case 'implicit':
      return `${get} if (x !== undefined${all ? '' : ` && !(${zeroTest(ctx, f.type, 'x')})`}) ${assign(ctx, f, valueSource(ctx, f.type, 'x', link))};`
    case 'map': {
      const entry = `if (k === '__proto__') throw BAIL; o[k] = ${valueSource(ctx, f.type, 'e', link)};`
      const body = `const o = {}; if (x instanceof Map) { for (const [key, e] of x) { const k = String(key); ${entry} } } else if (typeof x === 'object' && x !== null) { for (const k of Object.keys(x)) { const e = x[k]; ${entry} } } else throw BAIL;`
      return `${get} if (x !== undefined) { ${body} if (${all ? 'true' : '(x instanceof Map ? x.size : Object.keys(x).length) > 0'}) ${assign(ctx, f, 'o')}; }`
    }
    default:
      return `${get} if (x !== undefined) { if (x.length === undefined) throw BAIL; if (${all ? 'true' : 'x.length > 0'}) { const a = new Array(x.length); for (let i = 0; i < x.length; i++) { const e = x[i]; a[i] = ${valueSource(ctx, f.type, 'e', link)} } ${assign(ctx, f, 'a')}; } }`
  }
}

/** An expression: whether `x` is the type's zero, as the interpreter's `isZero` says. */
function zeroTest(ctx: Ctx, t: TypePlan, x: string): string {
  if (t.kind === 'enum') {
    const zero = enumOf(ctx, t.ref).values.find(([, n]) => n === 0)?.[0]
    return `${x} === 0${zero === undefined ? '' : ` || ${x} === ${JSON.stringify(zero)}`}`
  }
  if (t.kind === 'message') return 'false'
  switch (t.scalar) {
    case 'bool':
      return `${x} === false`
    case 'string':
      return `${x} === ''`
    case 'bytes':
      return `(${x} instanceof Uint8Array && ${x}.length === 0)`
    default:
      return `(${x} === 0 && 1 / ${x} > 0) || ${x} === 0n`
  }
}

function enumOf(ctx: Ctx, ref: string) {
  return (ctx.schema.plans.enums.get(ref) ?? ctx.registry.plans.enums.get(ref))!
}

/** An expression: the JSON of the value in `x`, of type `t`. */
function valueSource(ctx: Ctx, t: TypePlan, x: string, link: Linker): string {
  if (t.kind === 'message') return `${link.fn(t.ref)}(${x}, ctx, d + 1)`
  if (t.kind === 'enum') {
    if (t.ref === 'google.protobuf.NullValue') return 'null'
    const e = enumOf(ctx, t.ref)
    // Names written as they are (or as their numbers); a number as its first name, or itself.
    const byName = new Map<string, unknown>(e.values.map(([k, n]) => [k, ctx.write.enumAsNumber === true ? n : k]))
    const byNumber = new Map<number, unknown>()
    for (const [k, n] of e.values) if (!byNumber.has(n)) byNumber.set(n, ctx.write.enumAsNumber === true ? n : k)
    return `(typeof ${x} === 'string' ? (${link.ref(byName)}.get(${x}) ?? (() => { throw BAIL })()) : typeof ${x} === 'number' ? (${link.ref(byNumber)}.get(${x}) ?? ${x}) : (() => { throw BAIL })())`
  }
  switch (t.scalar) {
    case 'int32':
    case 'sint32':
    case 'sfixed32':
    case 'uint32':
    case 'fixed32':
    case 'bool':
    case 'string':
      return x
    case 'bytes':
      return `(${x} instanceof Uint8Array ? ${link.ref(base64)}(${x}) : (() => { throw BAIL })())`
    case 'double':
      return `(${x} === ${x} && ${x} !== Infinity && ${x} !== -Infinity ? ${x} : ${link.ref(scalarToJson)}(${link.ref(t)}, ${x}))`
    case 'float':
      return `${link.ref(scalarToJson)}(${link.ref(t)}, ${x})`
    default:
      return `String(${x})`
  }
}
