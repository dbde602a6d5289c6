/**
 * The seed's client.py in TypeScript: SayHello to the Greeter at
 * localhost:50051 (or the address given), as the seed's server.py serves
 * it. With `--streams`, the streaming methods too (greet.proto's; the
 * seed's server has SayHello only).
 *
 *   node dist/examples/greeter-client.js [address] [--streams]
 *
 * @module
 */
import { Client, credentials } from '@grpc/grpc-js'
import { client } from '../grpc/index.js'
import { Greeter } from './greeter.js'

const args = process.argv.slice(2)
const address = args.find((a) => !a.startsWith('--')) ?? 'localhost:50051'
const channel = new Client(address, credentials.createInsecure())
const greeter = client(Greeter, channel)
try {
  const response = await greeter.SayHello({ name: 'Alice' }, { timeout: 10_000 })
  console.log('Server Response:', response.message)
  if (args.includes('--streams')) {
    for await (const r of greeter.SayHelloInLanguages({ name: 'Bob' }, { timeout: 10_000 })) console.log('Server Response:', r.message)
    const all = await greeter.SayHelloToAll([{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cy' }], { timeout: 10_000 })
    console.log('Server Response:', all.message)
    for await (const r of greeter.Chat([{ name: 'Dee' }, { name: 'Eve' }], { timeout: 10_000 })) console.log('Server Response:', r.message)
  }
} finally {
  channel.close()
}
