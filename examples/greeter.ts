/**
 * The Greeter of the gRPC walkthrough (seeds/000), on protoplate/grpc:
 * greet.proto's service declared with templates, its handlers, and a demo
 * that serves it on loopback and calls each method with a client made from
 * greet.proto itself. `greeter-server.ts` and `greeter-client.ts` are the
 * seed's server.py and client.py, in TypeScript.
 *
 * @module
 */
import { Client, credentials, Metadata, Server } from '@grpc/grpc-js'
import { message, string, defaulted } from '../src/index.js'
import { loadProto } from '../schema/index.js'
import { addService, bidiStreaming, client, clientStreaming, type Handlers, listen, RpcError, service, serverStreaming, serviceOf, unary } from '../grpc/index.js'
import { check, type Log, show } from './lib.js'

export const HelloRequest = message({ name: defaulted(string(1)) })
export const HelloReply = message({ message: defaulted(string(1)) })

/** greet.proto's `service Greeter` (no package, as in the seed): its path is `/Greeter/SayHello`. */
export const Greeter = service('Greeter', {
  SayHello: unary(HelloRequest, HelloReply),
  SayHelloInLanguages: serverStreaming(HelloRequest, HelloReply),
  SayHelloToAll: clientStreaming(HelloRequest, HelloReply),
  Chat: bidiStreaming(HelloRequest, HelloReply),
})

const HELLOS = ['Hello, %!', 'Bonjour, % !', 'Hallo, %!', '¡Hola, %!', 'Ciao, %!']

/** Joins names as a sentence: `Ann, Bob and Cy`. */
const and = (names: readonly string[]): string => (names.length <= 1 ? (names[0] ?? 'nobody') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`)

export const greeterHandlers: Handlers<typeof Greeter.methods> = {
  SayHello: ({ name }) => ({ message: `Hello, ${name}!` }),
  async *SayHelloInLanguages({ name }, call) {
    for (const hello of HELLOS) {
      if (call.cancelled) return
      yield { message: hello.replace('%', name) }
    }
  },
  async SayHelloToAll(requests) {
    const names: string[] = []
    for await (const { name } of requests) names.push(name)
    return { message: `Hello, ${and(names)}!` }
  },
  async *Chat(requests, call) {
    call.sendMetadata(new Metadata()) // headers at once, before the first name comes
    let n = 0
    for await (const { name } of requests) yield { message: `Hello, ${name}! (${++n})` }
  },
}

/** A server of the Greeter, listening on `address`; resolves to it and its port. */
export async function greeterServer(address?: string): Promise<{ server: Server; port: number }> {
  const server = new Server()
  addService(server, Greeter, greeterHandlers)
  const port = await listen(server, address)
  return { server, port }
}

async function collect<A>(xs: AsyncIterable<A>): Promise<A[]> {
  const out: A[] = []
  for await (const x of xs) out.push(x)
  return out
}

/**
 * `npm run demo`'s Greeter: a server on a free port of 127.0.0.1, and a
 * client of the service as greet.proto declares it (loadProto), which
 * calls each method; then a request that is not a HelloRequest, answered
 * INVALID_ARGUMENT with where it broke, after which the server still
 * answers.
 */
export async function greeterDemo(log: Log): Promise<void> {
  const { server, port } = await greeterServer()
  const channel = new Client(`127.0.0.1:${port}`, credentials.createInsecure())
  try {
    const greet = loadProto('greet.proto', { includePaths: [new URL('../../examples/', import.meta.url).pathname] })
    const greeter = client(serviceOf(greet, 'Greeter'), channel)
    log(`Greeter on a free port of 127.0.0.1, methods ${Object.keys(Greeter.methods).join(', ')}`)
    const reply = await greeter.SayHello!({ name: 'Alice' }, { timeout: 5000 })
    log(`SayHello({ name: 'Alice' }) → ${show(reply)}`)
    check(reply.message === 'Hello, Alice!', 'SayHello answers as the seed')
    const langs: { message: string }[] = await collect(greeter.SayHelloInLanguages!({ name: 'Bob' }))
    log(`SayHelloInLanguages({ name: 'Bob' }) → ${langs.map((r) => r.message).join(' | ')}`)
    check(langs.length === HELLOS.length, 'one greeting a language')
    const all = await greeter.SayHelloToAll!([{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cy' }])
    log(`SayHelloToAll(Ann, Bob, Cy) → ${show(all)}`)
    const chat: { message: string }[] = await collect(greeter.Chat!([{ name: 'Dee' }, { name: 'Eve' }]))
    log(`Chat(Dee, Eve) → ${chat.map((r) => r.message).join(' | ')}`)
    check(chat.length === 2, 'a reply a name')
    // Bytes that are not a HelloRequest: field 1 says 5 bytes of string and only 2 follow.
    const broken = new Uint8Array([0x0a, 0x05, 0x41, 0x6c])
    try {
      await rawCall(channel, broken)
      check(false, 'a truncated request fails')
    } catch (e) {
      check(e instanceof RpcError && e.code === 3, 'a truncated request is INVALID_ARGUMENT')
      const err = e as RpcError
      log(`SayHello(0a 05 41 6c) → ${err.message}`)
      log(`  protoError ${show(err.protoError)}`)
    }
    const again = await greeter.SayHello!({ name: 'Alice' })
    log(`and the server still answers: ${show(again)}`)
  } finally {
    channel.close()
    server.forceShutdown()
  }
}

/** A unary call of /Greeter/SayHello with bytes as they are, as a broken peer would send them. */
function rawCall(channel: Client, bytes: Uint8Array): Promise<Buffer> {
  const id = (b: Buffer) => b
  return new Promise((resolve, reject) =>
    channel.makeUnaryRequest('/Greeter/SayHello', id, id, Buffer.from(bytes), (e, r) => (e ? reject(RpcError.from(e)) : resolve(r!))),
  )
}
