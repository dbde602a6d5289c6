/**
 * The descriptors protoc and buf write for .proto files, decoded to the
 * shape `parseProto` gives (schema/values.ts), for comparing the two.
 *
 * The bytes are decoded with protobufjs's own descriptor.proto
 * (protobufjs/ext/descriptor), and its message objects turned into plain
 * values field by field: snake_case names, absent fields absent, repeated
 * fields arrays, enums by name, 64-bit integers as bigints, bytes as a
 * plain Uint8Array. `source_code_info` is left out (neither peer is asked
 * for it).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type * as PB from 'protobufjs'
import type { FileDescriptorSet as FileDescriptorSetValue } from '../schema/descriptor.js'
import { wellKnownTypes } from '../schema/wkt.js'

const require = createRequire(import.meta.url)
const pb = require('protobufjs') as typeof PB
const descriptor = require('protobufjs/ext/descriptor') as { FileDescriptorSet: PB.Type }

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const LONGS = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'])

function plain(type: PB.Type, message: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of type.fieldsArray) {
    const key = snake(f.name)
    if (key === 'source_code_info') continue
    f.resolve()
    const has = Object.prototype.hasOwnProperty.call(message, f.name) && message[f.name] != null
    const one = (v: unknown): unknown => {
      if (f.resolvedType instanceof pb.Type) return plain(f.resolvedType, v as Record<string, unknown>)
      if (f.resolvedType instanceof pb.Enum) return f.resolvedType.valuesById[v as number] ?? v
      if (LONGS.has(f.type)) return BigInt(String(v))
      if (f.type === 'bytes') return new Uint8Array(v as Uint8Array)
      return v
    }
    if (f.repeated) out[key] = has ? (message[f.name] as unknown[]).map(one) : []
    else if (has) out[key] = one(message[f.name])
  }
  return out
}

/** A FileDescriptorSet's bytes as a value. */
export function decodeSet(bytes: Uint8Array): FileDescriptorSetValue {
  const message = descriptor.FileDescriptorSet.decode(bytes) as unknown as Record<string, unknown>
  return plain(descriptor.FileDescriptorSet, message) as unknown as FileDescriptorSetValue
}

/** Whether `cmd --version` runs. */
export function runs(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { encoding: 'utf8' }).status === 0
}

/**
 * `protoc --include_imports --descriptor_set_out` of files (named relative
 * to an include path). After the include paths given, protoc looks in a
 * folder of the parser's built-in copies of the well-known types, so that
 * it needs no libprotobuf-dev for them (that they are Debian's own is
 * tested apart).
 */
export function protocSet(files: readonly string[], includePaths: readonly string[]): FileDescriptorSetValue {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-parse-'))
  try {
    const wkt = join(dir, 'wkt')
    for (const [name, text] of Object.entries(wellKnownTypes)) {
      mkdirSync(dirname(join(wkt, name)), { recursive: true })
      writeFileSync(join(wkt, name), text)
    }
    const out = join(dir, 'set.binpb')
    const r = spawnSync('protoc', ['--include_imports', `--descriptor_set_out=${out}`, ...[...includePaths, wkt].map((p) => `-I${p}`), ...files], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`protoc exited with ${String(r.status)}: ${r.stderr}`)
    return decodeSet(readFileSync(out))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The buf binary of @bufbuild/buf. */
export const bufBin = require.resolve('@bufbuild/buf/bin/buf')

/**
 * `buf build` of files in the module rooted at `root` (named relative to
 * it): the image is a FileDescriptorSet, imports included (buf's own copies
 * of the well-known types), without source info.
 */
export function bufSet(root: string, files: readonly string[]): FileDescriptorSetValue {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-buf-'))
  try {
    const out = join(dir, 'image.binpb')
    const args = ['build', '.', '--config', '{"version":"v2"}', '--exclude-source-info', '-o', out, ...files.flatMap((f) => ['--path', f])]
    const r = spawnSync(process.execPath, [bufBin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, BUF_CACHE_DIR: join(dir, 'cache') } })
    if (r.status !== 0) throw new Error(`buf build exited with ${String(r.status)}: ${r.stderr}`)
    return decodeSet(readFileSync(out))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
