/**
 * protobufjs as a JavaScript peer: the proto2 schema of generated templates
 * is loaded by protobufjs (reflection); messages encoded by protoplate
 * decode in protobufjs to the same values, and messages encoded by
 * protobufjs decode in protoplate to the same values.
 *
 * PROTOPLATE_PBJS_CASES sets the number of cases (default 400),
 * PROTOPLATE_SEED the seed.
 */
import test from 'ava'
import * as fc from 'fast-check'
import protobufjs from 'protobufjs'
import { arbitrary } from '../src/testing.js'
import { encodeEscaped } from '../src/utf8.js'
import { type Built, compile, type FieldDesc, type HostName, templateCase, forSchemas, oneofChoice } from './gen.js'
import { enc, SEED } from './helpers.js'
import { enumerations } from './prolog.js'
import { batch, type Entry, misreadCases, namesOf, show, normalize, schema, token, type Tree, trees, unbatch } from './protoc.js'

const CASES = Number(process.env['PROTOPLATE_PBJS_CASES'] ?? 400)

const cases = fc.sample(
  templateCase.chain(([spec, seed]) => {
    const built = compile(forSchemas(spec), seed)
    return arbitrary(built.template).map((value) => ({ built, value }))
  }),
  { numRuns: CASES, seed: SEED },
)
const root = protobufjs.parse(schema(cases.map((c) => c.built), { noOneofInGroups: true, unvalidatedAsBytes: true }), { keepCase: true }).root
root.resolveAll()
const Batch = root.lookupType('Batch')

type Names = ReturnType<typeof namesOf>
type Obj = Record<string, unknown>

/** The protobufjs field name of a desc: groups are named after their type, first letter lowered. */
const fieldName = (d: FieldDesc, name: string, names: Names): string =>
  (d.kind === 'message' || d.kind === 'messageList') && d.group ? names.of.get(d.inner)!.toLowerCase() : name

// ---------------------------------------------------------------------------
// protoplate values as protobufjs plain objects (for fromObject)

function toPbjs(c: Built, value: unknown, names: Names): Obj {
  const out: Obj = {}
  const vs = c.split(value)
  c.descs.forEach((d, i) => put(out, d, `f${i}`, vs[i], names))
  return out
}

function put(out: Obj, d: FieldDesc, name: string, v: unknown, names: Names): void {
  if (v === undefined) return
  switch (d.kind) {
    case 'scalar':
      out[name] = scalar(d.type, v)
      return
    case 'list':
      out[name] = (v as unknown[]).map((x) => scalar(d.type, x))
      return
    case 'message':
      out[fieldName(d, name, names)] = toPbjs(d.inner, d.toInner !== undefined ? d.toInner(v) : d.presence === 'constant' ? [] : v, names)
      return
    case 'messageList':
      out[fieldName(d, name, names)] = (d.list !== undefined ? d.list(v) : (v as unknown[])).map((x) => toPbjs(d.inner, d.toInner !== undefined ? d.toInner(x) : x, names))
      return
    case 'oneof': {
      const [j, x] = oneofChoice(d, v)
      put(out, d.alternatives[j]!, `${name}_${j}`, x, names)
      return
    }
    case 'unknown':
  }
}

function scalar(type: HostName, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString()
  if (type === 'utf8Codes') return String.fromCodePoint(...(v as number[]))
  if (type === 'unvalidatedString') return encodeEscaped(v as string)
  if (type === 'e_open') return typeof v === 'number' ? v : enumerations['e_open']![v as string]
  // protobufjs takes 64-bit values as strings (or Longs); numbers beyond 2^31 lose nothing as strings either.
  if (typeof v === 'number' && /64|integer$|^unsigned$/.test(type) && type !== 'float' && type !== 'double') return String(v)
  return v
}

// ---------------------------------------------------------------------------
// protobufjs objects (toObject) as text-format trees, to compare with protoplate's

function fromPbjs(obj: Obj, c: Built, names: Names): Tree {
  return c.descs.flatMap((d, i) => take(obj, d, `f${i}`, names))
}

function take(obj: Obj, d: FieldDesc, name: string, names: Names): Entry[] {
  const key = fieldName(d, name, names)
  const v = obj[key]
  switch (d.kind) {
    case 'scalar':
      return v === undefined ? [] : [{ name, scalar: tokenOf(d.type, v) }]
    case 'list':
      return ((v as unknown[] | undefined) ?? []).map((x) => ({ name, scalar: tokenOf(d.type, x) }))
    case 'message': {
      const entryName = d.group ? names.of.get(d.inner)! : name
      return v === undefined ? [] : [{ name: entryName, message: fromPbjs(v as Obj, d.inner, names) }]
    }
    case 'messageList': {
      const entryName = d.group ? names.of.get(d.inner)! : name
      return ((v as Obj[] | undefined) ?? []).map((x) => ({ name: entryName, message: fromPbjs(x, d.inner, names) }))
    }
    case 'oneof':
      return d.alternatives.flatMap((a, j) => take(obj, a, `${name}_${j}`, names))
    case 'unknown':
      return []
  }
}

function tokenOf(type: HostName, x: unknown): string {
  switch (type) {
    case 'utf8Codes':
      return token('string', x)
    case 'codes':
    case 'unvalidatedString':
      return token('codes', Uint8Array.from(x as number[]))
    case 'double':
    case 'float':
    case 'boolean':
    case 'atom':
    case 'string':
    case 'e_closed':
      return token(type, x)
    default:
      return String(x) // integers: strings (longs) or numbers; e_open: a number
  }
}

const toObjectOptions = { longs: String, enums: String, bytes: Array, defaults: false, arrays: false, oneofs: false }

test(`protobufjs decodes protoplate's bytes to the same values: ${CASES} generated templates (seed ${SEED})`, (t) => {
  const decoded = Batch.toObject(Batch.decode(batch(cases.map((c) => enc(c.built.template, c.value)))), toObjectOptions) as Obj
  const expected = trees(
    cases.map((c) => c.built),
    cases.map((c) => c.value),
  )
  const failures: string[] = []
  cases.forEach((c, i) => {
    const names = namesOf(c.built)
    const got = normalize(fromPbjs((decoded[`c${i}`] as Obj | undefined) ?? {}, c.built, names), c.built, names)
    const want = normalize(expected[i]!, c.built, names)
    if (got !== want) failures.push(`case ${i}: value ${show(c.value)}\nwant ${want}\ngot  ${got}`)
  })
  t.is(failures.length, 0, failures.slice(0, 3).join('\n\n'))
})

test(`protoplate decodes protobufjs's bytes to the same values: ${CASES} generated templates (seed ${SEED})`, (t) => {
  const obj: Obj = {}
  cases.forEach((c, i) => {
    obj[`c${i}`] = toPbjs(c.built, c.value, namesOf(c.built))
  })
  const failures = misreadCases(cases, unbatch(Batch.encode(Batch.fromObject(obj)).finish(), cases.length))
  t.is(failures.length, 0, failures.slice(0, 3).join('\n\n'))
})
