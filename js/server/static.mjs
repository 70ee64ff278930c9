// Static files: the console page (console/) and, under /pkg/, only the package's browser build
// (browser.mjs, js/*.mjs, wasm/web/*, data/catalog.json) so the page can import('/pkg/browser.mjs').
// Nothing else of the package is reachable: each /pkg route names its folder, and file names
// are checked against a pattern with no path separators before anything touches the disk.
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'

const MODULE_NAME = /^[a-z0-9][a-z0-9-]*\.mjs$/
const WASM_WEB_NAME = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$/

export async function registerStatic(app, packageRoot) {
  const consoleDir = join(packageRoot, 'console')
  await app.register(fastifyStatic, { root: consoleDir, prefix: '/console/', wildcard: true })
  app.get('/', (req, reply) => reply.sendFile('index.html', consoleDir))

  const send = (file) => (req, reply) => reply.sendFile(file, packageRoot)
  const sendChecked = (folder, pattern) => (req, reply) => {
    const name = req.params.file
    if (!pattern.test(name)) return reply.callNotFound()
    return reply.sendFile(name, join(packageRoot, folder))
  }
  app.get('/pkg/browser.mjs', send('browser.mjs'))
  app.get('/pkg/data/catalog.json', send('data/catalog.json'))
  app.get('/pkg/js/:file', sendChecked('js', MODULE_NAME))
  app.get('/pkg/wasm/web/:file', sendChecked('wasm/web', WASM_WEB_NAME))
}
