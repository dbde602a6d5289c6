/**
 * `npm run demo`: the SWI-Prolog documentation examples, end to end. Each
 * prints its wire bytes and decoded values and checks its round trip and,
 * where SWI-Prolog's bytes are known, that protoplate writes exactly those.
 * Then the Greeter of the gRPC walkthrough, served and called on loopback.
 */
import { demos } from './demos.js'
import { greeterDemo } from './greeter.js'

let failed = 0
for (const d of demos) {
  console.log(`\n== ${d.title}`)
  try {
    d.run((line) => console.log(line))
  } catch (e) {
    failed++
    console.log(`FAILED: ${e instanceof Error ? e.message : String(e)}`)
  }
}
console.log('\n== The Greeter of the gRPC walkthrough (protoplate/grpc)')
try {
  await greeterDemo((line) => console.log(line))
} catch (e) {
  failed++
  console.log(`FAILED: ${e instanceof Error ? e.message : String(e)}`)
}
const total = demos.length + 1
console.log(`\n${total - failed} of ${total} examples passed`)
process.exitCode = failed === 0 ? 0 : 1
