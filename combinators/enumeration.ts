/**
 * Enumerations: named int32 constants, written as `int64` varints (so a
 * negative member takes 10 bytes, as in Google's runtimes).
 *
 * @module
 */
import { fcOf } from '../src/arb.js'
import * as snippets from '../src/snippets.js'
import { type Arb, type ArbCtx, AS_UNKNOWN, type HostEmitter, type HostType, problem, type Problem, show } from '../src/core.js'
import { ProtoError, TemplateError } from '../src/errors.js'
import { defineHostType } from './host.js'
import { type Reader, WireType, type Writer } from '../src/wire.js'

/**
 * Compiled code of an enumeration: by a switch over its names and numbers,
 * for the few members an enumeration mostly has; through `put` and `get`
 * for a large one.
 */
function emitter(
  check: (v: unknown) => Problem | undefined,
  put: (w: Writer, v: string | number) => void,
  get: (r: Reader, at: number) => string | number,
  byName: ReadonlyMap<string, number>,
  byNumber: ReadonlyMap<number, string>,
  toField: boolean,
): HostEmitter {
  const inlined = byName.size <= 64
  const enc = snippets.enumName(byName)
  const dec = snippets.readEnum(byNumber)
  return {
    write(g, x) {
      const other = `if (${g.ref(check)}(${x}) !== undefined) ${g.bail} ${g.ref(put)}(w, ${x});`
      return inlined ? enc(x, other) : other
    },
    read(g, out) {
      // A number kept as an unknown field is the interpreter's to place.
      const other = `${out} = ${g.ref(get)}(r, r.pos);${toField ? ` if (${out} === ${g.ref(AS_UNKNOWN)}) ${g.bail}` : ''}`
      return inlined ? dec(out, other) : other
    },
  }
}

export interface EnumOptions {
  /** Keep numbers the enumeration does not name, instead of failing (an open enum). */
  readonly open?: boolean
  /**
   * For a closed enumeration: what decode does with a number it does not
   * name. `'error'` (the default): an `unknown-enum` error. `'field'`: the
   * occurrence is an unknown field of the message, as protobuf says of its
   * closed (proto2) enums: kept by `unknownFields()` and written back,
   * skipped otherwise, and the field is as if it had not occurred (in a
   * packed run, that number alone, kept as a field of its own).
   */
  readonly unknown?: 'error' | 'field'
}

/**
 * An enumeration host type. Its values are the member names:
 *
 * ```ts
 * const commands = enumeration('commands', { square: 1, decimate: 2, transform: 3, inverse_transform: 4 })
 * encode(protobuf([commands(1)]), ['inverse_transform']) // bytes 08 04
 * ```
 *
 * Closed by default: decoding a number it does not name is an `unknown-enum`
 * error. With `{ open: true }` such a number is kept as a number.
 * Members that share a number (aliases) decode as the first of them, and
 * are equal (for a constant or a default).
 *
 * @throws TemplateError for a member number outside the int32 range.
 */
export function enumeration<const M extends Readonly<Record<string, number>>>(
  name: string,
  members: M,
): HostType<keyof M & string>
export function enumeration<const M extends Readonly<Record<string, number>>>(
  name: string,
  members: M,
  options: EnumOptions & { readonly open: true },
): HostType<(keyof M & string) | number>
export function enumeration<const M extends Readonly<Record<string, number>>>(
  name: string,
  members: M,
  options: EnumOptions & { readonly open?: false },
): HostType<keyof M & string>
export function enumeration<const M extends Readonly<Record<string, number>>>(
  name: string,
  members: M,
  options?: EnumOptions,
): HostType<(keyof M & string) | number>
export function enumeration(
  name: string,
  members: Readonly<Record<string, number>>,
  options: EnumOptions = {},
): HostType<any> {
  const open = options.open === true
  const toField = !open && options.unknown === 'field'
  if (options.unknown !== undefined && options.unknown !== 'error' && options.unknown !== 'field') {
    throw new TemplateError(`enumeration ${name}: unknown is 'error' or 'field', not ${String(options.unknown)}`)
  }
  const byName = new Map<string, number>()
  const byNumber = new Map<number, string>()
  for (const [key, n] of Object.entries(members)) {
    if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) {
      throw new TemplateError(`enumeration ${name}: member ${key} = ${String(n)} is not a 32-bit integer`)
    }
    byName.set(key, n)
    if (!byNumber.has(n)) byNumber.set(n, key)
  }
  if (byName.size === 0) throw new TemplateError(`enumeration ${name} has no members`)
  // Aliases are one value, as their bytes are: a constant of one reads its number back, and a default of one is not written.
  const numberOf = (v: string | number): unknown => (typeof v === 'string' ? (byName.get(v) ?? v) : v)
  const equals = byNumber.size < byName.size ? (a: string | number, b: string | number) => Object.is(numberOf(a), numberOf(b)) : Object.is

  const check = (v: unknown): Problem | undefined => {
    if (typeof v === 'string') {
      return byName.has(v) ? undefined : problem('unknown-enum', `${show(v)} is not a member of ${name}`)
    }
    if (open && typeof v === 'number') {
      return Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff
        ? undefined
        : problem('out-of-range', `${show(v)} is not a 32-bit integer`)
    }
    return problem('invalid-value', `expected a member name of ${name}${open ? ' or a number' : ''}, got ${show(v)}`)
  }
  let numbers: Arb<string | number> | undefined
  const arbitrary = (ctx: ArbCtx) => {
    const fc = fcOf(ctx)
    // The names decode gives: an alias is accepted, but reads back as the first name of its number.
    const first = fc.constantFrom(...byNumber.values())
    return (numbers ??= open ? fc.oneof(first, fc.integer().filter((n) => !byNumber.has(n))) : first)
  }

  const put = (w: Writer, v: string | number): void => {
    const n = typeof v === 'number' ? v : byName.get(v)!
    if (n >= 0) w.uint32(n)
    else w.varint64(n >>> 0, 0xffffffff)
  }
  const get = (r: Reader, at: number): string | number => {
    const n = r.uint32() | 0
    const key = byNumber.get(n)
    if (key !== undefined) return key
    if (open) return n
    if (toField) return AS_UNKNOWN as unknown as string
    throw new ProtoError('unknown-enum', `${n} is not a member of ${name}`, at)
  }

  return defineHostType<string | number>({
    name,
    wireType: WireType.VARINT,
    packable: true,
    ...(byNumber.has(0) ? { zero: byNumber.get(0)! } : {}),
    check,
    guard: (v) =>
      typeof v === 'string' ? byName.has(v) : open && typeof v === 'number' && Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff,
    write(w, v) {
      const p = check(v)
      if (p !== undefined) throw new ProtoError(p.kind, p.detail)
      put(w, v)
    },
    read: (r) => get(r, r.pos),
    emit: emitter(check, put, get, byName, byNumber, toField),
    keepsUnknown: toField,
    equals,
    arbitrary,
    shape: () => ({ kind: 'enum', name, members: [...byName], open }),
  })
}
