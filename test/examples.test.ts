/**
 * The examples of `npm run demo`, run as tests: each checks its own round
 * trips and, where SWI-Prolog's bytes are known, that it writes exactly
 * those; here a failed check fails the test. Each runs in both forms
 * (code generation on, then off), and must print the same lines.
 */
import { spawnSync } from 'node:child_process'
import test from 'ava'
import { loadProto, serializeToBytes } from '../schema/index.js'
import { addressBook } from '../examples/addressbook.js'
import { demos } from '../examples/demos.js'
import { interpreted } from './helpers.js'

for (const d of demos) {
  test(d.title, (t) => {
    const lines: string[] = []
    d.run((line) => lines.push(line))
    // Every example shows the bytes it wrote, in hex.
    t.true(lines.some((l) => /\b[0-9a-f]{2}( [0-9a-f]{2}){2,}/.test(l)), lines.join('\n'))
    const slow: string[] = []
    interpreted(() => d.run((line) => slow.push(line)))
    t.deepEqual(slow, lines, 'the interpreter prints what the compiled code does')
  })
}

test('the examples that SWI-Prolog has bytes for are checked against them', (t) => {
  const lines: string[] = []
  for (const d of demos) d.run((line) => lines.push(line))
  t.true(lines.filter((l) => l.includes("= SWI-Prolog's bytes")).length >= 8)
})

/** protoc --decode of bytes as a message of an example's .proto. */
function protocDecode(file: string, type: string, bytes: Uint8Array): string {
  const dir = new URL('../../examples/', import.meta.url).pathname
  const r = spawnSync('protoc', [`-I${dir}`, `--decode=${type}`, file], { input: bytes })
  if (r.status !== 0) throw new Error(r.stderr.toString())
  return r.stdout.toString()
}

test('protoc reads the address book the example writes by name', (t) => {
  const schema = loadProto('addressbook.proto', { includePaths: [new URL('../../examples/', import.meta.url).pathname] })
  const bytes = serializeToBytes(schema, 'tutorial.AddressBook', addressBook)
  t.is(
    protocDecode('addressbook.proto', 'tutorial.AddressBook', bytes),
    [
      'people {', '  name: "John Doe"', '  id: 1234', '  email: "jdoe@example.com"', '  phones {', '    number: "555-4321"', '    type: HOME', '  }', '}',
      'people {', '  name: "Jane Roe"', '  id: 5678', '  phones {', '    number: "555-1234"', '    type: MOBILE', '  }', '  phones {', '    number: "555-9876"', '  }', '}', '',
    ].join('\n'),
  )
})

test("protoc reads the MapMessage example's map as the entries SWI-Prolog's manual describes", (t) => {
  const schema = loadProto('map_message.proto', { includePaths: [new URL('../../examples/', import.meta.url).pathname] })
  const bytes = serializeToBytes(schema, 'MapMessage', { number_ints: new Map([['one', 1n], ['minus two', -2n]]) })
  t.is(
    protocDecode('map_message.proto', 'MapMessage', bytes),
    // protoc prints a map's entries in the order of their keys.
    ['number_ints {', '  key: "minus two"', '  value: -2', '}', 'number_ints {', '  key: "one"', '  value: 1', '}', ''].join('\n'),
  )
})
