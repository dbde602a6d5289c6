/**
 * The engine stays readable: its layers are kept (each file of src/
 * imports only from its own layer and those below it, and none but the
 * entry imports the vocabulary in combinators/), and no function in src/,
 * combinators/, schema/, grpc/, codegen/, formats/, conformance/ or cli/ is over 120 lines (closures counted
 * inside the function that holds them). docs/architecture.md draws the layers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import test from 'ava'
import ts from 'typescript'

const MAX_LINES = 120
const root = new URL('../../', import.meta.url)

/** The .ts files of a top-level folder; none when the folder is not in this tree (conformance/ comes with the testee). */
const sources = (dir: string): string[] =>
  existsSync(new URL(`${dir}/`, root)) ? readdirSync(new URL(`${dir}/`, root)).filter((f) => f.endsWith('.ts')) : []

function functionsOver(file: string): string[] {
  const text = readFileSync(new URL(file, root), 'utf8')
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true)
  const out: string[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line
      const lines = end - start + 1
      if (lines > MAX_LINES) {
        const name = node.name !== undefined && ts.isIdentifier(node.name) ? node.name.text : `(function at line ${start + 1})`
        out.push(`${file}: ${name} is ${lines} lines`)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return out
}

test(`no function in src/, combinators/, schema/, grpc/, codegen/, formats/, conformance/ or cli/ is over ${MAX_LINES} lines`, (t) => {
  const files = ['src', 'combinators', 'schema', 'grpc', 'codegen', 'formats', 'conformance', 'cli'].flatMap((dir) => sources(dir).map((f) => `${dir}/${f}`))
  t.true(files.length > 10)
  t.deepEqual(files.flatMap(functionsOver), [])
})

/** The layers of src/, from the bottom (docs/architecture.md). */
const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'utf8', 'wire', 'bail'], // the byte layer
  ['core', 'equal', 'snippets', 'arb'], // core interfaces, and what pieces share
  ['message'], // the message engine
  ['compile'], // the compiler skeleton
  ['ops', 'streams', 'testing'], // operations, and the bridges of protoplate/testing
  ['index'], // the entry, which also gives the vocabulary
]

test('each file of src/ imports only from its own layer and those below it', (t) => {
  const layerOf = new Map(LAYERS.flatMap((names, i) => names.map((n) => [n, i] as const)))
  const files = readdirSync(new URL('src/', root)).filter((f) => f.endsWith('.ts'))
  const wrong: string[] = []
  for (const f of files) {
    const name = f.replace(/\.ts$/, '')
    const layer = layerOf.get(name)
    if (layer === undefined) {
      wrong.push(`src/${f} is in no layer`)
      continue
    }
    const text = readFileSync(new URL(`src/${f}`, root), 'utf8')
    for (const [, target] of text.matchAll(/from '([^']+)'/g)) {
      if (target!.startsWith('../combinators/') && name !== 'index') wrong.push(`src/${f} imports the vocabulary (${target})`)
      const local = /^\.\/([\w-]+)\.js$/.exec(target!)
      if (local === null) continue
      const theirs = layerOf.get(local[1]!)
      if (theirs === undefined || theirs > layer) wrong.push(`src/${f} (layer ${layer}) imports ${target} (layer ${theirs ?? 'none'})`)
    }
  }
  t.deepEqual(wrong, [])
})

/**
 * The areas built on the engine use it as users do, through the entry:
 * schema/ imports only src/index.js, its own files and its .proto parser
 * (protobufjs), codegen/, formats/ and cli/ src/index.js and schema/index.js
 * (and their own files), conformance/ and cli/ also formats/json.js and
 * text.js (and fp-ts, as users do), grpc/ src/index.js, schema/index.js, its own files and
 * @grpc/grpc-js.
 */
test('schema/, grpc/, codegen/, formats/, conformance/ and cli/ use the engine only through its entry', (t) => {
  const allowed: Readonly<Record<string, RegExp>> = {
    schema: /^(\.\.\/src\/index\.js|\.\/[\w-]+\.js|node:\w+|protobufjs)$/,
    conformance: /^(\.\.\/src\/index\.js|\.\.\/schema\/index\.js|\.\.\/formats\/(json|text)\.js|node:\w+|fp-ts\/lib\/Either\.js)$/,
    formats: /^(\.\.\/src\/index\.js|\.\.\/schema\/index\.js|\.\/[\w-]+\.js|node:\w+)$/,
    codegen: /^(\.\.\/src\/index\.js|\.\.\/schema\/index\.js|\.\/[\w-]+\.js|node:\w+)$/,
    cli: /^(\.\.\/src\/index\.js|\.\.\/schema\/index\.js|\.\.\/formats\/(json|text)\.js|\.\/[\w-]+\.js|node:\w+|fp-ts\/lib\/Either\.js)$/,
    grpc: /^(\.\.\/src\/index\.js|\.\.\/schema\/index\.js|\.\/[\w-]+\.js|node:\w+|@grpc\/grpc-js)$/,
  }
  const wrong: string[] = []
  for (const [dir, ok] of Object.entries(allowed)) {
    for (const f of sources(dir)) {
      const text = readFileSync(new URL(`${dir}/${f}`, root), 'utf8')
      for (const [, target] of text.matchAll(/^(?:import|export)\b[^'"]*? from '([^']+)'/gm)) if (!ok.test(target!)) wrong.push(`${dir}/${f} imports ${target}`)
    }
  }
  t.deepEqual(wrong, [])
})
