/**
 * SWI-Prolog's own by-name predicates as the peer of parseFromBytes and
 * serializeToBytes: protoc with SWI-Prolog's plugin (protoc-gen-swipl)
 * compiles the .proto, SWI-Prolog writes a message with
 * protobuf_serialize_to_codes/3 and reads protoplate's with
 * protobuf_parse_from_codes/3, and both read each other's bytes to the same
 * dict (printed by SWI-Prolog as JSON).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'ava'
import { loadProto, type NamedMessage, parseFromBytes, serializeToBytes } from '../schema/index.js'

const PLUGIN = '/usr/lib/swi-prolog/library/protobufs/protoc-gen-swipl'

interface Case {
  readonly include: string
  readonly file: string
  readonly type: string
  /** The message as a SWI-Prolog dict and as protoplate takes it. */
  readonly dict: string
  readonly value: NamedMessage
}

const root = new URL('../../', import.meta.url).pathname
const cases: readonly Case[] = [
  {
    include: `${root}examples`,
    file: 'addressbook.proto',
    type: 'tutorial.AddressBook',
    dict: `_{people:[_{name:"John Doe", id:1234, email:"jdoe@example.com", phones:[_{number:"555-4321", type:'HOME'}]},
                   _{name:"Jane Roe", id:5678, phones:[_{number:"555-1234", type:'MOBILE'}, _{number:"555-9876"}]}]}`,
    value: {
      people: [
        { name: 'John Doe', id: 1234, email: 'jdoe@example.com', phones: [{ number: '555-4321', type: 'HOME' }] },
        { name: 'Jane Roe', id: 5678, phones: [{ number: '555-1234', type: 'MOBILE' }, { number: '555-9876' }] },
      ],
    },
  },
  {
    include: `${root}bench/protos`,
    file: 'addressbook.proto',
    type: 'bench.b.AddressBook',
    dict: `_{people:[_{name:"Ann", id:7, phones:[_{number:"1", type:'WORK'}, _{number:"2"}]}, _{name:"Bo", id:0, email:"b@x"}]}`,
    value: { people: [{ name: 'Ann', id: 7, phones: [{ number: '1', type: 'WORK' }, { number: '2' }] }, { name: 'Bo', id: 0, email: 'b@x' }] },
  },
]

/** Runs SWI-Prolog on the case: its bytes of the dict, and its reading of protoplate's bytes as JSON. */
function swi(c: Case, ours: Uint8Array): { bytes: Uint8Array; read: unknown } {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-swipl-'))
  try {
    const gen = spawnSync('protoc', [`--plugin=protoc-gen-swipl=${PLUGIN}`, `--swipl_out=${dir}`, `-I${c.include}`, c.file], { encoding: 'utf8' })
    if (gen.status !== 0) throw new Error(`protoc-gen-swipl: ${gen.stderr}`)
    writeFileSync(join(dir, 'ours.bin'), ours)
    writeFileSync(
      join(dir, 'run.pl'),
      `:- use_module(library(protobufs)).
:- use_module(library(http/json)).
:- use_module('${c.file.replace(/\.proto$/, '_pb')}').
main :-
    protobuf_serialize_to_codes(${c.dict}, '${c.type}', Codes),
    format("~w~n", [Codes]),
    read_file_to_codes('ours.bin', Ours, [type(binary)]),
    protobuf_parse_from_codes(Ours, '${c.type}', Dict),
    json_write_dict(current_output, Dict, [width(0)]), nl.
:- initialization(main, main).
`,
    )
    const r = spawnSync('swipl', ['run.pl'], { cwd: dir, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`swipl: ${r.stderr}`)
    const [codes, json] = r.stdout.trim().split('\n')
    return { bytes: Uint8Array.from(JSON.parse(codes!) as number[]), read: JSON.parse(json!) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A parsed message as JSON has it (SWI-Prolog prints its dicts so). */
const asJson = (m: unknown): unknown => JSON.parse(JSON.stringify(m))

for (const c of cases) {
  test(`${c.type}: SWI-Prolog's parse_from_codes and protoplate's parseFromBytes read each other's bytes alike`, (t) => {
    const schema = loadProto(c.file, { includePaths: [c.include] })
    const ours = serializeToBytes(schema, c.type, c.value)
    const theirs = swi(c, ours)
    // SWI-Prolog reads protoplate's bytes to the dict parseFromBytes gives of them …
    t.deepEqual(theirs.read, asJson(parseFromBytes(schema, c.type, ours)))
    // … and protoplate reads SWI-Prolog's bytes (its fields in the dict's key order) to the same message.
    t.deepEqual(asJson(parseFromBytes(schema, c.type, theirs.bytes)), theirs.read)
  })
}
