/**
 * A schema: the templates of the messages and the host types of the
 * enumerations of a set of descriptors, made from their recipes on first
 * use. A message that refers back to one being made (recursion) gets it
 * through `lazy`.
 *
 * @module
 */
import * as C from '../src/index.js'
import { SchemaError } from './errors.js'
import type * as D from './descriptor.js'
import { type Plans, type PlanOptions, plan } from './plan.js'
import { enumRecipe, type Expr, messageRecipe, type RecipeOptions } from './recipe.js'

/** A message's value, as a schema loaded at run time types it; generated code has exact types. */
export type SchemaValue = { [field: string]: unknown }

export interface SchemaOptions extends PlanOptions, RecipeOptions {}

const combinators = C as unknown as Readonly<Record<string, (...args: unknown[]) => unknown>>

/** Which schema made a template, and as which message: how ProtoJSON and the text format find a template's names. */
const origins = new WeakMap<C.Template<unknown>, { readonly schema: Schema; readonly name: string }>()

/** The schema and full name of a template a schema made; undefined for any other template. */
export function originOf(template: C.Template<unknown>): { readonly schema: Schema; readonly name: string } | undefined {
  return origins.get(template)
}

export class Schema {
  readonly #plans: Plans
  readonly #options: SchemaOptions
  readonly #templates = new Map<string, C.Template<unknown>>()
  readonly #enums = new Map<string, C.HostType<unknown>>()
  readonly #making = new Set<string>()
  readonly #services = new Map<string, D.ServiceDescriptorProto>()

  constructor(files: readonly D.FileDescriptorProto[], options: SchemaOptions = {}) {
    this.#plans = plan(files, options)
    this.#options = options
    for (const f of files) {
      const prefix = f.package === undefined || f.package === '' ? '' : `${f.package}.`
      for (const s of f.service) this.#services.set(`${prefix}${s.name ?? ''}`, s)
    }
  }

  /** The plans the templates are made from (what each field is, per its syntax). */
  get plans(): Plans {
    return this.#plans
  }

  /** The options the templates are made with. */
  get options(): SchemaOptions {
    return this.#options
  }

  /** The full names of the messages, map entries included. */
  get messageNames(): readonly string[] {
    return [...this.#plans.messages.keys()]
  }

  /** The full names of the services (`'helloworld.Greeter'`). */
  get serviceNames(): readonly string[] {
    return [...this.#services.keys()]
  }

  /**
   * The descriptor of the service of that full name: its methods, with the
   * full names of their request and response messages (`'.helloworld.HelloRequest'`,
   * which `template` takes) and whether each streams. protoplate/grpc serves
   * and calls it.
   */
  service(name: string): D.ServiceDescriptorProto {
    const full = name.startsWith('.') ? name.slice(1) : name
    const s = this.#services.get(full)
    if (s === undefined) throw new SchemaError(`no service ${full} in the schema${near(full, this.#services.keys())}`)
    return s
  }

  /** The template of the message of that full name (`'tutorial.Person'`, `'.tutorial.Person'`). */
  template(name: string): C.Template<SchemaValue> {
    const full = name.startsWith('.') ? name.slice(1) : name
    const done = this.#templates.get(full)
    if (done !== undefined) return done as C.Template<SchemaValue>
    const p = this.#plans.messages.get(full)
    if (p === undefined) throw new SchemaError(`no message ${full} in the schema${near(full, this.#plans.messages.keys())}`)
    this.#making.add(full)
    try {
      const t = this.#evaluate(messageRecipe(p, this.#options)) as C.Template<unknown>
      this.#templates.set(full, t)
      origins.set(t, { schema: this, name: full })
      return t as C.Template<SchemaValue>
    } catch (e) {
      if (e instanceof C.TemplateError) throw new SchemaError(`${full}: ${e.message}`)
      throw e
    } finally {
      this.#making.delete(full)
    }
  }

  /** The host type of the enumeration of that full name. */
  enumeration(name: string): C.HostType<string | number> {
    const full = name.startsWith('.') ? name.slice(1) : name
    const done = this.#enums.get(full)
    if (done !== undefined) return done as C.HostType<string | number>
    const p = this.#plans.enums.get(full)
    if (p === undefined) throw new SchemaError(`no enum ${full} in the schema${near(full, this.#plans.enums.keys())}`)
    const e = this.#evaluate(enumRecipe(p)) as C.HostType<unknown>
    this.#enums.set(full, e)
    return e as C.HostType<string | number>
  }

  #evaluate(x: Expr): unknown {
    if ('literal' in x) return x.literal
    if ('record' in x) return Object.fromEntries(x.record.map(([k, v]) => [k, this.#evaluate(v)]))
    if ('enumeration' in x) return this.enumeration(x.enumeration)
    if ('host' in x) return combinator(x.host)
    if ('message' in x) {
      const ref = x.message
      return this.#making.has(ref) ? C.lazy(() => this.template(ref), ref) : this.template(ref)
    }
    const args = x.args.map((a) => this.#evaluate(a))
    if (x.call === '$hole') return (args[0] as (tag: unknown) => unknown)(args[1])
    return combinator(x.call)(...args)
  }
}

function combinator(name: string): (...args: unknown[]) => unknown {
  const f = combinators[name]
  if (typeof f !== 'function') throw new Error(`unreachable: protoplate exports no ${name}`)
  return f
}

/** " (did you mean …?)" for a name that differs from a known one only by its package or case. */
function near(name: string, known: Iterable<string>): string {
  const last = name.slice(name.lastIndexOf('.') + 1).toLowerCase()
  const like = [...known].filter((k) => k.slice(k.lastIndexOf('.') + 1).toLowerCase() === last)
  return like.length === 0 ? '' : ` (did you mean ${like.slice(0, 3).join(', ')}?)`
}
