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
 * `record/` with `maps=record,int64=number`, `typed/` with `typed_arrays`.
 * A test below regenerates them and compares; after a deliberate change,
 * write them anew with the command its failure gives.
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
import * as T2 from './pb/typed/shapes2_pb.js'
import * as T3 from './pb/typed/shapes3_pb.js'

/** True when X and Y are the same type (not merely assignable either way). */
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false
function expectType<T extends true>(_: T): void {}

type Level = 'LOW' | 'HIGH'
type Mood = 'MOOD_UNSPECIFIED' | 'HAPPY' | number
type Place = { lat?: number | undefined; lon?: number | undefined; $unknown?: Uint8Array | undefined }
type Inner = { x: number; $unknown?: Uint8Array | undefined }
/** A map of string keys, as the `maps` option says. */
type StringMap<M extends 'map' | 'record', V> = M extends 'map' ? Map<string, V> : Record<string, V>

/**
 * shapes2.Reading: `I` a 64-bit integer (`small` and `near` are
 * `[jstype = JS_NUMBER]`, numbers whatever the options), and the packed
 * fixed64, int64 and float fields (arrays, or typed arrays); bools, enums
 * and unpacked fields are arrays always.
 */
type Reading<I, Stamps, Near, Samples> = {
  name: string
  at?: I | undefined
  small?: number | undefined
  stamps: Stamps
  near: Near
  samples: Samples
  flags: boolean[]
  loose: number[]
  notes: string[]
  place?: Place | undefined
  level?: Level | undefined
  raw?: Uint8Array | undefined
  levels: Level[]
  $unknown?: Uint8Array | undefined
}

/** shapes3.Station: `R` is its Reading, and `Deltas` and `Weights` its packed int64 and double fields. */
type Station<M extends 'map' | 'record', I, R, Deltas, Weights> = {
  id: string
  floor?: number | undefined
  mood: Mood
  last?: R | undefined
  history: R[]
  by_name: StringMap<M, R>
  labels: Map<number, string>
  totals: StringMap<M, I>
  contact?: { case: 'email'; value: string } | { case: 'phone'; value: I } | { case: 'fallback'; value: Mood } | { case: 'probe'; value: R } | undefined
  deltas: Deltas
  weights: Weights
  inner?: Inner | undefined
  blob: Uint8Array
  moods: Mood[]
  $unknown?: Uint8Array | undefined
}

/** The cycle, whose types are written out. */
interface Tree<M extends 'map' | 'record', S> {
  label: string
  forest?: Forest<M, S> | undefined
  station?: S | undefined
  $unknown?: Uint8Array | undefined
}
interface Forest<M extends 'map' | 'record', S> {
  trees: Tree<M, S>[]
  named: StringMap<M, Tree<M, S>>
  $unknown?: Uint8Array | undefined
}

type MapReading = Reading<bigint, bigint[], number[], number[]>
type MapStation = Station<'map', bigint, MapReading, bigint[], number[]>
type RecordReading = Reading<number, number[], number[], number[]>
type RecordStation = Station<'record', number, RecordReading, number[], number[]>
type TypedReading = Reading<bigint, BigUint64Array, Float64Array, Float32Array>
type TypedStation = Station<'map', bigint, TypedReading, BigInt64Array, Float64Array>

test('enums: a closed one is the union of its names, an open one adds number', (t) => {
  expectType<Equal<M2.Level, Level>>(true)
  expectType<Equal<TypeOf<typeof M2.Level>, Level>>(true)
  expectType<Equal<M3.Mood, Mood>>(true)
  expectType<Equal<R3.Mood, Mood>>(true)
  t.is(M2.Level.typeName, 'shapes2.Level')
})

test('the default options: optional fields, groups, 64-bit integers as bigint, packed fields as arrays, maps as Maps, oneofs as discriminated unions, $unknown', (t) => {
  expectType<Equal<M2.Reading_Place, Place>>(true)
  expectType<Equal<M2.Reading, MapReading>>(true)
  expectType<Equal<TypeOf<typeof M2.Reading>, MapReading>>(true)
  expectType<Equal<M3.Station_Inner, Inner>>(true)
  expectType<Equal<M3.Station, MapStation>>(true)
  expectType<Equal<M3.Tree, Tree<'map', MapStation>>>(true)
  expectType<Equal<M3.Forest, Forest<'map', MapStation>>>(true)
  // @ts-expect-error: a shape that differs in one key is not Equal (so these checks can fail)
  expectType<Equal<M3.Station, Omit<MapStation, 'blob'> & { blob?: Uint8Array }>>(true)
  t.pass()
})

test('maps=record,int64=number: maps of string keys as records (others stay Maps), 64-bit integers as number', (t) => {
  expectType<Equal<R2.Reading, RecordReading>>(true)
  expectType<Equal<R3.Station, RecordStation>>(true)
  expectType<Equal<R3.Tree, Tree<'record', RecordStation>>>(true)
  expectType<Equal<R3.Forest, Forest<'record', RecordStation>>>(true)
  // @ts-expect-error: the options change the type
  expectType<Equal<R3.Station, MapStation>>(true)
  t.pass()
})

test('typed_arrays: packed numeric fields as typed arrays, of bigints for 64-bit integers', (t) => {
  expectType<Equal<T2.Reading, TypedReading>>(true)
  expectType<Equal<T3.Station, TypedStation>>(true)
  expectType<Equal<T3.Tree, Tree<'map', TypedStation>>>(true)
  expectType<Equal<T3.Forest, Forest<'map', TypedStation>>>(true)
  t.pass()
})

const root = new URL('../../', import.meta.url).pathname
const VARIANTS = { map: '', record: ',maps=record,int64=number', typed: ',typed_arrays' } as const

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
  const none = { flags: [], loose: [], notes: [], levels: [] }
  const reading = { name: 'r', small: 7, flags: [true, false], loose: [3], notes: ['n'], place: { lat: 1.5 }, level: 'LOW', raw: Uint8Array.of(1), levels: ['HIGH', 'LOW'] } as const
  const last = { ...reading, flags: [...reading.flags], loose: [...reading.loose], notes: [...reading.notes], levels: [...reading.levels] }
  const station = { id: 's', floor: 0, mood: 'HAPPY', labels: new Map([[-1, 'minus']]), inner: { x: 4 }, blob: new TextEncoder().encode('b') } as const
  const asMaps: M3.Station = {
    ...station,
    last: { ...last, at: -5n, stamps: [1n, 2n ** 64n - 1n], near: [-2], samples: [0.5] },
    history: [{ name: 'h', ...none, stamps: [], near: [], samples: [] }],
    by_name: new Map([['k', { name: 'v', ...none, stamps: [], near: [], samples: [] }]]),
    totals: new Map([['t', 9n]]),
    contact: { case: 'phone', value: 12n },
    deltas: [-1n, 2n],
    weights: [0.25],
    moods: ['HAPPY', 5],
  }
  roundTrip(t, M3.Station, asMaps, bytes)
  const asRecords: R3.Station = {
    ...station,
    last: { ...last, at: -5, stamps: [1, 2 ** 53 - 1], near: [-2], samples: [0.5] },
    history: [{ name: 'h', ...none, stamps: [], near: [], samples: [] }],
    by_name: { k: { name: 'v', ...none, stamps: [], near: [], samples: [] } },
    totals: { t: 9 },
    contact: { case: 'phone', value: 12 },
    deltas: [-1, 2],
    weights: [0.25],
    moods: ['HAPPY', 5],
  }
  roundTrip(t, R3.Station, asRecords, protocEncode('Station', STATION.replace('18446744073709551615', `${2 ** 53 - 1}`)))
  const typed = { stamps: BigUint64Array.of(), near: Float64Array.of(), samples: Float32Array.of() }
  const asTyped: T3.Station = {
    ...asMaps,
    last: { ...last, at: -5n, stamps: BigUint64Array.of(1n, 2n ** 64n - 1n), near: Float64Array.of(-2), samples: Float32Array.of(0.5) },
    history: [{ name: 'h', ...none, ...typed }],
    by_name: new Map([['k', { name: 'v', ...none, ...typed }]]),
    contact: { case: 'phone', value: 12n },
    deltas: BigInt64Array.of(-1n, 2n),
    weights: Float64Array.of(0.25),
  }
  roundTrip(t, T3.Station, asTyped, bytes)
  const tree: M3.Tree = { label: 'a', forest: { trees: [{ label: 'b' }], named: new Map([['c', { label: 'c', station: asMaps }]]) } }
  roundTrip(t, M3.Tree, tree, protocEncode('Tree', `label: "a" forest { trees { label: "b" } named { key: "c" value { label: "c" station { ${STATION} } } } }`))
})
