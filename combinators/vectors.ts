/**
 * Packed numeric fields as typed arrays: `packed(tag, double, { typed: true })`
 * is a `Float64Array`. For the fixed-width types whose wire form is the
 * array's own little-endian bytes (double, float, sfixed32, fixed32, and the
 * `bigint` twins of sfixed64 and fixed64), a packed run decodes as one copy
 * of its bytes and encodes as one copy; on a big-endian host, and for the
 * other types, each element goes through its host type's own read and
 * write, in one loop into an array sized once. Either way every element
 * keeps its host type's guarantees, and a malformed run fails as the
 * `number[]` form fails, with the same error at the same index.
 *
 * Its emitter writes and reads runs as the interpreter does, with the
 * host type's own inlined code for the elements that are not copied (the
 * loop the `number[]` form runs, into the typed array sized once).
 *
 * @module
 */
import { fcOf, real } from '../src/arb.js'
import { type AnyHostType, type FieldEmitter, type FieldImpl, type HostImpl, problem, type Problem, raise, show, validateTag } from '../src/core.js'
import { differ } from '../src/equal.js'
import { TemplateError, within } from '../src/errors.js'
import { estimateVarints } from '../src/snippets.js'
import { type Reader, WireType, type Writer } from '../src/wire.js'
import * as S from './scalars.js'

declare const vectorOf: unique symbol

/**
 * A host type whose packed runs may be a typed array `V`
 * (`packed(tag, type, { typed: true })`); a mark of types only.
 */
export interface Vectorable<V> {
  readonly [vectorOf]?: V
}

/** The typed arrays a packed field may be. */
export type Vector = Float64Array | Float32Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array

type VectorOf = { new (length: number): Vector; new (buffer: ArrayBuffer): Vector; readonly name: string; readonly BYTES_PER_ELEMENT: number }

interface Kind {
  readonly array: VectorOf
  /** The wire run is the array's own little-endian bytes. */
  readonly copy: boolean
  /** Elements are checked by the host type (a `number` flavour of a 64-bit integer held in a `Float64Array`). */
  readonly checked: boolean
}

const kind = (array: VectorOf, copy: boolean, checked = false): Kind => ({ array, copy, checked })

/** The typed array of each host type that has one. */
const KINDS: ReadonlyMap<AnyHostType, Kind> = new Map<AnyHostType, Kind>([
  [S.double, kind(Float64Array, true)],
  [S.float, kind(Float32Array, true)],
  [S.integer32, kind(Int32Array, true)],
  [S.unsigned32, kind(Uint32Array, true)],
  [S.integer64Big, kind(BigInt64Array, true)],
  [S.unsigned64Big, kind(BigUint64Array, true)],
  [S.integer64, kind(Float64Array, false, true)],
  [S.unsigned64, kind(Float64Array, false, true)],
  [S.signed32, kind(Int32Array, false)],
  [S.sint32, kind(Int32Array, false)],
  [S.uint32, kind(Uint32Array, false)],
  [S.integer, kind(Float64Array, false, true)],
  [S.unsigned, kind(Float64Array, false, true)],
  [S.signed64, kind(Float64Array, false, true)],
  [S.integerBig, kind(BigInt64Array, false)],
  [S.signed64Big, kind(BigInt64Array, false)],
  [S.unsignedBig, kind(BigUint64Array, false)],
])

/** Whether this host stores typed arrays little-endian, as the wire has them; tests set it to take the other way. */
export const byteOrder = { little: new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 }

/** What a packed field holds between occurrences: runs read as typed arrays, and single elements. */
type Part = Vector | number | bigint

/** The field of `packed(tag, type, { typed: true })`. */
export function vectorField(tag: number, type: AnyHostType): FieldImpl {
  const where = `packed(${tag}, ${type.typeName}, { typed: true })`
  validateTag(tag, where)
  const k = KINDS.get(type)
  if (k === undefined) {
    throw new TemplateError(`${where}: ${type.typeName} has no typed array (the numeric types but bool and enums have one)`)
  }
  const impl = type.impl
  const size = impl.wireType === WireType.I64 ? 8 : impl.wireType === WireType.I32 ? 4 : 0
  return {
    emit: vectorEmitter(k, impl, tag, size),
    shape: { kind: 'list', tag, host: type, packed: true },
    tags: [tag],
    presence: 'required',
    label: type.typeName,
    pathTag: tag,
    singular: false,
    accepts: (_, wireType) => wireType === impl.wireType || wireType === WireType.LEN,
    init: () => [],
    read(r, slot, t, ctx) {
      const parts = slot as Part[]
      const index = countOf(parts)
      if ((t & 7) !== WireType.LEN) {
        try {
          parts.push(impl.read(r, tag, ctx) as number | bigint)
        } catch (e) {
          within(e, { index })
        }
        return parts
      }
      const end = r.length()
      const outer = r.end
      r.end = end
      parts.push(k.copy && byteOrder.little && (end - r.pos) % size === 0 ? copyRun(r, end, k.array) : readRun(r, end, size, k.array, (rr) => impl.read(rr, tag, ctx) as number, index))
      r.end = outer
      return parts
    },
    finish: (slot) => join(k.array, slot as Part[]),
    write(w, v, ctx) {
      const p = check(k, impl, v)
      if (p !== undefined) raise(p)
      const vector = v as Vector
      if (vector.length === 0) return
      w.tag(tag, WireType.LEN)
      if (k.copy && byteOrder.little) {
        w.uint32(vector.byteLength)
        w.raw(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength))
        return
      }
      const mark = size > 0 ? (w.uint32(vector.length * size), -1) : w.fork()
      const write = impl.write as (w: Writer, v: number | bigint, n: number, c: typeof ctx) => void
      for (let i = 0; i < vector.length; i++) {
        try {
          write(w, vector[i]!, tag, ctx)
        } catch (e) {
          within(e, { index: i })
        }
      }
      if (mark >= 0) w.join(mark)
    },
    check: (v) => check(k, impl, v),
    diff: (a, b) => (sameVector(a, b) ? undefined : differ(a, b)),
    arbitrary(ctx) {
      const fc = fcOf(ctx)
      const element = impl.arbitrary(ctx)
      return element === null ? fc.constant(new k.array(0)) : fc.array(real(element), { maxLength: 6 }).map((xs) => fill(new k.array(xs.length), xs as Part[]))
    },
  }
}

/** The number of elements read so far (for an error's index, as the `number[]` form counts them). */
function countOf(parts: readonly Part[]): number {
  let n = 0
  for (const p of parts) n += typeof p === 'object' ? p.length : 1
  return n
}

/** A run whose bytes are the array's: one copy, into a buffer of its own (so aligned). */
function copyRun(r: Reader, end: number, array: VectorOf): Vector {
  const v = new array(r.buf.slice(r.pos, end).buffer)
  r.pos = end
  return v
}

/**
 * A run read element by element into an array sized once: by the bytes for
 * a fixed width, by the varints' last bytes otherwise. Bytes left over (a
 * run cut inside an element) are read as the `number[]` form reads them,
 * which fails there with the same error.
 */
function readRun(r: Reader, end: number, size: number, array: VectorOf, read: (r: Reader) => number, index: number): Vector {
  let n = 0
  if (size > 0) n = Math.floor((end - r.pos) / size)
  else for (let i = r.pos; i < end; i++) if (r.buf[i]! < 0x80) n++
  const out = new array(n)
  let i = 0
  try {
    for (; i < n; i++) (out as Float64Array)[i] = read(r)
    while (r.pos < end) {
      read(r)
      i++
    }
  } catch (e) {
    within(e, { index: index + i })
  }
  return out
}

function join(array: VectorOf, parts: readonly Part[]): Vector {
  if (parts.length === 1 && typeof parts[0] === 'object') return parts[0]
  return fill(new array(countOf(parts)), parts)
}

function fill(out: Vector, parts: readonly Part[]): Vector {
  let at = 0
  for (const p of parts) {
    if (typeof p === 'object') {
      ;(out as Float64Array).set(p as Float64Array, at)
      at += p.length
    } else (out as Float64Array)[at++] = p as number
  }
  return out
}

function check(k: Kind, impl: AnyHostType['impl'], v: unknown): Problem | undefined {
  if (!(v instanceof k.array)) return problem('invalid-value', `expected a ${k.array.name}, got ${show(v)}`)
  if (!k.checked) return undefined
  for (let i = 0; i < v.length; i++) {
    const p = impl.check(v[i], 0)
    if (p !== undefined) return problem(p.kind, `[${i}]: ${p.detail}`)
  }
  return undefined
}

/** The same type of array, and element for element the same (NaN equal to NaN, −0 not 0). */
function sameVector(a: unknown, b: unknown): boolean {
  if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false
  const [x, y] = [a as Float64Array, b as Float64Array]
  if (x.length !== y.length) return false
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false
  return true
}

/**
 * Compiled code of a typed packed field: as its interpreter, with the
 * element code of the host type inlined where the run is not one copy. A
 * field's occurrences are gathered as the interpreter gathers them (parts,
 * joined at the end); anything not whole takes the interpreter's way.
 */
function vectorEmitter(k: Kind, impl: HostImpl<unknown>, tag: number, size: number): FieldEmitter {
  return {
    encode(g, x) {
      const A = g.ref(k.array)
      const e = g.local('e')
      const i = g.local('i')
      const each = `for (let ${i} = 0; ${i} < ${x}.length; ${i}++) { const ${e} = ${x}[${i}]; ${g.write(impl, e, tag)} }`
      const elements = size > 0 ? `w.uint32(${x}.length * ${size}); ${each}` : g.delimited(each)
      const copied = k.copy
        ? `if (${g.ref(byteOrder)}.little) { w.uint32(${x}.byteLength); w.raw(new Uint8Array(${x}.buffer, ${x}.byteOffset, ${x}.byteLength)) } else { ${elements} }`
        : elements
      return `if (!(${x} instanceof ${A})) ${g.bail} if (${x}.length > 0) { ${g.tag(tag, WireType.LEN)} ${copied} }`
    },
    decode(g, s) {
      const A = g.ref(k.array)
      g.declare(`const ${s} = [];`)
      const v = g.local('v')
      g.on(tag, impl.wireType, `let ${v}; ${g.read(impl, v, tag)} ${s}.push(${v}); continue;`)
      const end = g.local('e')
      const o = g.local('o')
      const out = g.local('a')
      const n = g.local('n')
      // Sized once: by the width, or for varints (one a byte at most) by an
      // estimate from the first bytes, the array cut to the count after.
      const size0 =
        size > 0
          ? `(${end} - r.pos) / ${size}`
          : `${g.ref(estimateVarints)}(r.buf, r.pos, ${end})`
      const run = `let ${n} = 0; const ${out} = new ${A}(Math.ceil(${size0})); ${g.readRun(impl, out, end, n)} ${s}.push(${n} === ${out}.length ? ${out} : ${out}.slice(0, ${n}));`
      const copy = k.copy
        ? `if (${g.ref(byteOrder)}.little && (${end} - r.pos) % ${size} === 0) { ${s}.push(new ${A}(r.buf.slice(r.pos, ${end}).buffer)); r.pos = ${end} } else { ${run} }`
        : run
      g.on(tag, WireType.LEN, `${g.readLength(end)} const ${o} = r.end; r.end = ${end}; ${copy} r.end = ${o}; continue;`)
      return { missing: 'false', value: s, result: `${g.ref(join)}(${A}, ${s})` }
    },
  }
}
