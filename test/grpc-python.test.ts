/**
 * protoplate/grpc against another implementation: Python's grpcio (Debian's
 * python3-grpcio), with greet_pb2 and greet_pb2_grpc generated from
 * examples/greet.proto by protoc and grpc_python_plugin into a temporary
 * directory. The seed's server.py and client.py (test/python/, as the
 * seed writes them, with the port of the test in place of 50051) and
 * test/python/greeter.py (every method) call protoplate's server and are
 * called by protoplate's client. Every Python process is killed in
 * `finally`; every call has a deadline.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Client, credentials, Server } from '@grpc/grpc-js'
import test, { type ExecutionContext } from 'ava'
import { serialInBothForms } from './helpers.js'
import { addService, client, listen } from '../grpc/index.js'
import { Greeter, greeterHandlers } from '../examples/greeter.js'

const PYTHON = '/usr/bin/python3' // Debian's, where python3-grpcio is
const examples = new URL('../../examples/', import.meta.url).pathname
const python = new URL('../../test/python/', import.meta.url).pathname
const run = promisify(execFile)

const dir = mkdtempSync(join(tmpdir(), 'protoplate-grpc-python-'))
test.after.always(() => rmSync(dir, { recursive: true, force: true }))

test.before(() => {
  const r = spawnSync('protoc', [`-I${examples}`, `--python_out=${dir}`, `--grpc_python_out=${dir}`, '--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin', 'greet.proto'])
  if (r.status !== 0) throw new Error(`protoc with grpc_python_plugin: ${r.stderr.toString()}`)
  copyFileSync(join(python, 'greeter.py'), join(dir, 'greeter.py'))
})

/** The seed's script, with the test's port (and its server's loopback address) in place of 50051. */
function seedScript(name: 'server.py' | 'client.py', port: number): string {
  const text = readFileSync(join(python, name), 'utf8')
  if (!text.includes('50051')) throw new Error(`${name} no longer has the seed's port`)
  const file = join(dir, `seed_${port}_${name}`)
  writeFileSync(file, text.replace('localhost:50051', `127.0.0.1:${port}`).replaceAll('50051', String(port)))
  return file
}

/** A Python server, once it has printed the line that says it is up; gives the process and that line's match. */
function pythonServer(args: readonly string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(PYTHON, ['-u', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => (child.kill(), reject(new Error(`python ${args.join(' ')} did not start: ${out}${err}`))), 10_000)
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = ready.exec(out)
      if (m !== null) {
        clearTimeout(timer)
        resolve({ child, match: m })
      }
    })
    child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`python ${args.join(' ')} exited (${code}): ${out}${err}`))))
  })
}

/** The protoplate Greeter on a free port of 127.0.0.1 for the time of `f`. */
async function protoplateServer(f: (port: number) => Promise<void>): Promise<void> {
  const server = new Server()
  addService(server, Greeter, greeterHandlers)
  const port = await listen(server)
  try {
    await f(port)
  } finally {
    server.forceShutdown()
  }
}

async function freePort(): Promise<number> {
  const server = new Server()
  const port = await listen(server)
  server.forceShutdown()
  return port
}

const serial = (title: string, f: (t: ExecutionContext) => Promise<void>): void => serialInBothForms(test, title, f)

serial("the seed's client.py calls protoplate's Greeter", async (t) => {
  await protoplateServer(async (port) => {
    const { stdout } = await run(PYTHON, [seedScript('client.py', port)], { cwd: dir, timeout: 20_000 })
    t.is(stdout, 'Server Response: Hello, Alice!\n')
  })
})

serial("protoplate's client calls the seed's server.py", async (t) => {
  const port = await freePort()
  const { child } = await pythonServer([seedScript('server.py', port)], /Server running on port \d+/)
  const channel = new Client(`127.0.0.1:${port}`, credentials.createInsecure())
  try {
    const greeter = client(Greeter, channel)
    t.deepEqual(await greeter.SayHello({ name: 'Alice' }, { timeout: 10_000 }), { message: 'Hello, Alice!' })
    // The seed's servicer has SayHello only; grpcio answers the others UNIMPLEMENTED.
    await t.throwsAsync(greeter.SayHelloToAll([{ name: 'x' }], { timeout: 10_000 }), { message: /^UNIMPLEMENTED/ })
  } finally {
    channel.close()
    child.kill()
  }
})

serial("Python's Greeter calls every method of protoplate's, and a malformed request is INVALID_ARGUMENT", async (t) => {
  await protoplateServer(async (port) => {
    const { stdout } = await run(PYTHON, ['greeter.py', 'call', String(port)], { cwd: dir, timeout: 20_000 })
    t.deepEqual(stdout.split('\n'), [
      'SayHello: Hello, Alice!',
      'SayHelloInLanguages: Hello, Bob!',
      'SayHelloInLanguages: Bonjour, Bob !',
      'SayHelloInLanguages: Hallo, Bob!',
      'SayHelloInLanguages: ¡Hola, Bob!',
      'SayHelloInLanguages: Ciao, Bob!',
      'SayHelloToAll: Hello, Ann, Bob and Cy!',
      'Chat: Hello, Dee! (1)',
      'Chat: Hello, Eve! (2)',
      'malformed: INVALID_ARGUMENT request: truncated (at name(1), byte 2): input ends inside a length-delimited payload (5 bytes announced, 2 left)',
      'SayHello: Hello, Alice!',
      '',
    ])
  })
})

serial("protoplate's client calls every method of Python's Greeter", async (t) => {
  const { child, match } = await pythonServer(['greeter.py', 'serve'], /port (\d+)\n/)
  const channel = new Client(`127.0.0.1:${match[1]}`, credentials.createInsecure())
  try {
    const g = client(Greeter, channel)
    const o = { timeout: 10_000 }
    t.deepEqual(await g.SayHello({ name: 'Zoë' }, o), { message: 'Hello, Zoë!' })
    const langs: string[] = []
    for await (const r of g.SayHelloInLanguages({ name: 'Li' }, o)) langs.push(r.message)
    t.deepEqual(langs, ['Hello, Li!', 'Bonjour, Li !', 'Hallo, Li!', '¡Hola, Li!', 'Ciao, Li!'])
    t.deepEqual(await g.SayHelloToAll([{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cy' }], o), { message: 'Hello, Ann, Bob and Cy!' })
    const many = Array.from({ length: 500 }, (_, i) => ({ name: `n${i}` }))
    const chat: string[] = []
    for await (const r of g.Chat(many, o)) chat.push(r.message)
    t.deepEqual(chat, many.map((m, i) => `Hello, ${m.name}! (${i + 1})`))
  } finally {
    channel.close()
    child.kill()
  }
})
