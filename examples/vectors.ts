/**
 * Vectors of numbers (and strings, and bytes): the manual's `vector/2`,
 * one repeated field whose tag says the element type, for all nine types.
 */
import {
  atom,
  codes,
  double,
  embedded,
  enumeration,
  float,
  type HostType,
  integer,
  integer32,
  integer64,
  protobuf,
  string,
  type Template,
  unsigned,
  repeated,
  decodeOrThrow,
  encodeOrThrow,
  packed,
  type Vector,
  type Vectorable,
} from '../src/index.js'
import { isDeepStrictEqual } from 'node:util'
import { check, type Demo, roundTrip, sameBytes, show } from './lib.js'

/** The manual's `vector_type/2`: the tag of each element type. */
export const vectorTypes = [
  [double, 2],
  [float, 3],
  [integer, 4],
  [integer64, 5],
  [integer32, 6],
  [unsigned, 7],
  [codes, 8],
  [atom, 9],
  [string, 10],
] as const

/** `vector(Type, Wire)`: a message of one repeated field. */
export function vector<A>(type: HostType<A>): Template<readonly [A[]]> {
  const entry = vectorTypes.find(([t]) => (t as HostType<unknown>) === (type as HostType<unknown>))
  if (entry === undefined) throw new Error(`${type.typeName} is not a vector type`)
  return protobuf([repeated(entry[1], type)])
}

/** The manual's `commands/2`, numbered from 1. */
export const commands = enumeration('commands', { square: 1, decimate: 2, transform: 3, inverse_transform: 4 })

/** `send_command(Command, Vector)`: a command and an embedded vector. */
export function sendCommand<A>(type: HostType<A>) {
  return protobuf([commands(1), embedded(2, vector(type))])
}

export const vectorsDemo: Demo = {
  title: 'Vectors of all nine types',
  run(log) {
    roundTrip(log, 'double', vector(double), [[-2.2212, -7.6675, Math.PI, 0, 1.77e-9, 2.54e222]], 'double([-2.2212,-7.6675,3.141592653589793,0,1.77e-9,2.54e+222])')
    roundTrip(log, 'float', vector(float), [[1.5, -2.25, 0]], 'float([1.5,-2.25,0.0])')
    roundTrip(log, 'integer', vector(integer), [[0, -1, 1, -2, 2, 1000000, -1000000]], 'integer([0,-1,1,-2,2,1000000,-1000000])')
    roundTrip(log, 'integer64', vector(integer64), [[0, -1, 9007199254740991]], 'integer64([0,-1,9007199254740991])')
    roundTrip(log, 'integer32', vector(integer32), [[0, -1, 2147483647, -2147483648]], 'integer32([0,-1,2147483647,-2147483648])')
    roundTrip(log, 'unsigned', vector(unsigned), [[0, 1, 127, 128, 300, 4294967295]], 'unsigned([0,1,127,128,300,4294967295])')
    roundTrip(log, 'codes', vector(codes), [[new Uint8Array([]), new Uint8Array([0, 255, 128])]], 'codes([[],[0,255,128]])')
    roundTrip(log, 'atom', vector(atom), [['a', 'héllo', '日本']], 'atom([a,héllo,日本])')
    roundTrip(log, 'string', vector(string), [['', 'x']], 'string(["","x"])')
    // A vector's type is its tag: reading with another type's template finds nothing.
    const bytes = roundTrip(log, 'float vector read as a double vector', vector(float), [[1.5]])
    const asDouble = decodeOrThrow(vector(double), bytes)
    log(`  as double(2): ${JSON.stringify(asDouble)}`)
    check(asDouble[0].length === 0, 'no double field in a float vector')
  },
}

export const sendCommandDemo: Demo = {
  title: 'send_command: an enumeration and an embedded vector',
  run(log) {
    roundTrip(log, 'send_command(square, double([1,22,3,4]))', sendCommand(double), ['square', [[1, 22, 3, 4]]], 'send_command(square,double([1,22,3,4]))')
    roundTrip(log, 'enum constant commands(inverse_transform)', protobuf([commands(1, 'inverse_transform')]), [], 'protobuf([enum(1,commands(inverse_transform))])')
    roundTrip(log, 'send_command(transform, integer([...]))', sendCommand(integer), ['transform', [[-3, 0, 3]]])
  },
}

/**
 * The same vectors as typed arrays: `packed(tag, type, { typed: true })`
 * is a `Float64Array` for doubles (one copy of the bytes each way), an
 * `Int32Array` for integer32, a `Float64Array` of exact integers for the
 * 64-bit types as numbers. It reads the manual's unpacked vectors as they
 * are, and writes the packed form, as SWI-Prolog's `packed(Tag, …)` does.
 */
export const typedVectorsDemo: Demo = {
  title: 'Vectors as typed arrays: one copy of a run of doubles',
  run(log) {
    const typed = <V extends Vector>(label: string, type: HostType<number> & Vectorable<V>, values: number[], wanted: V) => {
      const tag = vectorTypes.find(([t]) => (t as HostType<unknown>) === (type as HostType<unknown>))![1]
      const template = protobuf([packed(tag, type, { typed: true })])
      // The manual's bytes, one field an element, read into the typed array.
      const unpacked = encodeOrThrow(vector(type), [values])
      const [read] = decodeOrThrow(template, unpacked)
      log(`${label}: the manual's ${unpacked.length} bytes read as ${show(read)}`)
      check(isDeepStrictEqual(read, wanted), `${label}: the typed array holds the values`)
      // Written packed: the bytes SWI-Prolog's packed(${tag}, …) and the number[] form write.
      const bytes = roundTrip(log, `  written packed`, template, [wanted])
      check(sameBytes(bytes, encodeOrThrow(protobuf([packed(tag, type)]), [values])), `${label}: packed bytes as the number[] form writes them`)
    }
    typed('double', double, [-2.2212, -7.6675, Math.PI, 0, 1.77e-9, 2.54e222], Float64Array.from([-2.2212, -7.6675, Math.PI, 0, 1.77e-9, 2.54e222]))
    typed('float', float, [1.5, -2.25, 0], Float32Array.from([1.5, -2.25, 0]))
    typed('integer', integer, [0, -1, 1, -2, 2, 1000000, -1000000], Float64Array.from([0, -1, 1, -2, 2, 1000000, -1000000]))
    typed('integer64', integer64, [0, -1, 9007199254740991], Float64Array.from([0, -1, 9007199254740991]))
    typed('integer32', integer32, [0, -1, 2147483647, -2147483648], Int32Array.from([0, -1, 2147483647, -2147483648]))
    typed('unsigned', unsigned, [0, 1, 127, 128, 300, 4294967295], Float64Array.from([0, 1, 127, 128, 300, 4294967295]))
  },
}
