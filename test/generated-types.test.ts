/**
 * The value types of generated modules. A message's type is inferred from
 * its template (`export type Station = P.TypeOf<typeof Station>`), and
 * written out only for messages in a cycle; these checks hold both to the
 * shapes docs/schemas.md gives. They run in the compiler (`npm test` builds
 * first, so a wrong type fails the suite before ava starts); each variant
 * also reads protoc's bytes to a value of its type, through both forms.
 *
 * test/pb/ holds what the plugin writes of test/protos/shapes2.proto and
 * shapes3.proto (which imports it): `map/` with the default options,
 * `record/` with `maps=record,typed_arrays`. A test below regenerates them
 * and compares; after a deliberate change, copy its output over them (the
 * command is in the test).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'ava'
import type { TypeOf } from '../src/index.js'
import { roundTrip } from './helpers.js'
import * as M2 from './pb/map/shapes2_pb.js'
import * as M3 from './pb/map/shapes3_pb.js'
import * as R2 from './pb/record/shapes2_pb.js'
import * as R3 from './pb/record/shapes3_pb.js'

/** True when X and Y are the same type (not merely assignable either way). */
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false
function expectType<T extends true>(_: T): void {}

type Level = 'LOW' | 'HIGH'
type Mood = 'MOOD_UNSPECIFIED' | 'HAPPY' | number
type Place = { lat?: number | undefined; lon?: number | undefined; $unknown?: Uint8Array | undefined }

/** shapes2.Reading with the default options: 64-bit integers as bigint (but `[jstype = JS_NUMBER]`), packed fields as arrays. */
type MapReading = {
  name: string
  at?: bigint | undefined
  small?: number | undefined
  stamps: bigint[]
  near: number[]
  samples: number[]
  flags: boolean[]
  loose: number[]
  notes: string[]
  place?: Place | undefined
  level?: Level | undefined
  raw?: Uint8Array | undefined
  levels: Level[]
  $unknown?: Uint8Array | undefined
}

/** shapes2.Reading with `typed_arrays`: packed numbers as typed arrays; bool, enums and unpacked fields as arrays. */
type RecordReading = {
  name: string
  at?: bigint | undefined
  small?: number | undefined
  stamps: BigUint64Array
  near: Float64Array
  samples: Float32Array
  flags: boolean[]
  loose: number[]
  notes: string[]
  place?: Place | undefined
  level?: Level | undefined
  raw?: Uint8Array | undefined
  levels: Level[]
  $unknown?: Uint8Array | undefined
}

type Inner = { x: number; $unknown?: Uint8Array | undefined }

/** shapes3.Station with the default options: maps as Maps. */
type MapStation = {
  id: string
  floor?: number | undefined
  mood: Mood
  last?: MapReading | undefined
  history: MapReading[]
  by_name: Map<string, MapReading>
  labels: Map<number, string>
  totals: Map<string, bigint>
  contact?:
    | { case: 'email'; value: string }
    | { case: 'phone'; value: bigint }
    | { case: 'fallback'; value: Mood }
    | { case: 'probe'; value: MapReading }
    | undefined
  deltas: bigint[]
  weights: number[]
  inner?: Inner | undefined
  blob: Uint8Array
  moods: Mood[]
  $unknown?: Uint8Array | undefined
}

/** shapes3.Station with `maps=record,typed_arrays`: maps of string keys as records (others stay Maps). */
type RecordStation = {
  id: string
  floor?: number | undefined
  mood: Mood
  last?: RecordReading | undefined
  history: RecordReading[]
  by_name: Record<string, RecordReading>
  labels: Map<number, string>
  totals: Record<string, bigint>
  contact?:
    | { case: 'email'; value: string }
    | { case: 'phone'; value: bigint }
    | { case: 'fallback'; value: Mood }
    | { case: 'probe'; value: RecordReading }
    | undefined
  deltas: BigInt64Array
  weights: Float64Array
  inner?: Inner | undefined
  blob: Uint8Array
  moods: Mood[]
  $unknown?: Uint8Array | undefined
}

/** The cycle, by the options. */
interface MapTree {
  label: string
  forest?: MapForest | undefined
  station?: MapStation | undefined
  $unknown?: Uint8Array | undefined
}
interface MapForest {
  trees: MapTree[]
  named: Map<string, MapTree>
  $unknown?: Uint8Array | undefined
}
interface RecordTree {
  label: string
  forest?: RecordForest | undefined
  station?: RecordStation | undefined
  $unknown?: Uint8Array | undefined
}
interface RecordForest {
  trees: RecordTree[]
  named: Record<string, RecordTree>
  $unknown?: Uint8Array | undefined
}

test('enums: a closed one is the union of its names, an open one adds number', (t) => {
  expectType<Equal<M2.Level, Level>>(true)
  expectType<Equal<TypeOf<typeof M2.Level>, Level>>(true)
  expectType<Equal<M3.Mood, Mood>>(true)
  expectType<Equal<R3.Mood, Mood>>(true)
  t.is(M2.Level.typeName, 'shapes2.Level')
})

test('messages with the default options: optional fields, groups, 64-bit as bigint, packed as arrays, maps as Maps, oneofs as discriminated unions, $unknown', (t) => {
  expectType<Equal<M2.Reading_Place, Place>>(true)
  expectType<Equal<M2.Reading, MapReading>>(true)
  expectType<Equal<TypeOf<typeof M2.Reading>, MapReading>>(true)
  expectType<Equal<M3.Station_Inner, Inner>>(true)
  expectType<Equal<M3.Station, MapStation>>(true)
  expectType<Equal<M3.Tree, MapTree>>(true)
  expectType<Equal<M3.Forest, MapForest>>(true)
  // @ts-expect-error: a shape that differs in one key is not Equal (so these checks can fail)
  expectType<Equal<M3.Station, Omit<MapStation, 'blob'> & { blob?: Uint8Array }>>(true)
  t.pass()
})

test('messages with maps=record,typed_arrays: maps of string keys as records, packed numbers as typed arrays', (t) => {
  expectType<Equal<R2.Reading, RecordReading>>(true)
  expectType<Equal<R3.Station, RecordStation>>(true)
  expectType<Equal<R3.Tree, RecordTree>>(true)
  expectType<Equal<R3.Forest, RecordForest>>(true)
  // @ts-expect-error: the options change the type
  expectType<Equal<R3.Station, MapStation>>(true)
  t.pass()
})

const root = new URL('../../', import.meta.url).pathname
const VARIANTS = { map: '', record: ',maps=record,typed_arrays' } as const

test('test/pb/ is what the plugin writes of test/protos/shapes2.proto and shapes3.proto', (t) => {
  for (const [dir, options] of Object.entries(VARIANTS)) {
    const out = mkdtempSync(join(tmpdir(), 'protoplate-pb-'))
    try {
      const args = [`--plugin=protoc-gen-protoplate=${root}scripts/protoc-gen-protoplate`, `--protoplate_out=${out}`, `--protoplate_opt=from=../../../src/index.js${options}`]
      const r = spawnSync('protoc', [...args, `-I${root}test/protos`, 'shapes2.proto', 'shapes3.proto'])
      t.is(r.status, 0, r.stderr.toString())
      t.deepEqual(readdirSync(out).sort(), ['shapes2_pb.ts', 'shapes3_pb.ts'])
      for (const f of readdirSync(out)) {
        t.is(readFileSync(`${root}test/pb/${dir}/${f}`, 'utf8'), readFileSync(join(out, f), 'utf8'), `test/pb/${dir}/${f}: regenerate it with protoc ${args.slice(2).join(' ')}`)
      }
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }
})

/** protoc's bytes of a shapes3 message written in text format. */
function protocEncode(type: string, text: string): Uint8Array {
  const r = spawnSync('protoc', [`-I${root}test/protos`, `--encode=shapes3.${type}`, 'shapes3.proto'], { input: text })
  if (r.status !== 0) throw new Error(r.stderr.toString())
  return new Uint8Array(r.stdout)
}

const READING = 'name: "r" at: -5 small: 7 stamps: [1, 18446744073709551615] near: [-2] samples: [0.5] flags: [true, false] loose: [3] notes: "n" Place { lat: 1.5 } level: LOW raw: "\\001" levels: [HIGH, LOW]'
const STATION = `id: "s" floor: 0 mood: HAPPY last { ${READING} } history { name: "h" } by_name { key: "k" value { name: "v" } } labels { key: -1 value: "minus" } totals { key: "t" value: 9 } phone: 12 deltas: [-1, 2] weights: [0.25] inner { x: 4 } blob: "b" moods: [HAPPY, 5]`

test('each variant reads protoc\'s bytes to a value of its inferred type, and writes them back', (t) => {
  const bytes = protocEncode('Station', STATION)
  const lists = { flags: [], loose: [], notes: [], levels: [] }
  const reading = { name: 'r', at: -5n, small: 7, flags: [true, false], loose: [3], notes: ['n'], place: { lat: 1.5 }, level: 'LOW', raw: Uint8Array.of(1), levels: ['HIGH', 'LOW'] } as const
  const station = { id: 's', floor: 0, mood: 'HAPPY', labels: new Map([[-1, 'minus']]), inner: { x: 4 }, blob: new TextEncoder().encode('b'), moods: ['HAPPY', 5] } as const
  const asMaps: M3.Station = {
    ...station,
    last: { ...reading, flags: [...reading.flags], levels: [...reading.levels], stamps: [1n, 2n ** 64n - 1n], near: [-2], samples: [0.5], notes: ['n'], loose: [3] },
    history: [{ name: 'h', ...lists, stamps: [], near: [], samples: [] }],
    by_name: new Map([['k', { name: 'v', ...lists, stamps: [], near: [], samples: [] }]]),
    totals: new Map([['t', 9n]]),
    contact: { case: 'phone', value: 12n },
    deltas: [-1n, 2n],
    weights: [0.25],
    moods: [...station.moods],
  }
  roundTrip(t, M3.Station, asMaps, bytes)
  const typed = { stamps: BigUint64Array.of(), near: Float64Array.of(), samples: Float32Array.of() }
  const asRecords: R3.Station = {
    ...station,
    last: { ...reading, flags: [...reading.flags], levels: [...reading.levels], stamps: BigUint64Array.of(1n, 2n ** 64n - 1n), near: Float64Array.of(-2), samples: Float32Array.of(0.5), notes: ['n'], loose: [3] },
    history: [{ name: 'h', ...lists, ...typed }],
    by_name: { k: { name: 'v', ...lists, ...typed } },
    totals: { t: 9n },
    contact: { case: 'phone', value: 12n },
    deltas: BigInt64Array.of(-1n, 2n),
    weights: Float64Array.of(0.25),
    moods: [...station.moods],
  }
  roundTrip(t, R3.Station, asRecords, bytes)
  const tree: M3.Tree = { label: 'a', forest: { trees: [{ label: 'b' }], named: new Map([['c', { label: 'c', station: asMaps }]]) } }
  roundTrip(t, M3.Tree, tree, protocEncode('Tree', `label: "a" forest { trees { label: "b" } named { key: "c" value { label: "c" station { ${STATION} } } } }`))
})
