/**
 * The JSON cells of `npm run bench` (`--only json` for these alone): the
 * benchmark messages A, B and C, from their .proto files, to and from a
 * JSON value and JSON text, by protoplate/json (writing compiled, reading
 * interpreted), protobuf-es (`toJson`/`fromJson`,
 * `toJsonString`/`fromJsonString`) and protobufjs's static code
 * (`toObject`/`fromObject` with longs, enums and bytes as strings, and
 * `JSON.stringify`/`JSON.parse` around them); JSON text also against the
 * floor, `JSON.stringify`/`JSON.parse` of the same plain object. Rounds
 * interleave the contestants, after a warm-up; medians over rounds.
 */
import { fromBinary, fromJson as esFromJson, fromJsonString as esFromJsonString, toJson as esToJson, toJsonString as esToJsonString } from '@bufbuild/protobuf'
import { decodeOrThrow, encodeOrThrow, type Template } from '../src/index.js'
import { loadProto, type SchemaValue } from '../schema/index.js'
import { fromJson, fromJsonString, toJson, toJsonString } from '../formats/json.js'
import { deepEqual } from '../src/equal.js'
import * as data from './data.js'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any

const generated = new URL('./generated/', import.meta.url)
const protos = new URL('../../bench/protos/', import.meta.url).pathname

const OPS = ['to JSON value', 'from JSON value', 'to JSON text', 'from JSON text'] as const
const NAMES = ['protoplate', 'protobuf-es', 'protobufjs', 'floor'] as const
type Name = (typeof NAMES)[number]

interface Message {
  readonly id: string
  /** A JSON value has no floor: only text has (JSON.stringify, JSON.parse). */
  readonly ops: Record<(typeof OPS)[number], Partial<Record<Name, () => unknown>>>
}

const PBJS_OPTIONS = { longs: String, enums: String, bytes: String }

async function messages(): Promise<Message[]> {
  const pbjs = ((await import(new URL('pbjs_static.js', generated).href)) as Any).default
  const cases = [
    { id: 'A', file: 'some_message.proto', type: 'bench.a.SomeMessage', es: 'es/some_message_pb.js', schema: 'SomeMessageSchema', bytes: encodeOrThrow(data.someMessage, data.someMessageValue) },
    { id: 'B', file: 'addressbook.proto', type: 'bench.b.AddressBook', es: 'es/addressbook_pb.js', schema: 'AddressBookSchema', bytes: encodeOrThrow(data.addressBook, data.addressBookValue()) },
    { id: 'C', file: 'vector.proto', type: 'bench.c.Vector', es: 'es/vector_pb.js', schema: 'VectorSchema', bytes: encodeOrThrow(data.vector, data.vectorValue()) },
  ]
  const out: Message[] = []
  for (const c of cases) {
    const template = loadProto(c.file, { includePaths: [protos] }).template(c.type) as Template<SchemaValue>
    const value = decodeOrThrow(template, c.bytes)
    const esSchema = ((await import(new URL(c.es, generated).href)) as Any)[c.schema]
    const esMessage = fromBinary(esSchema, c.bytes)
    const Pbjs = c.type.split('.').reduce((o: Any, k) => o[k], pbjs)
    const pbjsMessage = Pbjs.decode(c.bytes)
    const json = toJson(template, value) as Any
    const text = JSON.stringify(json)
    // Everyone's JSON reads back, by protoplate, as the same message.
    for (const [who, theirs] of [['protobuf-es', esToJson(esSchema, esMessage)], ['protobufjs', Pbjs.toObject(pbjsMessage, PBJS_OPTIONS)]] as const) {
      if (!deepEqual(fromJson(template, theirs), value)) throw new Error(`${c.id}: ${who}'s JSON is another message`)
    }
    out.push({
      id: c.id,
      ops: {
        'to JSON value': { protoplate: () => toJson(template, value), 'protobuf-es': () => esToJson(esSchema, esMessage), protobufjs: () => Pbjs.toObject(pbjsMessage, PBJS_OPTIONS) },
        'from JSON value': { protoplate: () => fromJson(template, json), 'protobuf-es': () => esFromJson(esSchema, json), protobufjs: () => Pbjs.fromObject(json) },
        'to JSON text': { protoplate: () => toJsonString(template, value), 'protobuf-es': () => esToJsonString(esSchema, esMessage), protobufjs: () => JSON.stringify(Pbjs.toObject(pbjsMessage, PBJS_OPTIONS)), floor: () => JSON.stringify(json) },
        'from JSON text': { protoplate: () => fromJsonString(template, text), 'protobuf-es': () => esFromJsonString(esSchema, text), protobufjs: () => Pbjs.fromObject(JSON.parse(text)), floor: () => JSON.parse(text) },
      },
    })
  }
  return out
}

let sink = 0

function rate(f: () => unknown, sliceMs: number): number {
  const end = process.hrtime.bigint() + BigInt(sliceMs) * 1_000_000n
  let n = 0
  let now = process.hrtime.bigint()
  const start = now
  while (now < end) {
    for (let i = 0; i < 8; i++) sink += f() === undefined ? 0 : 1
    n += 8
    now = process.hrtime.bigint()
  }
  return (n * 1e9) / Number(now - start)
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (x: number): string => (Number.isNaN(x) ? '—' : x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0))

export interface JsonRow {
  readonly message: string
  readonly op: string
  readonly rates: Record<Name, number>
}

export async function jsonBench(rounds: number, sliceMs: number): Promise<JsonRow[]> {
  const all = await messages()
  console.log('JSON: protoplate/json (writing compiled, reading interpreted), protobuf-es, protobufjs static (toObject/fromObject), and for text the floor:')
  console.log('JSON.stringify/JSON.parse of the same plain object; ops/s, medians over rounds\n')
  const rows: JsonRow[] = []
  for (const m of all) {
    for (const op of OPS) {
      const names = NAMES.filter((n) => m.ops[op][n] !== undefined)
      const got: Record<Name, number[]> = { protoplate: [], 'protobuf-es': [], protobufjs: [], floor: [] }
      for (const name of names) rate(m.ops[op][name]!, sliceMs)
      for (let r = 0; r < rounds; r++) for (const name of r % 2 === 0 ? names : [...names].reverse()) got[name].push(rate(m.ops[op][name]!, sliceMs))
      rows.push({ message: m.id, op, rates: Object.fromEntries(NAMES.map((n) => [n, got[n].length === 0 ? Number.NaN : median(got[n])])) as Record<Name, number> })
    }
  }
  const head = ['message', 'op', ...NAMES, '× fastest peer', '× floor']
  const body = rows.map((r) => {
    const peer = Math.max(r.rates['protobuf-es'], r.rates.protobufjs)
    const floor = r.rates.floor
    return [r.message, r.op, ...NAMES.map((n) => fmt(r.rates[n])), (r.rates.protoplate / peer).toFixed(2), Number.isNaN(floor) ? '—' : (r.rates.protoplate / floor).toFixed(2)]
  })
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)))
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n'))
  if (sink === 0) throw new Error('nothing was done')
  return rows
}
