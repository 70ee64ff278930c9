// elex/wasm in Node (CommonJS): the WebAssembly build, whatever native binary exists.
'use strict'
const { createApi } = require('./js/api.mjs')
const { fileStore } = require('./js/store-node.mjs')
const { loadWasmForNode } = require('./js/wasm-node.cjs')
const { nodeClusterHost } = require('./js/cluster-node.mjs')
const { readFileSync } = require('node:fs')
const { join } = require('node:path')
const builtInCatalog = () => readFileSync(join(__dirname, 'data', 'catalog.json'), 'utf8')
module.exports = createApi(loadWasmForNode(), 'wasm', fileStore, null, builtInCatalog, nodeClusterHost)
