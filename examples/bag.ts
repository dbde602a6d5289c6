/**
 * The manual's heterogeneous bag: values of several kinds (complex numbers
 * and rationals as groups, integers) written one message after another,
 * and read back one at a time with `decodePrefix` (`protobuf_message/3`).
 */
import { isDeepStrictEqual } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import {
  decodePrefix,
  double,
  embedded,
  encodeOrThrow,
  group,
  integer,
  message,
  oneof,
  protobuf,
  string,
  type TypeOf,
} from '../src/index.js'
import { check, type Demo, hex, sameBytes, show, vectorFor } from './lib.js'

/** One item of the bag: a message whose field 1 holds one of the kinds. */
export const bagItem = protobuf([
  embedded(
    1,
    protobuf([
      oneof({
        complex: group(12, message({ re: double(1), im: double(2) })),
        float: double(13),
        string: string(14),
        rational: group(15, message({ num: integer(1), den: integer(2) })),
        integer: integer(16),
      }),
    ]),
  ),
])

export type BagItem = TypeOf<typeof bagItem>[0][0]

/** Write each item after the other. */
export function writeBag(items: readonly BagItem[]): Uint8Array {
  const parts = items.map((item) => encodeOrThrow(bagItem, [[item]]))
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Read items until the bytes run out, one `decodePrefix` each. */
export function readBag(bytes: Uint8Array): BagItem[] {
  const items: BagItem[] = []
  let rest = bytes
  while (rest.length > 0) {
    const r = decodePrefix(bagItem, rest)
    if (E.isLeft(r)) throw r.left
    items.push(r.right.value[0][0])
    rest = r.right.rest
  }
  return items
}

/** `[complex(2,3), complex(4,5), complex(6,7), 355 rdiv -113, integer(11)]` */
export const bag: BagItem[] = [
  { case: 'complex', value: { re: 2, im: 3 } },
  { case: 'complex', value: { re: 4, im: 5 } },
  { case: 'complex', value: { re: 6, im: 7 } },
  { case: 'rational', value: { num: 355, den: -113 } },
  { case: 'integer', value: 11 },
]

export const demo: Demo = {
  title: 'Heterogeneous bag: groups, written and read with decodePrefix',
  run(log) {
    const bytes = writeBag(bag)
    log(`bag of ${bag.length} written (${bytes.length} bytes)`)
    log(`  wire    ${hex(bytes)}`)
    check(sameBytes(bytes, vectorFor('[complex(2,3),complex(4,5),complex(6,7),355 rdiv -113,integer(11)]').wire), "bytes equal SWI-Prolog's")
    log("  = SWI-Prolog's bytes")
    const back = readBag(bytes)
    for (const item of back) log(`  read    ${show(item)}`)
    check(isDeepStrictEqual(back, bag), 'the bag reads back whole')
    const more: BagItem[] = [{ case: 'float', value: 2.5 }, { case: 'string', value: 'π' }, ...bag]
    check(isDeepStrictEqual(readBag(writeBag(more)), more), 'a bag with floats and strings reads back whole')
    log('  a bag with floats and strings too reads back whole')
  },
}
