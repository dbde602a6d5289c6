/**
 * The contestants for each message: protoplate, the hand-written codec,
 * protobufjs (static code from pbjs, and reflection), and protobuf-es (code
 * from protoc-gen-es). Each is an encode of a prepared value and a decode
 * of the canonical bytes; `check` proves they all agree on those bytes
 * before anything is timed.
 */
import { isDeepStrictEqual } from 'node:util'
import { create, fromBinary, toBinary } from '@bufbuild/protobuf'
import protobufjs from 'protobufjs'
import { decodeOrThrow, encodeOrThrow, Reader, type Template, Writer } from '../src/index.js'

import { loadProto } from '../schema/index.js'
import * as data from './data.js'
import * as hand from './hand.js'

/**
 * The interpreter alone, as protoplate runs without code generation
 * (encodeOrThrow's path: one reused buffer), of a build's Reader and
 * Writer: this one's, or a baseline's.
 */
function interpreter(lib: { Reader: typeof Reader; Writer: typeof Writer }) {
  const w = new lib.Writer(1024)
  return {
    encode(t: Template<unknown>, v: unknown): Uint8Array {
      w.reset()
      t.impl.write(w, v, { depth: 0, maxDepth: 100 })
      return w.finish()
    },
    decode(t: Template<unknown>, bytes: Uint8Array): unknown {
      const r = new lib.Reader(bytes)
      const ctx = { depth: 0, maxDepth: 100, unknown: undefined }
      const slots = t.impl.init()
      t.impl.readInto(r, slots, ctx, undefined, false)
      return t.impl.finish(slots, ctx, r.pos)
    },
  }
}
const interpreted = interpreter({ Reader, Writer })

export interface Contestant {
  readonly name: string
  /** The peers are what protoplate is compared with; the hand-written codec is the limit. */
  readonly role: 'protoplate' | 'schema' | 'typed' | 'baseline' | 'interpreter' | 'peer' | 'limit' | 'floor'
  encode(): Uint8Array
  decode(): unknown
  /** What decode gives, where it is not the bench's value (typed arrays; the floor's copy of the bytes). */
  readonly value?: unknown
  /** Decode the canonical bytes and encode the result again, with this library alone. */
  roundTrip(): Uint8Array
}

export interface Bench {
  readonly id: string
  readonly title: string
  readonly bytes: Uint8Array
  /** protoplate's value of the message. */
  readonly value: unknown
  readonly contestants: readonly Contestant[]
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any

const generated = new URL('./generated/', import.meta.url)
const protos = new URL('../../bench/protos/', import.meta.url)

async function loadPeers() {
  const pbjs = ((await import(new URL('pbjs_static.js', generated).href)) as Any).default
  const es = {
    a: await import(new URL('es/some_message_pb.js', generated).href),
    b: await import(new URL('es/addressbook_pb.js', generated).href),
    c: await import(new URL('es/vector_pb.js', generated).href),
    d: await import(new URL('es/xml_pb.js', generated).href),
  }
  const reflection = protobufjs.loadSync(['some_message.proto', 'addressbook.proto', 'vector.proto', 'xml.proto'].map((f) => new URL(f, protos).pathname))
  reflection.resolveAll()
  return { pbjs: pbjs as Any, es: es as Any, reflection }
}

/** Drop proto3 defaults, which a proto3 writer leaves out, so that every library writes the same fields. */
function withoutDefaults(o: Any): Any {
  if (Array.isArray(o)) return o.map(withoutDefaults)
  if (o === null || typeof o !== 'object') return o
  const out: Any = {}
  for (const [k, v] of Object.entries(o)) if (v !== '' && v !== 0 && v !== false) out[k] = withoutDefaults(v)
  return out
}

/**
 * Another build of protoplate to run beside this one, for a change's
 * before and after in one run: `--baseline DIR`, DIR being the `dist` of
 * that build (say, of a worktree at the commit before the change).
 */
interface Baseline {
  readonly lib: Any
  readonly data: Any
}

async function loadBaseline(dir: string | undefined): Promise<Baseline | undefined> {
  if (dir === undefined) return undefined
  const base = new URL(`file://${dir.endsWith('/') ? dir : `${dir}/`}`)
  return { lib: await import(new URL('src/index.js', base).href), data: await import(new URL('bench/data.js', base).href) }
}

/**
 * The baseline's contestants: its compiled form and its interpreter, as
 * this build has both. Without its interpreter beside it, a build's
 * compiled code ran up to 1.6 times as fast as the same code sharing its
 * templates with an interpreter contestant (measured with a build against
 * a copy of itself), so each build gets both.
 */
function baselineContestants(b: Baseline, id: string, value: unknown): Contestant[] {
  const templates: Record<string, string> = { A: 'someMessage', B: 'addressBook', C: 'vector', D: 'xml' }
  const values: Record<string, () => unknown> = {
    A: () => b.data.someMessageValue,
    B: () => b.data.addressBookValue(),
    C: () => b.data.vectorValue(),
    D: () => b.data.xmlValue(),
  }
  const template = b.data[templates[id]!]
  const v = values[id]!()
  if (!isDeepStrictEqual(v, value)) throw new Error(`${id}: the baseline's value of the message is another`)
  const { encodeOrThrow: enc, decodeOrThrow: dec } = b.lib
  const bytes = enc(template, v)
  const own = interpreter(b.lib)
  return [
    {
      name: 'protoplate, baseline',
      role: 'baseline',
      encode: () => enc(template, v),
      decode: () => dec(template, bytes),
      roundTrip: () => enc(template, dec(template, bytes)),
    },
    {
      name: 'protoplate, baseline interpreter',
      role: 'interpreter',
      encode: () => own.encode(template, v),
      decode: () => own.decode(template, bytes),
      roundTrip: () => own.encode(template, own.decode(template, bytes)),
    },
  ]
}

function addressBookFromProto(): Template<Any> {
  return loadProto('addressbook.proto', { includePaths: [new URL('.', protos).pathname] }).template('bench.b.AddressBook')
}

/**
 * Another template of the message, as one more protoplate contestant: the
 * address book from its .proto (a schema's template runs the compiled path
 * a hand-written one does), C with typed arrays. `value` is what it
 * decodes to; the bytes it writes are checked with everyone's.
 */
function templateContestant(name: string, role: Contestant['role'], template: Template<Any>, value: unknown, bytes: Uint8Array): Contestant {
  return {
    name,
    role,
    value,
    encode: () => encodeOrThrow(template, value),
    decode: () => decodeOrThrow(template, bytes),
    roundTrip: () => encodeOrThrow(template, decodeOrThrow(template, bytes)),
  }
}

/** A plain copy of the message's bytes: what no codec of them can beat, the floor of the ratios for vectors. */
function floor(bytes: Uint8Array): Contestant {
  return { name: 'memcpy (Uint8Array.slice)', role: 'floor', value: bytes, encode: () => bytes.slice(), decode: () => bytes.slice(), roundTrip: () => bytes.slice() }
}

export async function benches(baselineDir?: string): Promise<Bench[]> {
  const { pbjs, es, reflection } = await loadPeers()
  const baseline = await loadBaseline(baselineDir)

  const make = <A>(
    id: string,
    title: string,
    template: Template<A>,
    value: A,
    handCodec: { encode(v: A): Uint8Array; decode(b: Uint8Array): unknown },
    typeName: string,
    peerValue: Any,
    esSchema: Any,
    extra: (bytes: Uint8Array) => Contestant[] = () => [],
  ): Bench => {
    const anyTemplate = template as Template<Any>
    const bytes = encodeOrThrow(anyTemplate, value)
    const path = typeName.split('.')
    const Static: Any = path.reduce((o: Any, k) => o[k], pbjs)
    const Reflected = reflection.lookupType(typeName)
    const staticMsg = Static.fromObject(peerValue)
    const reflectedMsg = Reflected.fromObject(peerValue)
    const esMsg = create(esSchema, peerValue)
    return {
      id,
      title,
      bytes,
      value,
      contestants: [
        {
          name: 'protoplate',
          role: 'protoplate',
          // Called as a user would, with the value as an argument (no spread of an array per call).
          encode: () => encodeOrThrow(anyTemplate, value),
          decode: () => decodeOrThrow(template, bytes),
          roundTrip: () => encodeOrThrow(anyTemplate, decodeOrThrow(template, bytes)),
        },
        ...extra(bytes),
        ...(baseline === undefined ? [] : baselineContestants(baseline, id, value)),
        {
          // What runs where new Function is forbidden (a Content Security Policy without 'unsafe-eval').
          name: 'protoplate, interpreter',
          role: 'interpreter',
          encode: () => interpreted.encode(anyTemplate, value),
          decode: () => interpreted.decode(anyTemplate, bytes),
          roundTrip: () => interpreted.encode(anyTemplate, interpreted.decode(anyTemplate, bytes)),
        },
        {
          name: 'hand-written',
          role: 'limit',
          encode: () => handCodec.encode(value),
          decode: () => handCodec.decode(bytes),
          roundTrip: () => handCodec.encode(handCodec.decode(bytes) as A),
        },
        {
          name: 'protobufjs static',
          role: 'peer',
          encode: () => Static.encode(staticMsg).finish(),
          decode: () => Static.decode(bytes),
          roundTrip: () => Static.encode(Static.decode(bytes)).finish(),
        },
        {
          name: 'protobufjs reflection',
          role: 'peer',
          encode: () => Reflected.encode(reflectedMsg).finish(),
          decode: () => Reflected.decode(bytes),
          roundTrip: () => Reflected.encode(Reflected.decode(bytes)).finish(),
        },
        {
          name: 'protobuf-es',
          role: 'peer',
          encode: () => toBinary(esSchema, esMsg),
          decode: () => fromBinary(esSchema, bytes),
          roundTrip: () => toBinary(esSchema, fromBinary(esSchema, bytes)),
        },
      ],
    }
  }

  const book = data.addressBookValue()
  const vec = data.vectorValue()
  const xml = data.xmlValue()
  return [
    make('A', 'SomeMessage (SWI-Prolog manual)', data.someMessage, data.someMessageValue, { encode: hand.encodeA, decode: hand.decodeA }, 'bench.a.SomeMessage', data.someMessageValue, es.a.SomeMessageSchema),
    make('B', 'address book, 200 people (proto3)', data.addressBook, book, { encode: hand.encodeB, decode: hand.decodeB }, 'bench.b.AddressBook', withoutDefaults(data.addressBookForPeers(book)), es.b.AddressBookSchema, (bytes) => [templateContestant('protoplate, from .proto', 'schema', addressBookFromProto(), book, bytes)]),
    make('C', 'vector: 10,000 doubles and 10,000 sint64, packed', data.vector, vec, { encode: hand.encodeC, decode: hand.decodeC }, 'bench.c.Vector', vec, es.c.VectorSchema, (bytes) => [
      templateContestant('protoplate, typed arrays', 'typed', data.vectorTyped, data.vectorTypedValue(vec), bytes),
      floor(bytes),
    ]),
    make('D', 'XML-like, ~1,000 elements through user host types', data.xml, xml, { encode: hand.encodeD, decode: hand.decodeD }, 'bench.d.XMLFile', data.xmlForPeers(xml), es.d.XMLFileSchema),
  ]
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/**
 * Every contestant writes the canonical bytes, and reads them back to what
 * it writes again; protoplate and the hand-written codec read the value.
 * Throws, naming the contestant, at the first disagreement.
 */
export function check(b: Bench): void {
  const want = hex(b.bytes)
  for (const c of b.contestants) {
    const got = hex(c.encode())
    if (got !== want) throw new Error(`${b.id}: ${c.name} writes other bytes (${got.length / 2} vs ${want.length / 2})`)
    if (hex(c.roundTrip()) !== want) throw new Error(`${b.id}: ${c.name} does not read the bytes back to the same message`)
  }
  for (const c of b.contestants.filter((x) => x.role !== 'peer')) {
    if (!isDeepStrictEqual(c.decode(), c.value ?? b.value)) throw new Error(`${b.id}: ${c.name} decodes to another value`)
  }
}
