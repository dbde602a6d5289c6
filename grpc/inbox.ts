/**
 * The messages of a grpc-js stream as they come (its `data` events), kept
 * in order for an async iterator to take: fewer promises a message than a
 * generator around the stream's own async iterator. Past `HIGH_WATER`
 * unread messages the stream is paused, so that grpc-js stops reading and
 * HTTP/2 flow control holds the peer back; it resumes once they are read.
 *
 * @module
 */

/** How many messages wait unread before the stream is paused. */
const HIGH_WATER = 64

/** What `take` gives when no message is waiting. */
export const NONE: unique symbol = Symbol('none')

export interface Incoming {
  on(event: 'data', f: (m: unknown) => void): unknown
  on(event: 'end' | 'close', f: () => void): unknown
  pause(): unknown
  resume(): unknown
  isPaused(): boolean
}

export class Inbox {
  #queue: unknown[] = []
  #head = 0
  #wake: (() => void) | undefined
  /** `end`: every message came; `close`: the stream was destroyed before (a cancelled server call); undefined while more may come. */
  over: 'end' | 'close' | undefined

  constructor(readonly stream: Incoming) {
    const wake = () => {
      const w = this.#wake
      this.#wake = undefined
      w?.()
    }
    stream.on('data', (m) => {
      if (this.#queue.push(m) - this.#head >= HIGH_WATER) stream.pause()
      wake()
    })
    stream.on('end', () => {
      this.over ??= 'end'
      wake()
    })
    stream.on('close', () => {
      this.over ??= 'close'
      wake()
    })
  }

  /** The next message if one is waiting, else `NONE`. */
  take(): unknown {
    if (this.#head === this.#queue.length) return NONE
    const m = this.#queue[this.#head++]
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0
      this.#head = 0
      if (this.stream.isPaused()) this.stream.resume()
    }
    return m
  }

  /** Resolves when a message comes or the stream is over. */
  wait(): Promise<void> {
    return new Promise((resolve) => (this.#wake = resolve))
  }
}
