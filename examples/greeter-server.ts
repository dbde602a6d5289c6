/**
 * The seed's server.py in TypeScript: the Greeter on port 50051 (or the
 * port given), until interrupted. The seed's client.py calls it as it
 * calls its own server.
 *
 *   node dist/examples/greeter-server.js [port]
 *
 * @module
 */
import { greeterServer } from './greeter.js'

const port = Number(process.argv[2] ?? 50051)
const { server } = await greeterServer(`localhost:${port}`)
console.log(`Server running on port ${port}...`)
process.once('SIGINT', () => server.tryShutdown(() => process.exit(0)))
process.once('SIGTERM', () => server.tryShutdown(() => process.exit(0)))
