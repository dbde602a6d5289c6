/**
 * What every example does: encode, show the bytes, decode, show the value,
 * check the round trip, and check the bytes against SWI-Prolog's own where
 * the golden vectors have them.
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import { inspect, isDeepStrictEqual } from 'node:util'
import { decodeOrThrow, encodeOrThrow, type EncodeArgs, type Template } from '../src/index.js'

export type Log = (line: string) => void

export interface Demo {
  readonly title: string
  /** Runs the example, printing through `log`; throws if a check fails. */
  run(log: Log): void
}

export interface Vector {
  readonly name: string
  readonly template: string
  readonly wire: number[]
}

/** The golden vectors made by SWI-Prolog 9 (a copy of shared/vectors, kept in the repository). */
export const vectors: readonly Vector[] = readFileSync(
  new URL('../../test/golden/swi-prolog-doc-examples.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Vector)

export function vectorFor(prologTemplate: string): Vector {
  const v = vectors.find((x) => x.template === prologTemplate)
  if (v === undefined) throw new Error(`no golden vector for ${prologTemplate}`)
  return v
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')
}

/** A value on one line if it fits, else indented under the line that introduces it. */
export function show(v: unknown): string {
  return inspect(v, { depth: null, breakLength: 100, compact: 4 }).replaceAll('\n', '\n    ')
}

export function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`check failed: ${what}`)
}

export function sameBytes(a: Uint8Array, b: ArrayLike<number>): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/**
 * Encode `value`, print the bytes, decode them back, print the value and
 * check that it is the same; with `prolog`, check the bytes against the
 * golden vector of that Prolog template.
 */
export function roundTrip<A>(log: Log, label: string, template: Template<A>, value: NoInfer<A>, prolog?: string): Uint8Array {
  const bytes = encodeOrThrow(template, ...([value] as EncodeArgs<A>))
  log(`${label}`)
  log(`  wire    ${hex(bytes)}`)
  const back = decodeOrThrow(template, bytes)
  log(`  decoded ${show(back)}`)
  check(isDeepStrictEqual(back, value), `${label}: decode(encode(v)) = v`)
  if (prolog !== undefined) {
    check(sameBytes(bytes, vectorFor(prolog).wire), `${label}: bytes equal SWI-Prolog's for ${prolog}`)
    log(`  = SWI-Prolog's bytes for ${prolog}`)
  }
  return bytes
}
