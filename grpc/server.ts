/**
 * Serving a service on a grpc-js `Server` with typed handlers: a unary
 * handler returns its response (or a promise of it), a streaming one
 * yields its responses (an async generator) and reads its requests as an
 * async iterable.
 *
 * Messages are encoded and decoded here, not by grpc-js, so that a request
 * that does not decode is answered `INVALID_ARGUMENT` and a response that
 * does not encode `INTERNAL`, each with the `ProtoError` in the status
 * (status.ts); the server goes on serving other calls.
 *
 * @module
 */
import type { Writable } from 'node:stream'
import {
  Metadata,
  type Server,
  ServerCredentials,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  status as Status,
  type UntypedServiceImplementation,
  type ServiceDefinition,
} from '@grpc/grpc-js'
import { type Encodable, ProtoError } from '../src/index.js'
import { type Kind, lenientDeserializer, type Method, type Methods, pathOf, serializer, type Service, Undecodable } from './service.js'
import { Inbox, NONE } from './inbox.js'
import { protoErrorStatus, RpcError, statusOfThrown } from './status.js'

/** What a handler knows of its call besides the request. */
export interface CallContext {
  /** The client's metadata. */
  readonly metadata: Metadata
  /** When the call's deadline passes, or undefined when it has none. */
  readonly deadline: Date | undefined
  /** Aborted when the client cancels the call or its deadline passes: pass it on to what the handler waits for. */
  readonly signal: AbortSignal
  readonly cancelled: boolean
  /** The client's address. */
  readonly peer: string
  /** Sends the response headers now (otherwise they go, empty, with the first response). */
  sendMetadata(metadata: Metadata): void
  /** Trailing metadata, sent with the status; a handler adds to it. */
  readonly trailers: Metadata
}

type Sync<A> = A | Promise<A>
type Values<A> = AsyncIterable<A> | Iterable<A>

/** The handler of a method, by its kind. */
export type Handler<T> =
  T extends Method<infer Req, infer Res, infer K>
    ? [Kind] extends [K]
      ? AnyHandler
      : K extends 'unary'
      ? (request: Req, call: CallContext) => Sync<Encodable<Res>>
      : K extends 'server-streaming'
        ? (request: Req, call: CallContext) => Values<Encodable<Res>>
        : K extends 'client-streaming'
          ? (requests: AsyncIterable<Req>, call: CallContext) => Sync<Encodable<Res>>
          : (requests: AsyncIterable<Req>, call: CallContext) => Values<Encodable<Res>>
    : never

/** The handler of a method whose kind is known at run time only (a schema's, from `serviceOf`): it is written as its kind says. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = (input: any, call: CallContext) => any

/** A handler for every method of a service, by the methods' names. */
export type Handlers<M extends Methods> = { readonly [K in keyof M]: Handler<M[K]> }

type AnyCall = ServerUnaryCall<unknown, Buffer> | ServerReadableStream<unknown, Buffer> | ServerWritableStream<unknown, Buffer> | ServerDuplexStream<unknown, Buffer>

class Context implements CallContext {
  #controller: AbortController | undefined
  #trailers: Metadata | undefined

  constructor(readonly call: AnyCall) {}

  get metadata(): Metadata {
    return this.call.metadata
  }

  get deadline(): Date | undefined {
    const d = this.call.getDeadline()
    return d === Infinity ? undefined : new Date(d)
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const c = (this.#controller = new AbortController())
      const abort = () => c.abort(new RpcError(Status.CANCELLED, 'the call was cancelled or its deadline passed'))
      if (this.call.cancelled) abort()
      else (this.call as NodeJS.EventEmitter).once('cancelled', abort)
    }
    return this.#controller.signal
  }

  get cancelled(): boolean {
    return this.call.cancelled
  }

  get peer(): string {
    return this.call.getPeer()
  }

  sendMetadata(metadata: Metadata): void {
    this.call.sendMetadata(metadata)
  }

  get trailers(): Metadata {
    return (this.#trailers ??= new Metadata())
  }

  /** The trailers the handler set, if it set any. */
  get setTrailers(): Metadata | undefined {
    return this.#trailers
  }

  /** An error status, with the trailers the handler set before it failed. */
  failure(e: unknown): RpcError {
    const s = statusOfThrown(e)
    if (this.#trailers === undefined) return s
    const metadata = this.#trailers.clone()
    metadata.merge(s.metadata)
    return new RpcError(s.code, s.details, metadata)
  }
}

/** Resolves when a stream takes writes again, or will never take another (cancelled, closed). */
function writable(s: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      s.off('drain', done)
      s.off('cancelled', done)
      s.off('close', done)
      resolve()
    }
    s.on('drain', done)
    s.on('cancelled', done)
    s.on('close', done)
  })
}

const isPromise = <A>(x: Sync<A>): x is Promise<A> => typeof (x as { then?: unknown } | null)?.then === 'function'

/** A response's encode, with the ProtoError as the status it answers (naming the response by its index in a stream). */
function encoder<A>(m: Method<unknown, A>): (value: Encodable<A>, index?: number) => Buffer {
  const encode = serializer(m.response)
  return (value, index) => {
    try {
      return encode(value)
    } catch (e) {
      if (e instanceof ProtoError) throw protoErrorStatus(e, index === undefined ? 'response' : `response[${index}]`)
      throw e
    }
  }
}

type Out = ServerWritableStream<unknown, Buffer> | ServerDuplexStream<unknown, Buffer>

/**
 * Writes the responses a handler gives, heeding back-pressure, until they
 * end or the call is cancelled. A sync iterable (an array, a generator) is
 * read without a wait between its values.
 */
async function writeAll(values: Values<unknown>, call: Out, encode: (v: never, index?: number) => Buffer): Promise<void> {
  let i = 0
  if (Symbol.iterator in values) {
    for (const v of values) {
      if (call.cancelled) return
      if (!call.write(encode(v as never, i++))) await writable(call)
    }
    return
  }
  for await (const v of values) {
    if (call.cancelled) return
    if (!call.write(encode(v as never, i++))) await writable(call)
  }
}

/**
 * The requests of a streaming call, as an async iterable (over an
 * `Inbox`): the first that did not decode ends them with INVALID_ARGUMENT,
 * which stays the call's status whatever the handler does then; a
 * cancelled call ends them with CANCELLED.
 */
class Requests implements AsyncIterable<unknown> {
  failure: RpcError | undefined
  #inbox: Inbox | undefined

  constructor(readonly call: ServerReadableStream<unknown, Buffer> | ServerDuplexStream<unknown, Buffer>) {}

  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    const inbox = (this.#inbox ??= new Inbox(this.call))
    let i = 0
    return {
      next: async () => {
        for (;;) {
          const r = inbox.take()
          if (r !== NONE) {
            if (r instanceof Undecodable) throw (this.failure = protoErrorStatus(r.error, `request[${i}]`))
            i++
            return { done: false, value: r }
          }
          if (this.failure !== undefined) throw this.failure
          if (inbox.over === 'end') return { done: true, value: undefined }
          if (inbox.over === 'close' || this.call.cancelled) throw new RpcError(Status.CANCELLED, 'the call was cancelled or its deadline passed')
          await inbox.wait()
        }
      },
    }
  }
}

function unaryHandler(m: Method<unknown, unknown>, h: AnyHandler) {
  const encode = encoder(m)
  return (call: ServerUnaryCall<unknown, Buffer>, callback: sendUnaryData<Buffer>): void => {
    const request = call.request
    if (request instanceof Undecodable) return callback(protoErrorStatus(request.error, 'request'))
    const ctx = new Context(call)
    const reply = (value: unknown): void => {
      let bytes: Buffer
      try {
        bytes = encode(value as never)
      } catch (e) {
        return callback(ctx.failure(e))
      }
      callback(null, bytes, ctx.setTrailers)
    }
    let result: unknown
    try {
      result = h(request as never, ctx)
    } catch (e) {
      return callback(ctx.failure(e))
    }
    if (isPromise(result)) result.then(reply, (e: unknown) => callback(ctx.failure(e)))
    else reply(result)
  }
}

function clientStreamingHandler(m: Method<unknown, unknown>, h: AnyHandler) {
  const encode = encoder(m)
  return async (call: ServerReadableStream<unknown, Buffer>, callback: sendUnaryData<Buffer>): Promise<void> => {
    const ctx = new Context(call)
    const requests = new Requests(call)
    let bytes: Buffer
    try {
      const value = await (h(requests as never, ctx) as Sync<unknown>)
      if (requests.failure !== undefined) throw requests.failure
      bytes = encode(value as never)
    } catch (e) {
      return callback(ctx.failure(requests.failure ?? e))
    }
    callback(null, bytes, ctx.setTrailers)
  }
}

function serverStreamingHandler(m: Method<unknown, unknown>, h: AnyHandler) {
  const encode = encoder(m)
  return async (call: ServerWritableStream<unknown, Buffer>): Promise<void> => {
    const ctx = new Context(call)
    try {
      const request = call.request
      if (request instanceof Undecodable) throw protoErrorStatus(request.error, 'request')
      await writeAll(h(request as never, ctx) as Values<unknown>, call, encode)
      if (!call.cancelled) call.end(ctx.setTrailers)
    } catch (e) {
      if (!call.cancelled) call.emit('error', ctx.failure(e))
    }
  }
}

function bidiStreamingHandler(m: Method<unknown, unknown>, h: AnyHandler) {
  const encode = encoder(m)
  return async (call: ServerDuplexStream<unknown, Buffer>): Promise<void> => {
    const ctx = new Context(call)
    const requests = new Requests(call)
    try {
      await writeAll(h(requests as never, ctx) as Values<unknown>, call, encode)
      if (requests.failure !== undefined) throw requests.failure
      if (!call.cancelled) call.end(ctx.setTrailers)
    } catch (e) {
      if (!call.cancelled) call.emit('error', ctx.failure(requests.failure ?? e))
    }
  }
}

const HANDLERS = {
  unary: unaryHandler,
  'client-streaming': clientStreamingHandler,
  'server-streaming': serverStreamingHandler,
  'bidi-streaming': bidiStreamingHandler,
} as const

const identity = (bytes: Buffer): Buffer => bytes

/** The definition grpc-js serves: requests decode to a value or an `Undecodable`; responses are already bytes. */
function servingDefinition(s: Service<Methods>): ServiceDefinition {
  const out: Record<string, ServiceDefinition[string]> = {}
  for (const [name, m] of Object.entries(s.methods)) {
    out[name] = { ...s.definition[name]!, requestDeserialize: lenientDeserializer(m.request), responseSerialize: identity }
  }
  return out
}

/**
 * Serves a service on a grpc-js server, with one handler a method (every
 * method must have one).
 *
 * A handler that throws an `RpcError` answers with its status; one that
 * throws anything else answers `UNKNOWN` with its message.
 *
 * @throws TypeError when a method has no handler.
 */
export function addService<M extends Methods>(server: Server, service: Service<M>, handlers: Handlers<M>): void {
  const impl: UntypedServiceImplementation = {}
  for (const [name, m] of Object.entries(service.methods)) {
    const h = (handlers as Readonly<Record<string, AnyHandler>>)[name]
    if (typeof h !== 'function') throw new TypeError(`${pathOf(service.name, name)} has no handler`)
    impl[name] = HANDLERS[m.kind](m, h) as UntypedServiceImplementation[string]
  }
  server.addService(servingDefinition(service), impl)
}

/**
 * Binds a server to an address (`'127.0.0.1:0'` by default: a free port on
 * loopback), without TLS unless credentials are given, and resolves to the
 * port it listens on.
 */
export function listen(server: Server, address = '127.0.0.1:0', credentials: ServerCredentials = ServerCredentials.createInsecure()): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync(address, credentials, (e, port) => (e === null ? resolve(port) : reject(e))))
}
