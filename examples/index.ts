/**
 * `npm run demo`: the SWI-Prolog documentation examples, end to end. Each
 * prints its wire bytes and decoded values and checks its round trip and,
 * where SWI-Prolog's bytes are known, that protoplate writes exactly those.
 */
import { demo as bag } from './bag.js'
import type { Demo } from './lib.js'
import { demo as missingFields } from './missing-fields.js'
import { demo as precompiled } from './precompiled.js'
import { demo as someMessage } from './some-message.js'
import { sendCommandDemo, vectorsDemo } from './vectors.js'
import { demo as xml } from './xml.js'

export const demos: readonly Demo[] = [someMessage, sendCommandDemo, vectorsDemo, xml, bag, precompiled, missingFields]

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
console.log(`\n${demos.length - failed} of ${demos.length} examples passed`)
process.exitCode = failed === 0 ? 0 : 1
