/**
 * A service: its full name and its methods, each a request template, a
 * response template and whether either side streams. Declared with
 * templates (`service('helloworld.Greeter', { SayHello: unary(HelloRequest,
 * HelloReply) })`) or taken from a schema's `service` (`serviceOf(schema,
 * 'helloworld.Greeter')`); either gives the same kind of object, and its
 * `definition` is a grpc-js `ServiceDefinition` whose (de)serializers are the
 * templates' codecs.
 *
 * @module
 */
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js'
import { decodeOrThrow, encodeOrThrow, type Encodable, ProtoError, type Template } from '../src/index.js'
import type { Schema, SchemaValue } from '../schema/index.js'

/** Whether the request, the response, both or neither is a stream. */
export type Kind = 'unary' | 'server-streaming' | 'client-streaming' | 'bidi-streaming'

/** One method: its kind and its messages' templates. */
export interface Method<Req, Res, K extends Kind = Kind> {
  readonly kind: K
  readonly request: Template<Req>
  readonly response: Template<Res>
}

export type Methods = { readonly [name: string]: Method<any, any> }

/** One request, one response. */
export const unary = <Req, Res>(request: Template<Req>, response: Template<Res>): Method<Req, Res, 'unary'> => ({ kind: 'unary', request, response })
/** One request, a stream of responses. */
export const serverStreaming = <Req, Res>(request: Template<Req>, response: Template<Res>): Method<Req, Res, 'server-streaming'> => ({
  kind: 'server-streaming',
  request,
  response,
})
/** A stream of requests, one response. */
export const clientStreaming = <Req, Res>(request: Template<Req>, response: Template<Res>): Method<Req, Res, 'client-streaming'> => ({
  kind: 'client-streaming',
  request,
  response,
})
/** A stream each way, independent of each other. */
export const bidiStreaming = <Req, Res>(request: Template<Req>, response: Template<Res>): Method<Req, Res, 'bidi-streaming'> => ({
  kind: 'bidi-streaming',
  request,
  response,
})

export interface Service<M extends Methods> {
  /** The full name (`helloworld.Greeter`): a method's path is `/helloworld.Greeter/SayHello`. */
  readonly name: string
  readonly methods: M
  /**
   * For grpc-js itself (`server.addService`, `makeGenericClientConstructor`):
   * the request and response (de)serializers are the templates' encode and
   * decode, which throw a `ProtoError` (grpc-js then answers `INTERNAL`
   * without it). protoplate's own `addService` and `client` answer
   * `INVALID_ARGUMENT` with the error instead (status.ts).
   */
  readonly definition: ServiceDefinition
}

/** A method's path on the wire. */
export const pathOf = (service: string, method: string): string => `/${service}/${method}`

/** A template's encode as a grpc-js serializer: a Buffer over the encoded bytes, not a copy. */
export function serializer<A>(template: Template<A>): (value: Encodable<A>) => Buffer {
  return (value) => {
    const bytes = encodeOrThrow(template as Template<unknown>, value)
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
}

/** A template's decode as a grpc-js deserializer. */
export const deserializer =
  <A>(template: Template<A>) =>
  (bytes: Buffer): A =>
    decodeOrThrow(template, bytes)

/** A message that did not decode, passed on by the deserializers of protoplate's own server and client, so that they answer with the error. */
export class Undecodable {
  constructor(readonly error: ProtoError) {}
}

/** A template's decode that gives the error as a value. */
export function lenientDeserializer<A>(template: Template<A>): (bytes: Buffer) => A | Undecodable {
  return (bytes) => {
    try {
      return decodeOrThrow(template, bytes)
    } catch (e) {
      if (e instanceof ProtoError) return new Undecodable(e)
      throw e
    }
  }
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1)

function definitionOf(name: string, methods: Methods): ServiceDefinition {
  const out: Record<string, MethodDefinition<unknown, unknown>> = {}
  for (const [method, m] of Object.entries(methods)) {
    out[method] = {
      path: pathOf(name, method),
      requestStream: m.kind === 'client-streaming' || m.kind === 'bidi-streaming',
      responseStream: m.kind === 'server-streaming' || m.kind === 'bidi-streaming',
      requestSerialize: serializer(m.request) as (value: unknown) => Buffer,
      requestDeserialize: deserializer(m.request),
      responseSerialize: serializer(m.response) as (value: unknown) => Buffer,
      responseDeserialize: deserializer(m.response),
      originalName: lowerFirst(method),
    }
  }
  return out
}

const KINDS: readonly Kind[] = ['unary', 'server-streaming', 'client-streaming', 'bidi-streaming']

/**
 * A service from templates: its full name (with its package) and, for each
 * method by the name it has in the .proto, `unary`, `serverStreaming`,
 * `clientStreaming` or `bidiStreaming` of its request and response
 * templates.
 *
 * @throws TypeError for a name that is not a dotted identifier, or a method that is not one of those.
 */
export function service<const M extends Methods>(name: string, methods: M): Service<M> {
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(name)) throw new TypeError(`a service's full name is a dotted identifier, not ${JSON.stringify(name)}`)
  for (const [method, m] of Object.entries(methods)) {
    if (!/^[A-Za-z_]\w*$/.test(method)) throw new TypeError(`${name}: a method's name is an identifier, not ${JSON.stringify(method)}`)
    if (typeof m !== 'object' || m === null || !KINDS.includes(m.kind)) {
      throw new TypeError(`${name}.${method}: not a method (make one with unary, serverStreaming, clientStreaming or bidiStreaming)`)
    }
  }
  return { name, methods, definition: definitionOf(name, methods) }
}

const KIND_OF = (clientStreaming: boolean, serverStreaming: boolean): Kind =>
  clientStreaming ? (serverStreaming ? 'bidi-streaming' : 'client-streaming') : serverStreaming ? 'server-streaming' : 'unary'

/**
 * The service of that full name in a schema (`loadProto`, `fromDescriptorSet`):
 * its methods' templates are the schema's, made when the service is.
 *
 * @throws SchemaError when the schema has no such service, or a message of it no template can express.
 */
export function serviceOf(schema: Schema, name: string): Service<{ readonly [method: string]: Method<SchemaValue, SchemaValue> }> {
  const s = schema.service(name)
  const full = name.startsWith('.') ? name.slice(1) : name
  const methods: Record<string, Method<SchemaValue, SchemaValue>> = {}
  for (const m of s.method) {
    methods[m.name ?? ''] = {
      kind: KIND_OF(m.client_streaming === true, m.server_streaming === true),
      request: schema.template(m.input_type ?? ''),
      response: schema.template(m.output_type ?? ''),
    }
  }
  return service(full, methods)
}
