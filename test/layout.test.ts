/**
 * The engine stays readable: no function in src/ or combinators/ is over
 * 120 lines (closures counted inside the function that holds them).
 */
import { readdirSync, readFileSync } from 'node:fs'
import test from 'ava'
import ts from 'typescript'

const MAX_LINES = 120
const root = new URL('../../', import.meta.url)

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

test(`no function in src/ or combinators/ is over ${MAX_LINES} lines`, (t) => {
  const files = ['src', 'combinators'].flatMap((dir) =>
    readdirSync(new URL(`${dir}/`, root)).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`),
  )
  t.true(files.length > 10)
  t.deepEqual(files.flatMap(functionsOver), [])
})
