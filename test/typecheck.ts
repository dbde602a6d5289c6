/**
 * Generated modules type-checked as users' code: under the project's
 * compiler options (`strict` and the rest), and with every type they
 * export walked for `any`. Value types are inferred from templates, so an
 * `any` could get in without the word in the source.
 */
import ts from 'typescript'

const root = new URL('../../', import.meta.url).pathname

export interface Checked {
  /** The compiler's diagnostics, one line each, the file first. */
  readonly problems: string[]
  /** Where an exported type holds `any`: `Module.Type.field.…`. */
  readonly anys: string[]
  /** How many exported types were walked. */
  readonly types: number
}

/** Type-check the files with the project's compiler options (and `options` over them). */
export function typeCheck(files: readonly string[], options: ts.CompilerOptions = {}): Checked {
  const config = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!
  const program = ts.createProgram(files, { ...config.options, noEmit: true, ...options })
  const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
  const checker = program.getTypeChecker()
  const mine = new Set(files.map((f) => program.getSourceFile(f)).filter((f) => f !== undefined))
  const anys: string[] = []
  let types = 0
  for (const file of mine) {
    const module = checker.getSymbolAtLocation(file)
    if (module === undefined) continue
    for (const s of checker.getExportsOfModule(module)) {
      if ((s.flags & (ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Interface)) === 0) continue
      types++
      const where = anyIn(checker, mine, checker.getDeclaredTypeOfSymbol(s), new Set())
      if (where !== undefined) anys.push(`${file.fileName.replace(/^.*\//, '')}: ${s.name}${where}`)
    }
  }
  return { problems, anys, types }
}

/**
 * The path to an `any` in a type, if it holds one: through unions, type
 * arguments (`Map<K, V>`, `Template<A>`), and the properties and index
 * signatures of object types written in the files checked or made by
 * inference (anonymous, mapped), not of the library's own types.
 */
function anyIn(checker: ts.TypeChecker, mine: ReadonlySet<ts.SourceFile>, type: ts.Type, seen: Set<ts.Type>): string | undefined {
  if ((type.flags & ts.TypeFlags.Any) !== 0) return ''
  if (seen.has(type)) return undefined
  seen.add(type)
  const inner = (types: readonly ts.Type[], label: (i: number) => string): string | undefined => {
    for (const [i, t] of types.entries()) {
      const where = anyIn(checker, mine, t, seen)
      if (where !== undefined) return `${label(i)}${where}`
    }
    return undefined
  }
  if (type.isUnionOrIntersection()) return inner(type.types, () => '')
  if ((type.flags & ts.TypeFlags.Object) === 0) return undefined
  const object = type as ts.ObjectType
  if ((object.objectFlags & ts.ObjectFlags.Reference) !== 0) {
    const where = inner(checker.getTypeArguments(object as ts.TypeReference), (i) => `<${i}>`)
    if (where !== undefined) return where
  }
  const inferred = (object.objectFlags & (ts.ObjectFlags.Anonymous | ts.ObjectFlags.Mapped)) !== 0
  if (!inferred && !(type.symbol?.declarations ?? []).some((d) => mine.has(d.getSourceFile()))) return undefined
  const props = checker.getPropertiesOfType(type)
  return (
    inner(props.map((p) => checker.getTypeOfSymbol(p)), (i) => `.${props[i]!.name}`) ??
    inner(checker.getIndexInfosOfType(type).map((x) => x.type), () => '[key]')
  )
}
