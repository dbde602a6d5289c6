/**
 * The SWI-Prolog manual's address book, by name: the schema is loaded from
 * addressbook.proto at run time (SWI-Prolog compiles it with protoc and its
 * plugin), and messages go in and out as plain objects keyed by the
 * schema's field names, as protobuf_serialize_to_codes/3 and
 * protobuf_parse_from_codes/3 take and give them; hasField says what the
 * manual says SWI-Prolog cannot: whether a field was on the wire.
 */
import { fileURLToPath } from 'node:url'
import { hasField, loadProto, parseFromBytes, serializeToBytes } from '../schema/index.js'
import { decodeOrThrow } from '../src/index.js'
import { AddressBook } from './addressbook_pb.js'
import { check, type Demo, hex, show } from './lib.js'

const here = fileURLToPath(new URL('../../examples/', import.meta.url))

/** The address book the manual's example writes. */
export const addressBook = {
  people: [
    { name: 'John Doe', id: 1234, email: 'jdoe@example.com', phones: [{ number: '555-4321', type: 'HOME' }] },
    { name: 'Jane Roe', id: 5678, phones: [{ number: '555-1234', type: 'MOBILE' }, { number: '555-9876' }] },
  ],
}

export const demo: Demo = {
  title: 'addressbook.proto by name: parseFromBytes, serializeToBytes, hasField',
  run(log) {
    const schema = loadProto('addressbook.proto', { includePaths: [here] })
    const bytes = serializeToBytes(schema, 'tutorial.AddressBook', addressBook)
    log(`serializeToBytes(schema, 'tutorial.AddressBook', ${show(addressBook)})`)
    log(`  ${hex(bytes)}`)
    const back = parseFromBytes(schema, 'tutorial.AddressBook', bytes)
    log(`parseFromBytes gives ${show(back)}`)
    const jane = (back['people'] as Record<string, unknown>[])[1]!
    const phone = (jane['phones'] as Record<string, unknown>[])[1]!
    log(`  Jane's email is ${show(jane['email'])} (filled in); hasField(jane, 'email') is ${hasField(jane, 'email')}`)
    log(`  her second phone's type is ${show(phone['type'])} (the [default = HOME]); hasField is ${hasField(phone, 'type')}`)
    check(!hasField(jane, 'email') && phone['type'] === 'HOME' && !hasField(phone, 'type'), 'defaults are filled in and not on the wire')
    check(hex(serializeToBytes(schema, 'tutorial.AddressBook', back)) === hex(bytes), 'what parseFromBytes gives writes back the same bytes')
    // The module protoc-gen-protoplate wrote of addressbook.proto (addressbook_pb.ts): the same bytes, typed.
    const typed = decodeOrThrow(AddressBook, bytes)
    log(`the generated AddressBook template: people[1].phones[1].type is ${show(typed.people[1]?.phones[1]?.type)} (absent: no default filled in)`)
    check(typed.people.length === 2 && typed.people[0]?.name === 'John Doe', 'the generated template reads the bytes')
  },
}

/** The manual's map example: a map<string, sint64>, which SWI-Prolog reads as repeated entry messages, as a Map. */
export const mapDemo: Demo = {
  title: 'MapMessage: a map<string, sint64> as a Map',
  run(log) {
    const schema = loadProto('map_message.proto', { includePaths: [here] })
    const value = { number_ints: new Map([['one', 1n], ['minus two', -2n]]) }
    const bytes = serializeToBytes(schema, 'MapMessage', value)
    log(`serializeToBytes(schema, 'MapMessage', ${show(value)})`)
    log(`  ${hex(bytes)}`)
    const back = parseFromBytes(schema, 'MapMessage', bytes)
    log(`parseFromBytes gives ${show(back)}`)
    check(show(back['number_ints']) === show(value.number_ints), 'the map reads back')
  },
}
