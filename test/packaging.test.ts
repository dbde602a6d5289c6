/**
 * The package as a user imports it: `protoplate` loads only what encode and
 * decode need (not fast-check, at run time or in its types),
 * `protoplate/testing` gives the bridges, and `protoplate/schema` loads its
 * .proto parser only when it is used. Each check runs in a child Node
 * that imports the package by its own name, through package.json's
 * "exports", from the built dist/.
 */
import test from 'ava'
import { execFile } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))

// A resolve hook, in the loader thread, that fails any import resolving into
// fast-check; the import then rejects with the URL, so the child exits non-zero.
const hook = `export async function resolve(specifier, context, next) {
  const r = await next(specifier, context)
  if (/[\\\\/]node_modules[\\\\/]fast-check[\\\\/]/.test(r.url)) throw new Error('fast-check loaded: ' + r.url + ' from ' + context.parentURL)
  return r
}`

/** Import `specifier` in a child Node with the hook; what it prints, or the error. */
async function importWithHook(specifier: string, after: string): Promise<{ ok: boolean; out: string }> {
  const script = [
    `import { register } from 'node:module'`,
    `register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hook))})`,
    `const m = await import(${JSON.stringify(specifier)})`,
    after,
  ].join('\n')
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root })
    return { ok: true, out: stdout }
  } catch (e) {
    return { ok: false, out: String((e as { stderr?: string }).stderr ?? e) }
  }
}

test('importing protoplate does not load fast-check', async (t) => {
  const r = await importWithHook('protoplate', `console.log(typeof m.encode, typeof m.decode, 'arbitrary' in m)`)
  t.true(r.ok, r.out)
  t.is(r.out.trim(), 'function function false')
})

test('importing protoplate/schema loads neither fast-check nor the .proto parser, which loadProto loads', async (t) => {
  const r = await importWithHook(
    'protoplate/schema',
    [
      `const { createRequire } = await import('node:module')`,
      `const cache = createRequire(import.meta.url).cache`,
      `const parser = () => Object.keys(cache).filter((k) => /[\\\\/]node_modules[\\\\/]protobufjs[\\\\/]/.test(k)).length > 0`,
      `const before = parser()`,
      `m.loadProto({ source: 'syntax = "proto3"; message A { int32 x = 1; }' })`,
      `console.log(before, parser())`,
    ].join('\n'),
  )
  t.true(r.ok, r.out)
  t.is(r.out.trim(), 'false true')
})

test('importing protoplate or protoplate/schema does not load @grpc/grpc-js; protoplate/grpc serves and calls, by the package name', async (t) => {
  const loaded = `const { createRequire } = await import('node:module')
    console.log(Object.keys(createRequire(import.meta.url).cache).some((k) => /[\\\\/]@grpc[\\\\/]grpc-js[\\\\/]/.test(k)))`
  for (const entry of ['protoplate', 'protoplate/schema']) {
    const r = await importWithHook(entry, loaded)
    t.true(r.ok, r.out)
    t.is(r.out.trim(), 'false', entry)
  }
  const { stdout } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { Client, credentials, Server } from '@grpc/grpc-js'
       import { defaulted, message, string } from 'protoplate'
       import { addService, client, listen, service, unary } from 'protoplate/grpc'
       const HelloRequest = message({ name: defaulted(string(1)) })
       const HelloReply = message({ message: defaulted(string(1)) })
       const Greeter = service('Greeter', { SayHello: unary(HelloRequest, HelloReply) })
       const server = new Server()
       addService(server, Greeter, { SayHello: ({ name }) => ({ message: 'Hello, ' + name + '!' }) })
       const port = await listen(server)
       const channel = new Client('127.0.0.1:' + port, credentials.createInsecure())
       try {
         console.log((await client(Greeter, channel).SayHello({ name: 'Alice' }, { timeout: 5000 })).message)
       } finally {
         channel.close()
         server.forceShutdown()
       }`,
    ],
    { cwd: root, timeout: 20_000 },
  )
  t.is(stdout.trim(), 'Hello, Alice!')
})

test('the hook does see fast-check: protoplate/testing loads it', async (t) => {
  const r = await importWithHook('protoplate/testing', `console.log('imported')`)
  t.false(r.ok)
  t.regex(r.out, /fast-check loaded: file:.*fast-check/)
})

test('protoplate/testing gives arbitrary and ioTsType, and arbitrary works', async (t) => {
  const { stdout } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { protobuf, unsigned, repeated, atom, encodeOrThrow } from 'protoplate'
       import { arbitrary, ioTsType } from 'protoplate/testing'
       import * as fc from 'fast-check'
       const tpl = protobuf([unsigned(1), repeated(2, atom)])
       const vs = fc.sample(arbitrary(tpl), { numRuns: 20, seed: 1 })
       vs.forEach((v) => encodeOrThrow(tpl, v))
       console.log(vs.length, typeof ioTsType(tpl).decode)`,
    ],
    { cwd: root },
  )
  t.is(stdout.trim(), '20 function')
})

test("protoplate's declarations need none of fast-check's (tsc --strict, --listFiles)", async (t) => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  // A user's file, beside this test in dist/ (inside the package, so that
  // 'protoplate' resolves to the package itself through its "exports").
  const file = fileURLToPath(new URL(`./consumer-${process.pid}.ts`, import.meta.url))
  writeFileSync(file, `import { protobuf, unsigned, encode, type TypeOf } from 'protoplate'\nconst tpl = protobuf([unsigned(1)])\nexport const x: TypeOf<typeof tpl> = [1]\nencode(tpl, x)\n`)
  try {
    const { stdout } = await run(process.execPath, [tsc, '--strict', '--noEmit', '--listFiles', '--module', 'nodenext', '--types', 'node', file], { cwd: root })
    const files = stdout.split('\n')
    t.true(files.some((f) => f.endsWith('dist/src/index.d.ts')), stdout)
    t.deepEqual(files.filter((f) => /fast-check|pure-rand/.test(f)), [])
  } finally {
    rmSync(file, { force: true })
  }
})

test('the published package has its license, the sources of its source maps, and the targets of its docs links', async (t) => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root })
  const files = new Set((JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path))
  t.true(files.has('LICENSE'))
  t.true(files.has('dist/src/index.d.ts') && files.has('dist/src/testing.d.ts'))
  const has = (p: string) => files.has(p) || [...files].some((f) => f.startsWith(p.replace(/\/?$/, '/')))
  let maps = 0
  for (const f of files) {
    if (!f.endsWith('.map')) continue
    maps++
    const map = JSON.parse(readFileSync(join(root, f), 'utf8')) as { sources: string[] }
    for (const s of map.sources) t.true(has(posix.join(posix.dirname(f), s)), `${f}: ${s}`)
  }
  t.true(maps > 0)
  let links = 0
  for (const f of files) {
    if (!f.endsWith('.md')) continue
    for (const [, target] of readFileSync(join(root, f), 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue
      links++
      t.true(has(posix.join(posix.dirname(f), target!)), `${f}: ${target}`)
    }
  }
  t.true(links > 0)
})
