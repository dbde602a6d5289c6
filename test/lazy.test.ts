/**
 * A `lazy` is built at its first use, so its TemplateError is the one that
 * can surface after a template is built: its message says what happened
 * (the target not defined yet, or defined but not valid), and every
 * operation throws it, with compiled code and without, never returning it
 * in a `Left` (whose type is ProtoError).
 */
import test from 'ava'
import * as fc from 'fast-check'
import {
  atom,
  decode,
  decodeDelimited,
  decodeOrThrow,
  decodePrefix,
  embedded,
  encode,
  encodeDelimited,
  encodeOrThrow,
  lazy,
  protobuf,
  setCodeGeneration,
  type Template,
  TemplateError,
  unsigned,
} from '../src/index.js'
import { arbitrary } from '../src/testing.js'

type Inner = readonly [number]

/** A template whose lazy's target is a template with tag 1 twice. */
function invalid() {
  const bad: Template<Inner> = lazy(() => protobuf([unsigned(1), atom(1)]) as unknown as Template<Inner>, 'bad')
  return protobuf([embedded(1, bad)])
}

const NOT_VALID = /^lazy bad: its target is not a valid template: tag 1 is used twice in one message \(unsigned and atom\)$/

for (const generation of [true, false]) {
  const mode = generation ? 'compiled' : 'interpreted'

  test.serial(`${mode}: a lazy whose target is invalid throws the target's TemplateError, naming the lazy, from every operation`, (t) => {
    setCodeGeneration(generation)
    try {
      const thrown = (f: () => unknown) => t.throws(f, { instanceOf: TemplateError, message: NOT_VALID })
      thrown(() => encode(invalid(), [[1]]))
      thrown(() => encodeOrThrow(invalid(), [[1]]))
      thrown(() => decode(invalid(), new Uint8Array([0x0a, 0x02, 0x08, 0x01])))
      thrown(() => decodeOrThrow(invalid(), new Uint8Array([0x0a, 0x02, 0x08, 0x01])))
      thrown(() => decodePrefix(invalid(), new Uint8Array([0x0a, 0x02, 0x08, 0x01])))
      thrown(() => encodeDelimited(invalid(), [[[1]]]))
      thrown(() => decodeDelimited(invalid(), new Uint8Array([0x04, 0x0a, 0x02, 0x08, 0x01])))
      // And again at the next use: the thunk is tried each time.
      const tpl = invalid()
      thrown(() => encode(tpl, [[1]]))
      thrown(() => encode(tpl, [[1]]))
      // The original error is kept as the cause.
      const e = t.throws(() => encode(invalid(), [[1]]))
      t.true(e?.cause instanceof TemplateError)
    } finally {
      setCodeGeneration(true)
    }
  })

  test.serial(`${mode}: a lazy whose target is not defined yet says so, and works once it is`, (t) => {
    setCodeGeneration(generation)
    try {
      const outer = protobuf([embedded(1, lazy((): Template<Inner> => notYet, 'early'))])
      // `notYet` is declared below: until then, reading it is a ReferenceError.
      const message = /^lazy early: its target is not defined yet \(.*notYet.*\)$/
      t.throws(() => encode(outer, [[1]]), { instanceOf: TemplateError, message })
      t.throws(() => decode(outer, new Uint8Array([0x0a, 0x02, 0x08, 0x01])), { instanceOf: TemplateError, message })
      const notYet: Template<Inner> = protobuf([unsigned(1)])
      t.deepEqual(decodeOrThrow(outer, encodeOrThrow(outer, [[1]])), [[1]])
    } finally {
      setCodeGeneration(true)
    }
  })
}

test('a lazy whose thunk returns something else, or throws something else, says so', (t) => {
  const notATemplate = protobuf([embedded(1, lazy(() => 5 as unknown as Template<Inner>, 'five'))])
  t.throws(() => encode(notATemplate, [[1]]), { instanceOf: TemplateError, message: 'lazy five: the thunk must return a template or a host type' })
  const throwing = protobuf([
    embedded(
      1,
      lazy((): Template<Inner> => {
        throw new Error('boom')
      }, 'boom'),
    ),
  ])
  t.throws(() => encode(throwing, [[1]]), { instanceOf: TemplateError, message: 'lazy boom: its thunk threw: boom' })
})

test("arbitrary throws a lazy's TemplateError too", (t) => {
  t.throws(() => fc.sample(arbitrary(invalid()), 1), { instanceOf: TemplateError, message: NOT_VALID })
})
