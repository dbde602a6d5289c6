/**
 * buf, from npm, as a second compiler beside Debian's protoc (3.21, which
 * predates editions): a FileDescriptorSet of .proto files, with the
 * well-known types buf carries built in; and buf's reading of a message's
 * bytes with them (`buf convert`).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const BUF = new URL('../../node_modules/.bin/buf', import.meta.url).pathname

/** The descriptor set (imports included, no source info) of the files, given by path and text. */
export function bufBuild(files: Readonly<Record<string, string>>): Uint8Array {
  return inModule(files, (dir) => {
    const out = join(dir, 'out.binpb')
    const r = spawnSync(BUF, ['build', '--exclude-source-info', '-o', out], { cwd: dir, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`buf build failed: ${r.stderr || r.error?.message}`)
    return new Uint8Array(readFileSync(out))
  })
}

/** A message's bytes read by buf with the files' message `type`, written again as binary or as text (`buf convert`). */
export function bufConvert(files: Readonly<Record<string, string>>, type: string, bytes: Uint8Array, to: 'binpb' | 'txtpb'): Uint8Array {
  return inModule(files, (dir) => {
    writeFileSync(join(dir, 'in.binpb'), bytes)
    const out = join(dir, `out.${to}`)
    const r = spawnSync(BUF, ['convert', '.', '--type', type, '--from', 'in.binpb', '--to', out], { cwd: dir, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`buf convert failed: ${r.stderr || r.error?.message}\n${Object.values(files).join('\n')}`)
    return new Uint8Array(readFileSync(out))
  })
}

/** `run` in a temporary buf module holding the files. */
function inModule<T>(files: Readonly<Record<string, string>>, run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-buf-'))
  try {
    writeFileSync(join(dir, 'buf.yaml'), 'version: v2\n')
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
    return run(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
