#!/usr/bin/env node
/**
 * protoc-gen-protoplate: a protoc plugin (and a buf local plugin) that
 * writes one TypeScript module of templates for each .proto it is asked
 * for, `foo/bar.proto` → `foo/bar_pb.ts`, importing what it uses from the
 * modules of the files it imports. Its request and response are read and
 * written with protoplate's own templates of plugin.proto, as
 * SWI-Prolog's plugin reads its own.
 *
 *   protoc --plugin=protoc-gen-protoplate=node_modules/.bin/protoc-gen-protoplate \
 *          --protoplate_out=src/gen --protoplate_opt=int64=number foo.proto
 *
 * Options (`--protoplate_opt`, comma-separated): `int64=bigint|number`,
 * `maps=map|record`, `typed_arrays` (packed numeric fields as typed
 * arrays), `import_extension=.js|.ts|none` (of the imports between
 * generated modules; `.js` by default), `from=MODULE` (where the
 * combinators come from; `protoplate` by default).
 *
 * @module
 */
import { readFileSync, writeSync } from 'node:fs'
import { decodeOrThrow, encodeOrThrow } from '../src/index.js'
import { descriptors } from '../schema/index.js'
import { respond } from './respond.js'

const request = decodeOrThrow(descriptors.CodeGeneratorRequest, new Uint8Array(readFileSync(0)))
const bytes = encodeOrThrow(descriptors.CodeGeneratorResponse, respond(request))
let off = 0
while (off < bytes.length) off += writeSync(1, bytes, off)
