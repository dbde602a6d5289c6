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
import { encode } from '../src/index.js'
import { parse, render } from '../cli/raw.js'
import { styleFor } from '../cli/io.js'
import { scan, scanDelimited } from '../cli/scan.js'
import { cases } from './gen.js'
import { hex, SEED, toHex } from './helpers.js'
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

test('help: protoplate --help lists the commands and says decode and encode are not there yet; each command has its own', async (t) => {
  const r = await cli(['--help'])
  t.is(r.status, 0)
  t.regex(r.out, /^ {2}raw /m)
  t.regex(r.out, /^ {2}explain /m)
  t.regex(r.out, /^ {2}generate /m)
  t.regex(r.out, /Not there yet:\n {2}decode, encode/)
  t.regex(r.out, /Exit codes: 0 done, 1 bad input data, 2 usage/)
  for (const c of ['raw', 'explain', 'generate']) {
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
    [['frobnicate'], /^protoplate: unknown command "frobnicate" \(commands: raw, explain, generate\)\nTry: protoplate --help\n$/],
    [['decode'], /^protoplate: there is no decode command yet: it needs ProtoJSON and the text format/],
    [['encode', '--proto', 'x.proto'], /^protoplate: there is no encode command yet/],
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

test('raw on a terminal: not bytes (encode refuses to write them there)', async (t) => {
  // Run where stdout is a terminal: `script` gives the command one.
  const check = spawnSync('script', ['-qec', 'true', '/dev/null'])
  if (check.status !== 0) return t.pass('script(1) is not available')
  const r = spawnSync('script', ['-qec', `printf '1 varint 1' | ${process.execPath} ${bin} raw --encode; echo "rc=$?"`, '/dev/null'], { encoding: 'utf8' })
  t.regex(r.stdout, /not writing bytes to a terminal: give -o FILE, or pipe the output/)
  t.regex(r.stdout, /rc=2/)
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

