/**
 * Errors of calls: `RpcError` (a status code, its details and trailing
 * metadata), and a `ProtoError` carried in a status the way gRPC's richer
 * error model carries details: `grpc-status-details-bin` holds a
 * `google.rpc.Status` whose details are one `google.rpc.ErrorInfo` of
 * domain `protoplate`, with the error's kind, path and offset. Those
 * messages are templates here, so any gRPC client with googleapis'
 * protos can read them, and protoplate's client reads them back into
 * `RpcError.protoError`.
 *
 * @module
 */
import { Metadata, status as Status, type StatusObject } from '@grpc/grpc-js'
import { bytes, decode, defaulted, encodeOrThrow, type ErrorKind, formatPath, int32, map, message, ProtoError, repeatedEmbedded, string } from '../src/index.js'

/** google/protobuf/any.proto */
const Any = message({ type_url: defaulted(string(1)), value: defaulted(bytes(2)) })
/** google/rpc/status.proto */
const RpcStatus = message({ code: defaulted(int32(1)), message: defaulted(string(2)), details: repeatedEmbedded(3, Any) })
/** google/rpc/error_details.proto */
const ErrorInfo = message({ reason: defaulted(string(1)), domain: defaulted(string(2)), metadata: map(3, string, string) })

const ERROR_INFO_URL = 'type.googleapis.com/google.rpc.ErrorInfo'
const DETAILS_KEY = 'grpc-status-details-bin'
export const DOMAIN = 'protoplate'

/** A ProtoError as it travels in a status: its kind, path (as `formatPath` writes it) and offset, and which message of the call it was in. */
export interface ProtoErrorInfo {
  readonly kind: ErrorKind
  readonly path: string
  readonly offset: number | undefined
  readonly detail: string
  /** `request` or `response`, with the message's index in a stream: `request[2]`. */
  readonly message: string
}

/**
 * A call that ended with a status other than OK. A handler throws one to
 * answer with its code; a handler that throws anything else answers
 * `UNKNOWN` with the error's message. The client's calls reject with one
 * (and with a `ProtoError` only for a request of theirs that does not encode).
 */
export class RpcError extends Error {
  override readonly name = 'RpcError'
  /** The protoplate error the status carries, when the call failed on a message that did not decode or encode. */
  readonly protoError: ProtoErrorInfo | undefined

  constructor(
    readonly code: Status,
    readonly details: string,
    readonly metadata: Metadata = new Metadata(),
  ) {
    super(`${Status[code] ?? code}: ${details}`)
    this.protoError = protoErrorIn(metadata)
  }

  /** A status from grpc-js (a `ServiceError`, or the object of a `status` event). */
  static from(e: Partial<StatusObject> & { readonly message?: string }): RpcError {
    return new RpcError(e.code ?? Status.UNKNOWN, e.details ?? e.message ?? '', e.metadata ?? new Metadata())
  }
}

/** The status for a message of a call that did not decode or encode: `request` → INVALID_ARGUMENT, `response` → INTERNAL. */
export function protoErrorStatus(e: ProtoError, which: string): RpcError {
  const code = which.startsWith('request') ? Status.INVALID_ARGUMENT : Status.INTERNAL
  const details = `${which}: ${e.message}`
  const meta: [string, string][] = [
    ['kind', e.kind],
    ['path', formatPath(e.path)],
    ['detail', e.detail],
    ['message', which],
  ]
  if (e.offset !== undefined) meta.push(['offset', String(e.offset)])
  const info = encodeOrThrow(ErrorInfo, { reason: e.kind.toUpperCase().replaceAll('-', '_'), domain: DOMAIN, metadata: new Map(meta) })
  const metadata = new Metadata()
  metadata.set(DETAILS_KEY, Buffer.from(encodeOrThrow(RpcStatus, { code, message: details, details: [{ type_url: ERROR_INFO_URL, value: info }] })))
  return new RpcError(code, details, metadata)
}

const KINDS: ReadonlySet<string> = new Set<ErrorKind>([
  'truncated',
  'malformed-varint',
  'invalid-tag',
  'invalid-wire-type',
  'group-mismatch',
  'invalid-length',
  'constant-mismatch',
  'missing-field',
  'invalid-utf8',
  'out-of-range',
  'depth-limit',
  'unknown-enum',
  'invalid-value',
  'mapping',
  'invalid-argument',
])

/** The protoplate ErrorInfo in a status's trailing metadata, if there is one. */
function protoErrorIn(metadata: Metadata): ProtoErrorInfo | undefined {
  const raw = metadata.get(DETAILS_KEY)[0]
  if (!(raw instanceof Uint8Array)) return undefined
  const status = decode(RpcStatus, raw)
  if (status._tag === 'Left') return undefined
  for (const any of status.right.details) {
    if (any.type_url !== ERROR_INFO_URL) continue
    const info = decode(ErrorInfo, any.value)
    if (info._tag === 'Left' || info.right.domain !== DOMAIN) continue
    const m = info.right.metadata
    const kind = m.get('kind') ?? ''
    if (!KINDS.has(kind)) continue
    const offset = m.get('offset')
    return {
      kind: kind as ErrorKind,
      path: m.get('path') ?? '',
      offset: offset === undefined || !/^\d+$/.test(offset) ? undefined : Number(offset),
      detail: m.get('detail') ?? '',
      message: m.get('message') ?? '',
    }
  }
  return undefined
}

/** What a handler's throw answers: an RpcError as it is, anything else UNKNOWN with its message. */
export function statusOfThrown(e: unknown): RpcError {
  if (e instanceof RpcError) return e
  if (e instanceof Error) return new RpcError(Status.UNKNOWN, e.message)
  return new RpcError(Status.UNKNOWN, String(e))
}
