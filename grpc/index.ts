/**
 * protoplate/grpc: gRPC services on @grpc/grpc-js, with templates as the
 * messages' codecs.
 *
 * ```ts
 * import { Client, credentials, Server } from '@grpc/grpc-js'
 * import { addService, client, listen, service, unary } from 'protoplate/grpc'
 * const Greeter = service('Greeter', { SayHello: unary(HelloRequest, HelloReply) })
 * const server = new Server()
 * addService(server, Greeter, { SayHello: ({ name }) => ({ message: `Hello, ${name}!` }) })
 * const port = await listen(server)
 * const greeter = client(Greeter, new Client(`127.0.0.1:${port}`, credentials.createInsecure()))
 * await greeter.SayHello({ name: 'Alice' }) // { message: 'Hello, Alice!' }
 * ```
 *
 * docs/grpc.md tells the whole story.
 *
 * @module
 */
export { bidiStreaming, clientStreaming, type Kind, type Method, type Methods, serverStreaming, service, serviceOf, type Service, unary } from './service.js'
export { addService, type AnyHandler, type CallContext, type Handler, type Handlers, listen } from './server.js'
export { type AnyClientMethod, type CallOptions, client, type Client, type ClientMethod } from './client.js'
export { type ProtoErrorInfo, RpcError } from './status.js'
