/**
 * The manual's XML-like structure: user host types (`kv_pair`,
 * `xml_element`, `aux_xml_element`), recursion, and alternatives chosen by
 * the value, as the manual writes them with a `message_sequence` hook
 * (which library(protobufs) no longer has: in SWI-Prolog 9.0.4 the
 * manual's code makes `protobuf_message/2` fail, and the golden bytes come
 * from its template written out in full).
 */
import { isDeepStrictEqual } from 'node:util'
import {
  atom,
  decodeOrThrow,
  double,
  encodeOrThrow,
  hostType,
  type HostType,
  integer,
  lazy,
  oneof,
  protobuf,
  repeated,
} from '../src/index.js'
import { check, type Demo, hex, show, vectorFor } from './lib.js'

/** `Key = Value`: a value is an integer, a float or an atom. */
export type Attribute = [key: string, value: number | string]

/** `element(Name, Attributes, Contents)`. */
export interface XmlElement {
  readonly name: string
  readonly attributes: Attribute[]
  readonly contents: Content[]
}

/** An element's content: an element or an atom. */
export type Content = XmlElement | string

const isAttribute = (u: unknown): u is Attribute =>
  Array.isArray(u) && u.length === 2 && typeof u[0] === 'string' && (typeof u[1] === 'number' || typeof u[1] === 'string')

const isElement = (u: unknown): u is XmlElement => typeof u === 'object' && u !== null && 'name' in u && 'contents' in u

/** `kv_pair`: the key, then the first of integer(31), double(32), atom(33) that takes the value. */
export const kvPair: HostType<Attribute> = hostType(
  'kv_pair',
  protobuf([atom(30), oneof([integer(31), double(32), atom(33)])]),
  { decode: ([k, v]) => [k, v], encode: ([k, v]) => [k, v] as const, is: isAttribute },
)

/** `xml_element`: defined through `lazy`, since its contents hold elements. */
export const xmlElement: HostType<XmlElement> = lazy(
  () =>
    hostType('xml_element', protobuf([atom(21), repeated(22, kvPair), repeated(23, auxXmlElement)]), {
      decode: ([name, attributes, contents]) => ({ name, attributes, contents }),
      encode: (e) => [e.name, e.attributes, e.contents] as const,
      is: isElement,
    }),
  'xml_element',
)

/** `aux_xml_element`: an element (tag 40) or an atom (tag 43), by the value. */
export const auxXmlElement: HostType<Content> = hostType('aux_xml_element', protobuf([oneof([xmlElement(40), atom(43)])]), {
  decode: ([c]) => c,
  encode: (c) => [c] as const,
})

/** `test_xml/2`'s template: a list of elements under tag 20. */
export const xmlFile = protobuf([repeated(20, xmlElement)])

const el = (name: string, attributes: Attribute[], contents: Content[]): XmlElement => ({ name, attributes, contents })

/** `xml_proto/1` of the manual. */
export const xmlProto: XmlElement[] = [
  el(
    'space1',
    [
      ['foo', '1'],
      ['bar', '2'],
    ],
    [
      'fum',
      'bar',
      el(
        'space2',
        [
          ['fum', 3.1415],
          ['bum', -14],
        ],
        ['more stuff for you'],
      ),
      el('space2b', [], ['this', 'is', 'embedded', 'also']),
      'to',
      'you',
    ],
  ),
]

export const demo: Demo = {
  title: 'XML-like structure: user host types, recursion, alternatives by value',
  run(log) {
    const bytes = encodeOrThrow(xmlFile, [xmlProto])
    log(`xml_proto encoded (${bytes.length} bytes)`)
    log(`  wire    ${hex(bytes)}`)
    const golden = vectorFor('expanded_xml_template').wire
    check(bytes.length === golden.length && bytes.every((b, i) => b === golden[i]), "bytes equal SWI-Prolog's")
    log("  = SWI-Prolog's bytes for the expanded XML template")
    const [back] = decodeOrThrow(xmlFile, bytes)
    log(`  decoded ${show(back)}`)
    check(isDeepStrictEqual(back, xmlProto), 'test_xml(X, Y), test_xml(Z, Y), Z == X')
  },
}
