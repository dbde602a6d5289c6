/**
 * The manual's precompiled messages: the constant front of a command is
 * encoded once per command, and each message is that prefix followed by
 * the encoding of its arguments.
 */
import { isDeepStrictEqual } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import { atom, decodeOrThrow, decodePrefix, encodeOrThrow, integer, protobuf } from '../src/index.js'
import { check, type Demo, hex, show } from './lib.js'

const commandNames = ['square', 'decimate', 'transform', 'inverse_transform'] as const
type Command = (typeof commandNames)[number]

/** `precompile_commands`: each command's prefix, encoded once (a template with no holes needs no value). */
export const precompiled: ReadonlyMap<Command, Uint8Array> = new Map(
  commandNames.map((key) => [key, encodeOrThrow(protobuf([atom(1, 'command'), atom(2, key)]))]),
)

const args = protobuf([integer(3), integer(4)])

/** `send_precompiled_command(Key, X, Y, Msg)`. */
export function sendPrecompiledCommand(key: Command, x: number, y: number): Uint8Array {
  const prefix = precompiled.get(key)!
  const tail = encodeOrThrow(args, [x, y])
  const msg = new Uint8Array(prefix.length + tail.length)
  msg.set(prefix)
  msg.set(tail, prefix.length)
  return msg
}

export const demo: Demo = {
  title: 'Precompiled command prefix',
  run(log) {
    const msg = sendPrecompiledCommand('transform', 3, -4)
    log('send_precompiled_command(transform, 3, -4)')
    log(`  prefix  ${hex(precompiled.get('transform')!)}`)
    log(`  wire    ${hex(msg)}`)
    // Read the prefix, then the arguments from what follows it.
    const front = decodePrefix(protobuf([atom(1, 'command'), atom(2)]), msg)
    if (E.isLeft(front)) throw front.left
    const [command] = front.right.value
    const xy = decodeOrThrow(args, front.right.rest)
    log(`  read as prefix ${show(command)} and arguments ${show(xy)}`)
    check(command === 'transform' && isDeepStrictEqual(xy, [3, -4]), 'prefix and arguments read back')
    // Or in one go: the command name is a field this template does not have, so it is skipped.
    const whole = decodeOrThrow(protobuf([atom(1, 'command'), integer(3), integer(4)]), msg)
    log(`  read whole by protobuf([atom(1, 'command'), integer(3), integer(4)]): ${show(whole)}`)
    check(isDeepStrictEqual(whole, [3, -4]), 'whole message read back')
  },
}
