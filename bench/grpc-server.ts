/**
 * The servers of the gRPC cells (bench/grpc.ts), in a process of their
 * own so that the client and the server do not share an event loop: the
 * same service (bench/grpc.proto) three times, each on a grpc-js `Server`
 * with default options on a free port of 127.0.0.1:
 *
 * - `proto-loader`: the usual way, @grpc/proto-loader's package definition
 *   (protobufjs reflection, with the options grpc's examples use);
 * - `protoplate`: protoplate/grpc, the service from the same .proto;
 * - `no codec`: grpc-js with bytes in and out, the reply bytes made
 *   beforehand: what grpc-js itself costs.
 *
 * Prints the ports as one JSON line, then serves until its stdin closes.
 */
import { fileURLToPath } from 'node:url'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import { encodeOrThrow } from '../src/index.js'
import { loadProto } from '../schema/index.js'
import { addService, listen, serviceOf } from '../grpc/index.js'

export const PROTO = fileURLToPath(new URL('../../bench/grpc.proto', import.meta.url))
export const INCLUDE = [fileURLToPath(new URL('../../bench/', import.meta.url)), fileURLToPath(new URL('../../bench/protos/', import.meta.url))]
export const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: INCLUDE }

export const schema = () => loadProto('grpc.proto', { includePaths: INCLUDE })
const reply = (name: string) => ({ message: `Hello, ${name}!` })

/** Writes `count` replies, waiting for the stream to drain when it asks. */
async function replies(call: grpc.ServerWritableStream<unknown, unknown>, value: unknown, count: number): Promise<void> {
  for (let i = 0; i < count; i++) if (!call.write(value)) await new Promise<void>((r) => call.once('drain', r))
  call.end()
}

function protoLoaderServer(): grpc.Server {
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO, LOADER_OPTIONS)) as unknown as { bench: { grpc: { Bench: { service: grpc.ServiceDefinition } } } }
  const server = new grpc.Server()
  server.addService(pkg.bench.grpc.Bench.service, {
    SayHello: (call: grpc.ServerUnaryCall<{ name: string }, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, reply(call.request.name)),
    Echo: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, call.request),
    Replies: (call: grpc.ServerWritableStream<{ name: string; count: number }, unknown>) => void replies(call, reply(call.request.name), call.request.count),
    Chat: (call: grpc.ServerDuplexStream<{ name: string }, unknown>) => {
      call.on('data', (r: { name: string }) => call.write(reply(r.name)))
      call.on('end', () => call.end())
    },
  })
  return server
}

function protoplateServer(): grpc.Server {
  const server = new grpc.Server()
  addService(server, serviceOf(schema(), 'bench.grpc.Bench'), {
    SayHello: ({ name }: { name: string }) => reply(name),
    Echo: (book: unknown) => book,
    // A generator, as proto-loader's handler writes in a loop: protoplate writes
    // a sync iterable without a wait between values (an async generator would
    // wait a promise a value).
    *Replies({ name, count }: { name: string; count: number }) {
      const r = reply(name)
      for (let i = 0; i < count; i++) yield r
    },
    async *Chat(requests: AsyncIterable<{ name: string }>) {
      for await (const { name } of requests) yield reply(name)
    },
  })
  return server
}

function rawServer(): grpc.Server {
  const s = schema()
  const id = (b: Buffer) => b
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO, LOADER_OPTIONS)) as unknown as { bench: { grpc: { Bench: { service: grpc.ServiceDefinition } } } }
  const definition = Object.fromEntries(
    Object.entries(pkg.bench.grpc.Bench.service).map(([k, m]) => [k, { ...m, requestSerialize: id, requestDeserialize: id, responseSerialize: id, responseDeserialize: id }]),
  )
  const hello = Buffer.from(encodeOrThrow(s.template('bench.grpc.HelloReply'), reply('Alice')))
  const server = new grpc.Server()
  server.addService(definition, {
    SayHello: (_call: unknown, cb: grpc.sendUnaryData<Buffer>) => cb(null, hello),
    Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request),
    Replies: (call: grpc.ServerWritableStream<Buffer, Buffer>) => void replies(call, hello, countOf(call.request)),
    Chat: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      call.on('data', () => call.write(hello))
      call.on('end', () => call.end())
    },
  })
  return server
}

/** RepliesRequest's count (field 2, a varint) from its bytes: the no-codec server reads only that. */
function countOf(b: Buffer): number {
  let i = 0
  while (i < b.length) {
    const key = b[i++]!
    if (key === 0x10) {
      let n = 0
      let shift = 0
      for (;;) {
        const x = b[i++]!
        n += (x & 0x7f) * 2 ** shift
        if (x < 0x80) return n
        shift += 7
      }
    }
    i += 1 + b[i]! // field 1, a short string
  }
  return 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const servers = { 'proto-loader': protoLoaderServer(), protoplate: protoplateServer(), 'no codec': rawServer() }
  const ports: Record<string, number> = {}
  for (const [name, server] of Object.entries(servers)) ports[name] = await listen(server)
  console.log(JSON.stringify(ports))
  process.stdin.resume()
  process.stdin.on('end', () => {
    for (const s of Object.values(servers)) s.forceShutdown()
    process.exit(0)
  })
}
