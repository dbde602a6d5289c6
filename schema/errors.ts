/**
 * The error of the schema path: a `.proto` file that does not parse or
 * resolve, or descriptors whose content cannot be right. Like
 * `TemplateError` it is about the program (its schemas), not about data, and
 * it is thrown, never returned in a `Left`.
 *
 * @module
 */

/** Where in a `.proto` file: its name as imports name it, and a 1-based line and column. */
export interface SchemaPlace {
  readonly file: string
  readonly line?: number
  readonly column?: number
}

/**
 * A schema that cannot be loaded, with where.
 *
 * From the `.proto` parser, all three of `file`, `line` and `column` are set
 * and the message is `file:line:column: what`: `file` as imports name it
 * (relative to its include path), line and column from 1, counted as protoc
 * counts them (the column in bytes of UTF-8, a tab advancing to the next
 * multiple of 8), so that protoc names the same place for the same error. Problems found in descriptors, which have no
 * text, carry what place they have (a file, or none) and say the rest in
 * `detail`.
 */
export class SchemaError extends Error {
  override readonly name = 'SchemaError'
  readonly file: string | undefined
  readonly line: number | undefined
  readonly column: number | undefined
  /** What went wrong, without the place that `message` adds. */
  readonly detail: string

  constructor(detail: string, place?: SchemaPlace) {
    super(place === undefined ? detail : `${[place.file, place.line, place.column].filter((p) => p !== undefined).join(':')}: ${detail}`)
    this.file = place?.file
    this.line = place?.line
    this.column = place?.column
    this.detail = detail
  }
}
