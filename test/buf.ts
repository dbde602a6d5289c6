/**
 * buf, from npm, as a second compiler beside Debian's protoc (3.21, which
 * predates editions): a FileDescriptorSet of .proto files, with the
 * well-known types buf carries built in.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const BUF = new URL('../../node_modules/.bin/buf', import.meta.url).pathname

/** The descriptor set (imports included, no source info) of the files, given by path and text. */
export function bufBuild(files: Readonly<Record<string, string>>): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'protoplate-buf-'))
  try {
    writeFileSync(join(dir, 'buf.yaml'), 'version: v2\n')
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
    const out = join(dir, 'out.binpb')
    const r = spawnSync(BUF, ['build', '--exclude-source-info', '-o', out], { cwd: dir, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`buf build failed: ${r.stderr || r.error?.message}`)
    return new Uint8Array(readFileSync(out))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
