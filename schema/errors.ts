/**
 * The error of a schema that cannot become templates: a .proto that does
 * not parse or resolve, or descriptors with impossible content.
 *
 * @module
 */
export class SchemaError extends Error {
  override readonly name = 'SchemaError'
  constructor(
    message: string,
    /** Where in a .proto file, when the schema came from one. */
    readonly at?: { readonly file: string; readonly line: number; readonly column: number },
    options?: ErrorOptions,
  ) {
    super(at === undefined ? message : `${at.file}:${at.line}:${at.column}: ${message}`, options)
  }
}
