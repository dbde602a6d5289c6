/**
 * Every line of the golden vectors (SWI-Prolog 9's own bytes): the grounded
 * template encodes to exactly the bytes and decodes them; the template with
 * holes decodes them to the values and encodes the values back to them.
 */
import { readFileSync } from 'node:fs'
import test from 'ava'
import {
  atom,
  boolean,
  codes,
  double,
  embedded,
  enumeration,
  float,
  group,
  type HostType,
  integer,
  integer32,
  integer64Big,
  integerBig,
  packed,
  protobuf,
  repeated,
  signed32,
  signed64,
  signed64Big,
  string,
  type Template,
  unsigned,
  unsigned32,
  unsigned64Big,
  unsignedBig,
  utf8Codes,
  type EncodeArgs,
} from '../src/index.js'
import { bag, readBag, writeBag } from '../examples/bag.js'
import { grounded, withHoles } from '../examples/some-message.js'
import { commands, sendCommand, vector, vectorTypes } from '../examples/vectors.js'
import { xmlFile, xmlProto } from '../examples/xml.js'
import { dec, enc, toHex } from './helpers.js'

interface Vector {
  readonly name: string
  readonly template: string
  readonly wire: number[]
}

/** How many vectors the file holds: fewer is a file cut short, and fails. */
const EXPECTED_VECTORS = 36

/**
 * The golden vectors: shared/vectors/ beside the clone (or where
 * PROTOPLATE_VECTORS says), which must be there, and the copy kept in the
 * repository, which must be the same.
 */
const sharedPath = process.env['PROTOPLATE_VECTORS'] ?? new URL('../../../shared/vectors/swi-prolog-doc-examples.jsonl', import.meta.url).pathname
const localPath = new URL('../../test/golden/swi-prolog-doc-examples.jsonl', import.meta.url).pathname

function read(path: string): { text: string } | { error: string } {
  try {
    return { text: readFileSync(path, 'utf8') }
  } catch (e) {
    return { error: `${path}: ${e instanceof Error ? e.message : String(e)}` }
  }
}

const parse = (text: string): Vector[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Vector)

const shared = read(sharedPath)
const local = read(localPath)
// The checks below run on the shared vectors, or on the repository's copy when those are missing (and that fails below).
const vectors: Vector[] = 'text' in shared ? parse(shared.text) : 'text' in local ? parse(local.text) : []

test(`the golden vectors are there: ${EXPECTED_VECTORS} of them, in shared/ and in the repository's copy, the same`, (t) => {
  if ('error' in shared) t.fail(`the golden vectors file is missing: ${shared.error} (set PROTOPLATE_VECTORS to its path)`)
  if ('error' in local) t.fail(`the repository's copy of the golden vectors is missing: ${local.error}`)
  if ('text' in shared) t.true(parse(shared.text).length >= EXPECTED_VECTORS, `${sharedPath} has ${parse(shared.text).length} vectors, not ${EXPECTED_VECTORS}`)
  if ('text' in local) t.true(parse(local.text).length >= EXPECTED_VECTORS, `${localPath} has ${parse(local.text).length} vectors, not ${EXPECTED_VECTORS}`)
  if ('text' in shared && 'text' in local) t.is(local.text, shared.text, 'the repository copy differs from shared/')
})

/** A check of one vector: the bytes it must give. */
type Case = (t: import('ava').ExecutionContext, wire: Uint8Array) => void

/** A grounded template and its version with holes, with the holes' value. */
function pair<A, B>(groundedT: Template<A>, holes: Template<B>, value: NoInfer<B>): Case {
  return (t, wire) => {
    t.is(toHex(enc(groundedT, ...([] as unknown as EncodeArgs<A>))), toHex(wire), 'grounded encode')
    t.notThrows(() => dec(groundedT, wire), 'grounded decode')
    t.is(toHex(enc(holes, ...([value] as EncodeArgs<B>))), toHex(wire), 'encode with holes')
    t.deepEqual(dec(holes, wire), value, 'decode with holes')
  }
}

/** `protobuf([T(tag, c)])` and `protobuf([T(tag)])` with `[c]`. */
function scalar<A>(type: HostType<A>, tag: number, c: NoInfer<A>): Case {
  return pair(protobuf([type(tag, c)]), protobuf([type(tag)]), [c] as const)
}

function vectorCase<A>(type: HostType<A>, list: NoInfer<A[]>): Case {
  const tag = vectorTypes.find(([ty]) => (ty as unknown) === type)![1]
  return pair(protobuf([repeated(tag, type, list)]), vector(type), [list] as const)
}

const tankState = enumeration('tank_state', { empty: 0, half_full: 1, full: 2 })

const cases: Record<string, Case> = {
  'protobuf([unsigned(1,100),string(2,"abcd"),repeated(3,atom([foo,bar])),boolean(4,true),embedded(5,protobuf([integer(1,-666),string(2,"negative 666")])),repeated(6,embedded([protobuf([integer(1,1234),string(2,"onetwothreefour")]),protobuf([integer(1,2222),string(2,"four twos")])])),repeated(7,integer([1,2,3,4])),packed(8,integer([5,6,7,8]))])':
    pair(grounded, withHoles, [
      100,
      'abcd',
      ['foo', 'bar'],
      true,
      [-666, 'negative 666'],
      [
        [1234, 'onetwothreefour'],
        [2222, 'four twos'],
      ],
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]),
  'send_command(square,double([1,22,3,4]))': pair(
    protobuf([commands(1, 'square'), embedded(2, protobuf([repeated(2, double, [1, 22, 3, 4])]))]),
    sendCommand(double),
    ['square', [[1, 22, 3, 4]]],
  ),
  'double([-2.2212,-7.6675,3.141592653589793,0,1.77e-9,2.54e+222])': vectorCase(double, [-2.2212, -7.6675, Math.PI, 0, 1.77e-9, 2.54e222]),
  'float([1.5,-2.25,0.0])': vectorCase(float, [1.5, -2.25, 0]),
  'integer([0,-1,1,-2,2,1000000,-1000000])': vectorCase(integer, [0, -1, 1, -2, 2, 1000000, -1000000]),
  'integer64([0,-1,9007199254740991])': vectorCase(vectorTypes[3][0], [0, -1, 9007199254740991]),
  'integer32([0,-1,2147483647,-2147483648])': vectorCase(integer32, [0, -1, 2147483647, -2147483648]),
  'unsigned([0,1,127,128,300,4294967295])': vectorCase(unsigned, [0, 1, 127, 128, 300, 4294967295]),
  'codes([[],[0,255,128]])': vectorCase(codes, [new Uint8Array(), new Uint8Array([0, 255, 128])]),
  'atom([a,héllo,日本])': vectorCase(atom, ['a', 'héllo', '日本']),
  'string(["","x"])': vectorCase(string, ['', 'x']),
  '[complex(2,3),complex(4,5),complex(6,7),355 rdiv -113,integer(11)]': (t, wire) => {
    t.is(toHex(writeBag(bag)), toHex(wire))
    t.deepEqual(readBag(wire), bag)
  },
  'protobuf([repeated(22,float([1,2,3,4])),repeated(23,enum(tank_state([empty,half_full,full])))])': pair(
    protobuf([repeated(22, float, [1, 2, 3, 4]), repeated(23, tankState, ['empty', 'half_full', 'full'])]),
    protobuf([repeated(22, float), repeated(23, tankState)]),
    [
      [1, 2, 3, 4],
      ['empty', 'half_full', 'full'],
    ],
  ),
  'protobuf([packed(22,float([1,2,3,4])),packed(23,enum(tank_state([empty,half_full,full])))])': pair(
    protobuf([packed(22, float, [1, 2, 3, 4]), packed(23, tankState, ['empty', 'half_full', 'full'])]),
    protobuf([packed(22, float), packed(23, tankState)]),
    [
      [1, 2, 3, 4],
      ['empty', 'half_full', 'full'],
    ],
  ),
  'protobuf([repeated(10,string([]))])': pair(protobuf([repeated(10, string, [])]), protobuf([repeated(10, string)]), [[]]),
  'protobuf([group(2,[double(1,1.5),double(2,-2.5)])])': pair(
    protobuf([group(2, [double(1, 1.5), double(2, -2.5)])]),
    protobuf([group(2, [double(1), double(2)])]),
    [[1.5, -2.5]],
  ),
  'protobuf([signed32(1,-1)])': scalar(signed32, 1, -1),
  'protobuf([signed64(1,-1)])': scalar(signed64, 1, -1),
  'protobuf([signed32(1,2147483647)])': scalar(signed32, 1, 2147483647),
  'protobuf([signed64(1,-9223372036854775808)])': scalar(signed64Big, 1, -(2n ** 63n)),
  'protobuf([unsigned(1,18446744073709551615)])': scalar(unsignedBig, 1, 2n ** 64n - 1n),
  'protobuf([integer(1,-9223372036854775808)])': scalar(integerBig, 1, -(2n ** 63n)),
  'protobuf([integer(1,9223372036854775807)])': scalar(integerBig, 1, 2n ** 63n - 1n),
  'protobuf([unsigned32(1,4294967295)])': scalar(unsigned32, 1, 4294967295),
  'protobuf([unsigned64(1,18446744073709551615)])': scalar(unsigned64Big, 1, 2n ** 64n - 1n),
  'protobuf([integer64(1,-9223372036854775808)])': scalar(integer64Big, 1, -(2n ** 63n)),
  'protobuf([integer32(1,-2147483648)])': scalar(integer32, 1, -2147483648),
  'protobuf([boolean(1,false)])': scalar(boolean, 1, false),
  'protobuf([double(1,-0.0)])': scalar(double, 1, -0),
  'protobuf([float(1,3.4028234663852886e+38)])': scalar(float, 1, 3.4028234663852886e38),
  'protobuf([utf8_codes(1,[104,233,128512])])': scalar(utf8Codes, 1, [104, 233, 128512]),
  'protobuf([codes(1,[0,1,2,255])])': scalar(codes, 1, new Uint8Array([0, 1, 2, 255])),
  "protobuf([atom(1,'')])": scalar(atom, 1, ''),
  'protobuf([unsigned(536870911,1)])': scalar(unsigned, 536870911, 1),
  'protobuf([enum(1,commands(inverse_transform))])': scalar(commands, 1, 'inverse_transform'),
  expanded_xml_template: (t, wire) => {
    t.is(toHex(enc(xmlFile, [xmlProto])), toHex(wire))
    t.deepEqual(dec(xmlFile, wire), [xmlProto])
  },
}

test('every golden vector has a case, and every case its vector', (t) => {
  t.true(vectors.length >= EXPECTED_VECTORS, `${vectors.length} vectors, not ${EXPECTED_VECTORS}`)
  for (const v of vectors) t.true(v.template in cases, v.template)
  const present = new Set(vectors.map((v) => v.template))
  for (const template of Object.keys(cases)) t.true(present.has(template), `no vector for ${template}`)
})

for (const v of vectors) {
  const c = cases[v.template]
  if (c === undefined) continue
  test(`golden ${v.name}: ${v.template.length > 70 ? v.template.slice(0, 70) + '…' : v.template}`, (t) => c(t, Uint8Array.from(v.wire)))
}
