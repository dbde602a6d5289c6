/**
 * protoplate/grpc on a real grpc-js server and client on 127.0.0.1 (a free
 * port each test, closed in `finally`): the four kinds of method, metadata,
 * deadlines, cancellation, status codes, and what a message that does not
 * decode or encode answers, with the server still serving afterwards.
 * Every call test runs in both forms (compiled, then interpreted), so the
 * tests are serial: the form is process-wide.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, credentials, Metadata, Server, status } from '@grpc/grpc-js'
import test, { type ExecutionContext } from 'ava'
import { defaulted, encodeOrThrow, message, ProtoError, string, unsigned } from '../src/index.js'
import { fromDescriptorSet, loadProto, SchemaError } from '../schema/index.js'
import { addService, bidiStreaming, client, clientStreaming, type Handlers, listen, type Methods, type Service, RpcError, service, serverStreaming, serviceOf, unary } from '../grpc/index.js'
import { Greeter, greeterDemo, greeterHandlers, HelloReply, HelloRequest } from '../examples/greeter.js'
import { serialInBothForms } from './helpers.js'

const examples = new URL('../../examples/', import.meta.url).pathname
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const id = (b: Buffer): Buffer => b

/** A server of `svc` on a free port of 127.0.0.1 and a channel to it, for the time of `f`. */
async function serving<M extends Methods>(svc: Service<M>, handlers: Handlers<M>, f: (channel: Client) => Promise<void>): Promise<void> {
  const server = new Server()
  addService(server, svc, handlers)
  const port = await listen(server)
  const channel = new Client(`127.0.0.1:${port}`, credentials.createInsecure())
  try {
    await f(channel)
  } finally {
    channel.close()
    server.forceShutdown()
  }
}

/** A test run in both forms, one after the other. */
const both = (title: string, f: (t: ExecutionContext) => Promise<void>): void => serialInBothForms(test, title, f)

async function collect<A>(xs: AsyncIterable<A>): Promise<A[]> {
  const out: A[] = []
  for await (const x of xs) out.push(x)
  return out
}

/** A unary call with bytes as they are. */
function rawUnary(channel: Client, path: string, bytes: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => channel.makeUnaryRequest(path, id, id, Buffer.from(bytes), { deadline: Date.now() + 5000 }, (e, r) => (e ? reject(RpcError.from(e)) : resolve(r!))))
}

test.serial("the definition's (de)serializers are the templates' codecs, with grpc-js's paths and stream flags", (t) => {
  const d = Greeter.definition
  t.is(hex(d.SayHello!.requestSerialize({ name: 'Alice' })), '0a05416c696365')
  t.deepEqual(d.SayHello!.responseDeserialize(Buffer.from('0a026869', 'hex')), { message: 'hi' })
  t.throws(() => d.SayHello!.requestDeserialize(Buffer.from('0a05416c', 'hex')), { instanceOf: ProtoError, message: /^truncated \(at name\(1\), byte 2\)/ })
  t.deepEqual(
    Object.entries(d).map(([k, m]) => [k, m.path, m.requestStream, m.responseStream, m.originalName]),
    [
      ['SayHello', '/Greeter/SayHello', false, false, 'sayHello'],
      ['SayHelloInLanguages', '/Greeter/SayHelloInLanguages', false, true, 'sayHelloInLanguages'],
      ['SayHelloToAll', '/Greeter/SayHelloToAll', true, false, 'sayHelloToAll'],
      ['Chat', '/Greeter/Chat', true, true, 'chat'],
    ],
  )
  t.throws(() => service('no such', {}), { instanceOf: TypeError })
  t.throws(() => service('S', { M: { kind: 'both', request: HelloRequest, response: HelloReply } as never }), { instanceOf: TypeError, message: /S\.M: not a method/ })
})

test.serial("a schema's service, from loadProto and from protoc's descriptor set, is greet.proto's Greeter", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-grpc-'))
  let set: Uint8Array
  try {
    const r = spawnSync('protoc', [`-I${examples}`, `--descriptor_set_out=${dir}/set.pb`, 'greet.proto'])
    t.is(r.status, 0, r.stderr?.toString())
    set = readFileSync(`${dir}/set.pb`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  for (const schema of [loadProto('greet.proto', { includePaths: [examples] }), fromDescriptorSet(set)]) {
    t.deepEqual(schema.serviceNames, ['Greeter'])
    const s = serviceOf(schema, 'Greeter')
    t.is(s.name, 'Greeter')
    t.deepEqual(
      Object.entries(s.methods).map(([k, m]) => [k, m.kind]),
      Object.entries(Greeter.methods).map(([k, m]) => [k, m.kind]),
    )
    t.is(hex(encodeOrThrow(s.methods.SayHello!.request, { name: 'Alice' })), '0a05416c696365')
    t.deepEqual(
      Object.entries(s.definition).map(([k, m]) => [k, m.path, m.requestStream, m.responseStream]),
      Object.entries(Greeter.definition).map(([k, m]) => [k, m.path, m.requestStream, m.responseStream]),
    )
  }
  const pkg = loadProto({ source: 'syntax = "proto3"; package a.b; message M {} service S { rpc Go (M) returns (stream M); }' })
  t.is(serviceOf(pkg, 'a.b.S').definition.Go!.path, '/a.b.S/Go')
  t.is(serviceOf(pkg, '.a.b.S').methods.Go!.kind, 'server-streaming')
  t.throws(() => serviceOf(pkg, 'S'), { instanceOf: SchemaError, message: 'no service S in the schema (did you mean a.b.S?)' })
})

both('the demo Greeter: every kind of method, and a malformed request answered INVALID_ARGUMENT', async (t) => {
  const lines: string[] = []
  await greeterDemo((l) => lines.push(l))
  t.true(lines.includes("SayHello({ name: 'Alice' }) → { message: 'Hello, Alice!' }"), lines.join('\n'))
  t.true(lines.includes('Chat(Dee, Eve) → Hello, Dee! (1) | Hello, Eve! (2)'), lines.join('\n'))
  t.true(lines.includes("and the server still answers: { message: 'Hello, Alice!' }"), lines.join('\n'))
})

both('unary, server streaming, client streaming and bidirectional calls', async (t) => {
  await serving(Greeter, greeterHandlers, async (channel) => {
    const g = client(Greeter, channel)
    t.deepEqual(await g.SayHello({ name: 'Zoë' }), { message: 'Hello, Zoë!' })
    t.deepEqual(
      (await collect(g.SayHelloInLanguages({ name: 'Li' }))).map((r) => r.message),
      ['Hello, Li!', 'Bonjour, Li !', 'Hallo, Li!', '¡Hola, Li!', 'Ciao, Li!'],
    )
    t.deepEqual(await g.SayHelloToAll([]), { message: 'Hello, nobody!' })
    async function* names() {
      yield { name: 'Ann' }
      yield { name: 'Bob' }
    }
    t.deepEqual(await g.SayHelloToAll(names()), { message: 'Hello, Ann and Bob!' })
    t.deepEqual(await collect(g.Chat(names())), [{ message: 'Hello, Ann! (1)' }, { message: 'Hello, Bob! (2)' }])
    t.deepEqual(await collect(g.Chat([])), [])
    // Many messages each way, more than the transport buffers, so that back-pressure is taken.
    const many = Array.from({ length: 3000 }, (_, i) => ({ name: `n${i}`.repeat(20) }))
    // The client reads slowly at times, so that responses wait unread and the call stops reading, then reads on.
    const replies: string[] = []
    for await (const r of g.Chat(many)) if (replies.push(r.message) % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 50))
    t.deepEqual(replies, many.map((m, i) => `Hello, ${m.name}! (${i + 1})`))
  })
})

const Echo = service('test.Echo', {
  Unary: unary(message({ n: defaulted(unsigned(1)), text: defaulted(string(2)) }), message({ n: defaulted(unsigned(1)) })),
  Server: serverStreaming(message({ n: defaulted(unsigned(1)) }), message({ n: defaulted(unsigned(1)) })),
  Client: clientStreaming(message({ n: defaulted(unsigned(1)) }), message({ n: defaulted(unsigned(1)) })),
  Bidi: bidiStreaming(message({ n: defaulted(unsigned(1)) }), message({ n: defaulted(unsigned(1)) })),
})

/** Echo's handlers: `n` back, except that 99 is answered with a value that does not encode, 7 throws NOT_FOUND and 8 a plain Error. */
function echoHandlers(seen: { cancelled?: boolean | undefined; metadata?: string; deadline?: Date | undefined }): Handlers<typeof Echo.methods> {
  const answer = (n: number) => {
    if (n === 7) throw new RpcError(status.NOT_FOUND, 'no seven', new Metadata())
    if (n === 8) throw new Error('eight went wrong')
    return { n: n === 99 ? (-1 as number) : n }
  }
  return {
    Unary: async ({ n, text }, call) => {
      seen.metadata = String(call.metadata.get('who')[0] ?? '')
      if (text === 'wait') {
        seen.deadline = call.deadline
        await new Promise<void>((resolve) => call.signal.addEventListener('abort', () => resolve()))
        seen.cancelled = call.cancelled
        return { n: 0 }
      }
      if (text === 'headers') {
        const h = new Metadata()
        h.set('greeting', 'hi')
        call.sendMetadata(h)
        call.trailers.set('count', String(n))
      }
      return answer(n)
    },
    async *Server({ n }, call) {
      for (let i = 1; i <= n; i++) {
        if (call.cancelled) {
          seen.cancelled = true
          return
        }
        yield answer(i === 3 && n === 5 ? 99 : i)
        await new Promise((r) => setTimeout(r, 1))
      }
      seen.cancelled = call.cancelled
    },
    async Client(requests) {
      let sum = 0
      for await (const { n } of requests) sum += answer(n).n
      return answer(sum)
    },
    async *Bidi(requests) {
      for await (const { n } of requests) yield answer(n)
    },
  }
}

both('status codes: a handler that throws an RpcError answers its code, anything else UNKNOWN; the server goes on', async (t) => {
  await serving(Echo, echoHandlers({}), async (channel) => {
    const e = client(Echo, channel)
    const nf = await t.throwsAsync(e.Unary({ n: 7, text: '' }), { instanceOf: RpcError })
    t.is(nf.code, status.NOT_FOUND)
    t.is(nf.details, 'no seven')
    t.is(nf.protoError, undefined)
    const unknown = await t.throwsAsync(e.Unary({ n: 8, text: '' }), { instanceOf: RpcError })
    t.is(unknown.code, status.UNKNOWN)
    t.is(unknown.details, 'eight went wrong')
    t.like(await t.throwsAsync(e.Client([{ n: 1 }, { n: 7 }]), { instanceOf: RpcError }), { code: status.NOT_FOUND })
    t.like(await t.throwsAsync(collect(e.Bidi([{ n: 1 }, { n: 8 }])), { instanceOf: RpcError }), { code: status.UNKNOWN, details: 'eight went wrong' })
    t.deepEqual(await e.Unary({ n: 1, text: '' }), { n: 1 })
    const unimplemented = await t.throwsAsync(rawUnary(channel, '/test.Echo/Nothing', new Uint8Array()), { instanceOf: RpcError })
    t.is(unimplemented.code, status.UNIMPLEMENTED)
  })
})

both('metadata: the client\'s reaches the handler; the handler\'s headers and trailers reach the client', async (t) => {
  const seen: { metadata?: string } = {}
  await serving(Echo, echoHandlers(seen), async (channel) => {
    const e = client(Echo, channel)
    const md = new Metadata()
    md.set('who', 'tester')
    let headers: Metadata | undefined
    let trailers: Metadata | undefined
    const r = await e.Unary({ n: 5, text: 'headers' }, { metadata: md, onMetadata: (m) => (headers = m), onStatus: (s) => (trailers = s.metadata) })
    t.deepEqual(r, { n: 5 })
    t.is(seen.metadata, 'tester')
    t.deepEqual(headers?.get('greeting'), ['hi'])
    t.deepEqual(trailers?.get('count'), ['5'])
  })
})

both('deadlines and cancellation reach the handler as its signal', async (t) => {
  const seen: { cancelled?: boolean | undefined; deadline?: Date | undefined } = {}
  await serving(Echo, echoHandlers(seen), async (channel) => {
    const e = client(Echo, channel)
    const before = Date.now()
    const late = await t.throwsAsync(e.Unary({ n: 1, text: 'wait' }, { timeout: 50 }), { instanceOf: RpcError })
    t.is(late.code, status.DEADLINE_EXCEEDED)
    // The handler saw the client's deadline (to the millisecond, as grpc-timeout carries it).
    t.true(seen.deadline instanceof Date && Math.abs(seen.deadline.getTime() - (before + 50)) < 1000, String(seen.deadline))
    for (let i = 0; i < 100 && seen.cancelled === undefined; i++) await new Promise((r) => setTimeout(r, 10))
    t.true(seen.cancelled)
    seen.cancelled = undefined
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 30)
    const cancelled = await t.throwsAsync(e.Unary({ n: 1, text: 'wait' }, { signal: ac.signal }), { instanceOf: RpcError })
    t.is(cancelled.code, status.CANCELLED)
    t.is(seen.deadline, undefined, 'a call without a deadline')
    for (let i = 0; i < 100 && seen.cancelled === undefined; i++) await new Promise((r) => setTimeout(r, 10))
    t.true(seen.cancelled)
    // Leaving a stream of responses early cancels the call.
    seen.cancelled = undefined
    for await (const r of e.Server({ n: 1000 })) if (r.n === 2) break
    for (let i = 0; i < 100 && seen.cancelled === undefined; i++) await new Promise((r) => setTimeout(r, 10))
    t.true(seen.cancelled)
    const already = new AbortController()
    already.abort()
    t.like(await t.throwsAsync(e.Unary({ n: 1, text: '' }, { signal: already.signal }), { instanceOf: RpcError }), { code: status.CANCELLED })
  })
})

both('a request that does not decode is INVALID_ARGUMENT with the ProtoError in the status; the server goes on', async (t) => {
  const reached: string[] = []
  const handlers = { ...greeterHandlers, SayHello: (r: { name: string }) => (reached.push(r.name), { message: `Hello, ${r.name}!` }) }
  await serving(Greeter, handlers, async (channel) => {
    const cases: [string, Uint8Array, object][] = [
      ['truncated', Uint8Array.of(0x0a, 0x05, 0x41, 0x6c), { kind: 'truncated', path: 'name(1)', offset: 2 }],
      ['invalid UTF-8', Uint8Array.of(0x0a, 0x02, 0xc3, 0x28), { kind: 'invalid-utf8', path: 'name(1)', offset: 2 }],
      ['wire type 7', Uint8Array.of(0x0f), { kind: 'invalid-wire-type', path: '', offset: 0 }],
    ]
    for (const [what, bytes, info] of cases) {
      const e = await t.throwsAsync(rawUnary(channel, '/Greeter/SayHello', bytes), { instanceOf: RpcError }, what)
      t.is(e.code, status.INVALID_ARGUMENT, what)
      t.regex(e.details, /^request: /, what)
      t.like(e.protoError, { ...info, message: 'request' }, what)
    }
    t.deepEqual(reached, [], 'no handler sees a request that did not decode')
    // In a stream, the status names the message; the handler's iteration throws it.
    const g = client(Greeter, channel)
    const call = channel.makeClientStreamRequest('/Greeter/SayHelloToAll', id, id, new Metadata(), {}, () => {})
    const result = new Promise<RpcError>((resolve) => call.on('status', (s) => resolve(RpcError.from(s))))
    call.write(Buffer.from(encodeOrThrow(HelloRequest, { name: 'ok' })))
    call.write(Buffer.of(0x0a, 0x05, 0x41))
    call.end()
    const s = await result
    t.is(s.code, status.INVALID_ARGUMENT)
    t.like(s.protoError, { kind: 'truncated', path: 'name(1)', message: 'request[1]' })
    const bidi = channel.makeBidiStreamRequest('/Greeter/Chat', id, id, new Metadata(), {})
    bidi.on('data', () => {})
    bidi.on('error', () => {})
    const bidiStatus = new Promise<RpcError>((resolve) => bidi.on('status', (x) => resolve(RpcError.from(x))))
    bidi.write(Buffer.of(0xff))
    bidi.end()
    t.like((await bidiStatus).protoError, { kind: 'truncated', message: 'request[0]' })
    const stream = channel.makeServerStreamRequest('/Greeter/SayHelloInLanguages', id, id, Buffer.of(0x0a, 0x09), new Metadata(), {})
    stream.on('data', () => {})
    stream.on('error', () => {})
    const streamStatus = new Promise<RpcError>((resolve) => stream.on('status', (x) => resolve(RpcError.from(x))))
    t.like((await streamStatus).protoError, { kind: 'truncated', message: 'request' })
    t.deepEqual(await g.SayHello({ name: 'still here' }), { message: 'Hello, still here!' })
  })
})

both("a handler's value that does not encode is INTERNAL with its path; the server goes on", async (t) => {
  await serving(Echo, echoHandlers({}), async (channel) => {
    const e = client(Echo, channel)
    const u = await t.throwsAsync(e.Unary({ n: 99, text: '' }), { instanceOf: RpcError })
    t.is(u.code, status.INTERNAL)
    t.like(u.protoError, { kind: 'out-of-range', path: 'n(1)', offset: undefined, message: 'response' })
    t.regex(u.details, /^response: out-of-range \(at n\(1\)\)/)
    // The third of five responses does not encode: two arrive, then the status.
    const got: number[] = []
    const s = await t.throwsAsync(
      (async () => {
        for await (const r of e.Server({ n: 5 })) got.push(r.n)
      })(),
      { instanceOf: RpcError },
    )
    t.deepEqual(got, [1, 2])
    t.like(s, { code: status.INTERNAL, protoError: { kind: 'out-of-range', message: 'response[2]' } })
    t.like(await t.throwsAsync(e.Client([{ n: 50 }, { n: 49 }]), { instanceOf: RpcError }), { code: status.INTERNAL, protoError: { message: 'response' } })
    t.like(await t.throwsAsync(collect(e.Bidi([{ n: 1 }, { n: 99 }])), { instanceOf: RpcError }), { code: status.INTERNAL, protoError: { message: 'response[1]' } })
    t.deepEqual(await e.Unary({ n: 3, text: '' }), { n: 3 })
  })
})

both("the client's own failures: a request that does not encode is its ProtoError, and nothing is sent; a response that does not decode is INTERNAL", async (t) => {
  let calls = 0
  await serving(Echo, { ...echoHandlers({}), Unary: ({ n }) => (calls++, { n }) }, async (channel) => {
    const e = client(Echo, channel)
    await t.throwsAsync(e.Unary({ n: -1, text: '' }), { instanceOf: ProtoError, message: /^out-of-range \(at n\(1\)\)/ })
    await t.throwsAsync(e.Client([{ n: 1 }, { n: 'x' as never }]), { instanceOf: ProtoError, message: /^invalid-value \(at n\(1\)\)/ })
    await t.throwsAsync(collect(e.Bidi([{ n: 1.5 }])), { instanceOf: ProtoError })
    await t.throwsAsync(collect(e.Server({ n: -2 })), { instanceOf: ProtoError })
    t.is(calls, 0)
  })
  // A server that answers bytes that are not a reply.
  const server = new Server()
  const bad = Buffer.of(0x08, 0x80)
  server.addService(
    { Unary: { ...Echo.definition.Unary!, responseSerialize: id }, Server: { ...Echo.definition.Server!, responseSerialize: id } },
    {
      Unary: (_call: unknown, cb: (e: null, r: Buffer) => void) => cb(null, bad),
      Server: (call: { write(b: Buffer): void; end(): void }) => (call.write(Buffer.of(0x08, 0x01)), call.write(bad), call.end()),
    },
  )
  const port = await listen(server)
  const channel = new Client(`127.0.0.1:${port}`, credentials.createInsecure())
  try {
    const e = client(Echo, channel)
    const u = await t.throwsAsync(e.Unary({ n: 1, text: '' }), { instanceOf: RpcError })
    t.like(u, { code: status.INTERNAL, protoError: { kind: 'truncated', path: 'n(1)', offset: 1, message: 'response' } })
    const got: number[] = []
    const s = await t.throwsAsync(
      (async () => {
        for await (const r of e.Server({ n: 1 })) got.push(r.n)
      })(),
      { instanceOf: RpcError },
    )
    t.deepEqual(got, [1])
    t.like(s, { code: status.INTERNAL, protoError: { message: 'response[1]' } })
  } finally {
    channel.close()
    server.forceShutdown()
  }
})

test.serial('the status details are a google.rpc.Status with an ErrorInfo, as protoc reads them', async (t) => {
  await serving(Greeter, greeterHandlers, async (channel) => {
    const e = await t.throwsAsync(rawUnary(channel, '/Greeter/SayHello', Uint8Array.of(0x0a, 0x05, 0x41, 0x6c)), { instanceOf: RpcError })
    const bin = e.metadata.get('grpc-status-details-bin')[0] as Buffer
    const raw = spawnSync('protoc', ['--decode_raw'], { input: bin })
    t.is(raw.status, 0)
    const text = raw.stdout.toString()
    t.regex(text, /^1: 3\n2: "request: truncated \(at name\(1\), byte 2\): /)
    t.regex(text, /1: "type.googleapis.com\/google.rpc.ErrorInfo"/)
    // The Any's value, an ErrorInfo, which decode_raw opens as a message.
    t.regex(text, /1: "TRUNCATED"\n\s+2: "protoplate"/)
    t.regex(text, /3 \{\n\s+1: "path"\n\s+2: "name\(1\)"\n\s+\}/)
  })
})

test.serial('addService wants a handler for every method', (t) => {
  t.throws(() => addService(new Server(), Greeter, { SayHello: greeterHandlers.SayHello } as never), { instanceOf: TypeError, message: '/Greeter/SayHelloInLanguages has no handler' })
})
