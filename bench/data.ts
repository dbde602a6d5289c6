/**
 * The benchmark's messages A–D: protoplate's templates and values, built
 * deterministically, and each value in the plain shape the peers' generated
 * code takes.
 */
import { defaulted, double, enumeration, integer, message, packed, repeatedEmbedded, signed32, string, type Template } from '../src/index.js'
import { SomeMessage } from '../examples/some-message.js'
import { type Attribute, type Content, type XmlElement, xmlFile } from '../examples/xml.js'

/** A small deterministic PRNG (mulberry32), so every run measures the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// ---------------------------------------------------------------------------
// A: SomeMessage of the SWI-Prolog manual

export const someMessage = SomeMessage
export type SomeMessageValue = typeof someMessageValue
export const someMessageValue = {
  first: 100,
  second: 'abcd',
  third: ['foo', 'bar'],
  fourth: true,
  fifth: { value: -666, text: 'negative 666' },
  sixth: [
    { value: 1234, text: 'onetwothreefour' },
    { value: 2222, text: 'four twos' },
  ],
  seventh: [1, 2, 3, 4],
  eighth: [5, 6, 7, 8],
}

// ---------------------------------------------------------------------------
// B: a proto3 address book of 200 people

const phoneType = enumeration('PhoneType', { MOBILE: 0, HOME: 1, WORK: 2 })
const phoneNumber = message({ number: defaulted(string(1)), type: defaulted(phoneType(2)) })
const person = message({
  name: defaulted(string(1)),
  id: defaulted(signed32(2)),
  email: defaulted(string(3)),
  phones: repeatedEmbedded(4, phoneNumber),
})
export const addressBook = message({ people: repeatedEmbedded(1, person) })

const given = ['Ada', 'José', 'Zoë', 'Björn', 'Łukasz', 'Chloé', 'Ian', 'Grace', 'Søren', 'Ngozi', '明', 'Αλέξης', 'Ирина', 'Mia']
const family = ['Lovelace', 'Müller', 'García', 'Nguyễn', 'O’Brien', 'Smith', '李', 'Papadopoulos', 'Иванова', 'Okafor', 'Hopper']

export function addressBookValue(n = 200) {
  const r = rng(1)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
  const people = []
  for (let i = 0; i < n; i++) {
    const name = `${pick(given)} ${pick(family)}`
    const phones = []
    for (let j = Math.floor(r() * 4); j > 0; j--) {
      phones.push({ number: `+1-555-${String(Math.floor(r() * 10000)).padStart(4, '0')}`, type: pick(['MOBILE', 'HOME', 'WORK'] as const) })
    }
    people.push({ name, id: i * 7919 + 1, email: i % 5 === 0 ? '' : `person${i}@example.com`, phones })
  }
  return { people }
}

// ---------------------------------------------------------------------------
// C: a numeric vector, 10,000 doubles and 10,000 sint64, packed

export const vector = message({ values: packed(1, double), counts: packed(2, integer) })

/** C with its packed fields as typed arrays: a run of doubles is one copy each way. */
export const vectorTyped = message({ values: packed(1, double, { typed: true }), counts: packed(2, integer, { typed: true }) })

export function vectorTypedValue(v: ReturnType<typeof vectorValue>) {
  return { values: Float64Array.from(v.values), counts: Float64Array.from(v.counts) }
}

export function vectorValue(n = 10_000) {
  const r = rng(2)
  const values: number[] = []
  const counts: number[] = []
  for (let i = 0; i < n; i++) {
    values.push((r() - 0.5) * 10 ** Math.floor(r() * 12 - 6))
    // Mostly small counts, some up to 2^52: varints of every length.
    counts.push(Math.round((r() - 0.5) * 2 ** Math.floor(r() * 53)) + 0) // + 0: no −0
  }
  return { values, counts }
}

// ---------------------------------------------------------------------------
// D: the XML-like structure, about 1,000 elements, through user host types

export const xml: Template<readonly [XmlElement[]]> = xmlFile

export function xmlValue(target = 1000): readonly [XmlElement[]] {
  const r = rng(3)
  const words = ['fum', 'bar', 'more stuff for you', 'this', 'is', 'embedded', 'also', 'to', 'you', 'ünïcödé', 'space']
  let made = 0
  const element = (depth: number): XmlElement => {
    made++
    const attributes: Attribute[] = []
    for (let i = Math.floor(r() * 4); i > 0; i--) {
      const k = r()
      attributes.push([words[Math.floor(r() * words.length)]!, k < 0.33 ? Math.floor((r() - 0.5) * 1e6) : k < 0.66 ? (r() - 0.5) * 1e3 + 0.5 : `v${Math.floor(r() * 100)}`])
    }
    const contents: Content[] = []
    const kids = depth > 12 ? 0 : 1 + Math.floor(r() * 4)
    for (let i = 0; i < kids; i++) {
      if (r() < 0.5 && made < target) contents.push(element(depth + 1))
      else contents.push(words[Math.floor(r() * words.length)]!)
    }
    return { name: `space${made}`, attributes, contents }
  }
  const roots: XmlElement[] = []
  while (made < target) roots.push(element(0))
  return [roots]
}

/** XML values in the shape of the peers' generated code (bench/protos/xml.proto). */
export function xmlForPeers([roots]: readonly [XmlElement[]]) {
  const el = (e: XmlElement): unknown => ({
    name: e.name,
    attributes: e.attributes.map(([key, v]) =>
      typeof v === 'string' ? { key, atomValue: v } : Number.isInteger(v) ? { key, intValue: v } : { key, floatValue: v },
    ),
    contents: e.contents.map((c) => (typeof c === 'string' ? { atom: c } : { element: el(c) })),
  })
  return { elements: roots.map(el) }
}

/** Address book values for the peers: enums as numbers. */
export function addressBookForPeers(v: ReturnType<typeof addressBookValue>) {
  const types = { MOBILE: 0, HOME: 1, WORK: 2 }
  return { people: v.people.map((p) => ({ ...p, phones: p.phones.map((ph) => ({ number: ph.number, type: types[ph.type] })) })) }
}
