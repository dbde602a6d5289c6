// Generates the peers' code for the benchmark, from bench/protos, into
// dist/bench/generated: protobufjs static code (pbjs -t static-module) and
// protobuf-es code (protoc-gen-es through the system's protoc). Generated
// code is never committed.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const protos = readdirSync(`${root}bench/protos`).filter((f) => f.endsWith('.proto'))
const out = `${root}dist/bench/generated`
mkdirSync(`${out}/es`, { recursive: true })

execFileSync(`${root}node_modules/.bin/pbjs`, ['-t', 'static-module', '-w', 'es6', '--force-number', '-o', `${out}/pbjs_static.js`, ...protos.map((p) => `${root}bench/protos/${p}`)], {
  stdio: 'inherit',
})
execFileSync(
  'protoc',
  [`--plugin=protoc-gen-es=${root}node_modules/.bin/protoc-gen-es`, `--es_out=${out}/es`, '--es_opt=target=js,import_extension=js', `-I${root}bench/protos`, ...protos],
  { stdio: 'inherit' },
)
console.log(`generated peers' code in ${out}`)
