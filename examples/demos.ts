/**
 * The examples, in the order of the SWI-Prolog manual. `index.ts` runs them
 * for `npm run demo`; the test suite runs the same list.
 */
import { demo as addressBook, mapDemo } from './addressbook.js'
import { demo as bag } from './bag.js'
import type { Demo } from './lib.js'
import { demo as missingFields } from './missing-fields.js'
import { demo as precompiled } from './precompiled.js'
import { demo as someMessage } from './some-message.js'
import { sendCommandDemo, typedVectorsDemo, vectorsDemo } from './vectors.js'
import { demo as xml } from './xml.js'

export const demos: readonly Demo[] = [someMessage, sendCommandDemo, vectorsDemo, typedVectorsDemo, xml, bag, precompiled, missingFields, addressBook, mapDemo]
