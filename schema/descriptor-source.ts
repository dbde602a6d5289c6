/**
 * How descriptor.ts is made: the generator's output for descriptor.proto
 * and compiler/plugin.proto, from a descriptor set that holds them (buf
 * build's, whose built-in copies are protobuf's current ones). A test
 * holds the checked-in file to it.
 *
 * @module
 */
import { generate } from './generate.js'
import type { Plans } from './plan.js'

export const DESCRIPTOR_FILES = ['google/protobuf/descriptor.proto', 'google/protobuf/compiler/plugin.proto'] as const

/** The source of descriptor.ts. */
export function descriptorSource(plans: Plans): string {
  return generate(plans, {
    from: '../src/index.js',
    files: DESCRIPTOR_FILES,
    title: 'google/protobuf/descriptor.proto and google/protobuf/compiler/plugin.proto as protoplate\ntemplates, which read the descriptor sets that schemas come from.',
  })
}
