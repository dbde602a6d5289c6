/**
 * Calling a service through a grpc-js `Client` (the channel): a unary
 * call is a promise of its response, a stream of responses is an async
 * iterable, a stream of requests any iterable or async iterable.
 *
 * A request is encoded here, before anything is sent: one that does not
 * encode rejects with its `ProtoError`. A response that does not decode
 * ends the call with `INTERNAL` and the error (`RpcError.protoError`).
 * Every other failure is an `RpcError` with the call's status.
 *
 * @module
 */
import type { Writable } from 'node:stream'
import { type CallOptions as GrpcCallOptions, type Client as Channel, Metadata, status as Status, type StatusObject } from '@grpc/grpc-js'
import { type Encodable, ProtoError } from '../src/index.js'
import { type Kind, lenientDeserializer, type Method, type Methods, pathOf, serializer, type Service, Undecodable } from './service.js'
import { type Incoming, Inbox, NONE } from './inbox.js'
import { protoErrorStatus, RpcError } from './status.js'

export interface CallOptions {
  /** Metadata sent with the call. */
  readonly metadata?: Metadata
  /** The call fails with DEADLINE_EXCEEDED after this many milliseconds. */
  readonly timeout?: number
  /** The call fails with DEADLINE_EXCEEDED at this time. */
  readonly deadline?: Date
  /** Cancels the call (it fails with CANCELLED). */
  readonly signal?: AbortSignal
  /** Receives the server's response headers. */
  readonly onMetadata?: (metadata: Metadata) => void
  /** Receives the call's status, with its trailing metadata, whatever it is. */
  readonly onStatus?: (status: StatusObject) => void
}

type Requests<A> = AsyncIterable<A> | Iterable<A>

/** A method as the client calls it, by its kind. */
export type ClientMethod<T> =
  T extends Method<infer Req, infer Res, infer K>
    ? [Kind] extends [K]
      ? AnyClientMethod
      : K extends 'unary'
      ? (request: Encodable<Req>, options?: CallOptions) => Promise<Res>
      : K extends 'server-streaming'
        ? (request: Encodable<Req>, options?: CallOptions) => AsyncIterable<Res>
        : K extends 'client-streaming'
          ? (requests: Requests<Encodable<Req>>, options?: CallOptions) => Promise<Res>
          : (requests: Requests<Encodable<Req>>, options?: CallOptions) => AsyncIterable<Res>
    : never

/**
 * A method whose kind is known at run time only (a schema's, from
 * `serviceOf`): it takes a request or requests as its kind does, and gives
 * a promise of its response or an async iterable of its responses.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyClientMethod = (input: any, options?: CallOptions) => any

/** Every method of a service, by its name. */
export type Client<M extends Methods> = { readonly [K in keyof M]: ClientMethod<M[K]> }

const identity = (bytes: Buffer): Buffer => bytes
const ignore = (): void => {}

interface Call {
  cancel(): void
  on(event: 'metadata', f: (m: Metadata) => void): unknown
  on(event: 'status', f: (s: StatusObject) => void): unknown
}

/** grpc-js's options of a call: its deadline. */
function optionsOf(o: CallOptions): GrpcCallOptions {
  const deadline = o.deadline ?? (o.timeout === undefined ? undefined : Date.now() + o.timeout)
  return deadline === undefined ? {} : { deadline }
}

/** Our options' hooks on a call; the signal's listener goes when the call ends. */
function hook(call: Call, o: CallOptions): void {
  if (o.onMetadata !== undefined) call.on('metadata', o.onMetadata)
  const signal = o.signal
  if (signal !== undefined) {
    const cancel = () => call.cancel()
    if (signal.aborted) cancel()
    else {
      signal.addEventListener('abort', cancel, { once: true })
      call.on('status', () => signal.removeEventListener('abort', cancel))
    }
  }
  if (o.onStatus !== undefined) call.on('status', o.onStatus)
}

/** A grpc-js failure as an RpcError (grpc-js gives a ServiceError, an Error with a status's fields). */
function failed(e: unknown): unknown {
  if (e instanceof RpcError || e instanceof ProtoError) return e
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'number') return RpcError.from(e as Partial<StatusObject>)
  return e
}

type Responding = NodeJS.ReadableStream & Call & Incoming

/**
 * The responses of a call, as an async iterator (over an `Inbox`). The
 * call starts when the iteration does (`start`), and is cancelled when it
 * stops early. A response that does not decode cancels the call and
 * throws INTERNAL; a status other than OK throws once the responses before
 * it are read; a request of the caller's that failed (`pumped.error`) is
 * thrown in place of the CANCELLED it caused.
 */
class Responses implements AsyncIterableIterator<unknown> {
  #call: Responding | undefined
  #inbox: Inbox | undefined
  #index = 0
  #status: StatusObject | undefined
  #over = false

  constructor(
    readonly start: () => Responding,
    readonly pumped?: { error?: unknown },
  ) {}

  [Symbol.asyncIterator](): this {
    return this
  }

  async next(): Promise<IteratorResult<unknown>> {
    if (this.#over) return { done: true, value: undefined }
    if (this.#inbox === undefined) {
      const call = (this.#call = this.start())
      call.on('status', (s: StatusObject) => (this.#status = s))
      this.#inbox = new Inbox(call)
    }
    const inbox = this.#inbox
    for (;;) {
      const r = inbox.take()
      if (r !== NONE) {
        if (r instanceof Undecodable) {
          this.#stop()
          throw protoErrorStatus(r.error, `response[${this.#index}]`)
        }
        this.#index++
        return { done: false, value: r }
      }
      if (inbox.over !== undefined) {
        this.#over = true
        if (this.pumped?.error !== undefined) throw this.pumped.error
        const s = this.#status
        if (s !== undefined && s.code !== 0) throw RpcError.from(s)
        if (s === undefined) throw new RpcError(Status.UNKNOWN, 'the call ended without a status')
        return { done: true, value: undefined }
      }
      await inbox.wait()
    }
  }

  /** Stops early: the call is cancelled unless it is over. */
  #stop(): void {
    if (this.#inbox?.over === undefined) this.#call?.cancel()
    this.#over = true
  }

  async return(): Promise<IteratorResult<unknown>> {
    this.#stop()
    return { done: true, value: undefined }
  }

  async throw(e?: unknown): Promise<IteratorResult<unknown>> {
    this.#stop()
    throw e
  }
}

/** Resolves when a call takes writes again, or has ended. */
function writable(call: Writable & Call): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      call.off('drain', done)
      call.off('status', done)
      resolve()
    }
    call.on('drain', done)
    call.on('status', done)
  })
}

/**
 * Writes the requests into a call and half-closes it; the first failure (a
 * request that does not encode, the iterable's own) cancels the call and
 * is kept. A sync iterable is read without a wait between its values.
 */
async function pump(requests: Requests<unknown>, call: Writable & Call, encode: (v: unknown) => Buffer, pumped: { error?: unknown; over?: boolean }): Promise<void> {
  try {
    if (Symbol.iterator in requests) {
      for (const r of requests) {
        if (pumped.over === true) return
        if (!call.write(encode(r))) await writable(call)
      }
    } else {
      for await (const r of requests) {
        if (pumped.over === true) return
        if (!call.write(encode(r))) await writable(call)
      }
    }
    if (pumped.over !== true) call.end()
  } catch (e) {
    pumped.error = e
    call.cancel()
  }
}

function unaryCall(channel: Channel, path: string, m: Method<unknown, unknown>) {
  const encode = serializer(m.request)
  const decode = lenientDeserializer(m.response)
  return (request: unknown, o: CallOptions = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      let bytes: Buffer
      try {
        bytes = encode(request)
      } catch (e) {
        return reject(e)
      }
      const call = channel.makeUnaryRequest(path, identity, decode, bytes, o.metadata ?? new Metadata(), optionsOf(o), (e, r) => {
        if (e !== null) reject(failed(e))
        else if (r instanceof Undecodable) reject(protoErrorStatus(r.error, 'response'))
        else resolve(r)
      })
      hook(call, o)
    })
}

function clientStreamingCall(channel: Channel, path: string, m: Method<unknown, unknown>) {
  const encode = serializer(m.request)
  const decode = lenientDeserializer(m.response)
  return (requests: Requests<unknown>, o: CallOptions = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const pumped: { error?: unknown; over?: boolean } = {}
      const call = channel.makeClientStreamRequest(path, identity, decode, o.metadata ?? new Metadata(), optionsOf(o), (e, r) => {
        pumped.over = true
        if (pumped.error !== undefined) reject(pumped.error)
        else if (e !== null) reject(failed(e))
        else if (r instanceof Undecodable) reject(protoErrorStatus(r.error, 'response'))
        else resolve(r)
      })
      hook(call, o)
      void pump(requests, call, encode as (v: unknown) => Buffer, pumped)
    })
}

function serverStreamingCall(channel: Channel, path: string, m: Method<unknown, unknown>) {
  const encode = serializer(m.request)
  const decode = lenientDeserializer(m.response)
  return (request: unknown, o: CallOptions = {}): AsyncIterableIterator<unknown> =>
    new Responses(() => {
      const call = channel.makeServerStreamRequest(path, identity, decode, encode(request), o.metadata ?? new Metadata(), optionsOf(o))
      call.on('error', ignore) // the iteration throws it
      hook(call, o)
      return call
    })
}

function bidiStreamingCall(channel: Channel, path: string, m: Method<unknown, unknown>) {
  const encode = serializer(m.request)
  const decode = lenientDeserializer(m.response)
  return (requests: Requests<unknown>, o: CallOptions = {}): AsyncIterableIterator<unknown> => {
    const pumped: { error?: unknown; over?: boolean } = {}
    return new Responses(() => {
      const call = channel.makeBidiStreamRequest(path, identity, decode, o.metadata ?? new Metadata(), optionsOf(o))
      call.on('error', ignore) // the iteration throws it
      hook(call, o)
      call.on('status', () => (pumped.over = true))
      void pump(requests, call, encode as (v: unknown) => Buffer, pumped)
      return call
    }, pumped)
  }
}

const CALLS = {
  unary: unaryCall,
  'client-streaming': clientStreamingCall,
  'server-streaming': serverStreamingCall,
  'bidi-streaming': bidiStreamingCall,
} as const

/**
 * A client of a service over a grpc-js client (`new Client(address,
 * credentials.createInsecure())`), which is the channel: close it with
 * its `close()`. A channel may carry the clients of several services.
 *
 * A call that streams its responses starts when its iteration does, and
 * is cancelled when the iteration stops early (`break`, a throw).
 */
export function client<M extends Methods>(service: Service<M>, channel: Channel): Client<M> {
  const out: Record<string, unknown> = {}
  for (const [name, m] of Object.entries(service.methods)) out[name] = CALLS[m.kind](channel, pathOf(service.name, name), m)
  return out as Client<M>
}
