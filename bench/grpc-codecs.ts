/**
 * The four (de)serializations of one gRPC call (client encode, server
 * decode, server encode, client decode) by proto-loader's and by
 * protoplate's method definitions, timed alone in a fresh process (the
 * bench's own holds every contestant's data, and its collector then costs
 * more). bench/grpc.ts runs it and prints the microseconds beside a call's.
 */
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import { serviceOf } from '../grpc/index.js'
import { addressBookValue } from './data.js'
import { LOADER_OPTIONS, PROTO, schema } from './grpc-server.js'

type Definition = Record<string, grpc.MethodDefinition<unknown, unknown>>

/** Microseconds per run of `fn`, over about `ms`. */
function micros(fn: () => unknown, ms: number): number {
  let n = 0
  const start = process.hrtime.bigint()
  const budget = BigInt(ms * 1e6)
  while (process.hrtime.bigint() - start < budget) for (let i = 0; i < 10; i++, n++) fn()
  return Number(process.hrtime.bigint() - start) / 1e3 / n
}

const four = (m: grpc.MethodDefinition<unknown, unknown>, value: unknown) => () => m.responseDeserialize(m.responseSerialize(m.requestDeserialize(m.requestSerialize(value))))

const loader = (grpc.loadPackageDefinition(protoLoader.loadSync(PROTO, LOADER_OPTIONS)) as unknown as { bench: { grpc: { Bench: { service: Definition } } } }).bench.grpc.Bench.service
const ours = serviceOf(schema(), 'bench.grpc.Bench').definition as Definition
const book = addressBookValue()
const out: Record<string, Record<string, number>> = {}
for (const [name, d] of [['proto-loader', loader], ['protoplate', ours]] as const) {
  const small = four(d.SayHello!, { name: 'Alice' })
  const echo = four(d.Echo!, book)
  micros(small, 300)
  micros(echo, 300)
  out[name] = { small: micros(small, 1000), 'address book': micros(echo, 1000) }
}
console.log(JSON.stringify(out))
