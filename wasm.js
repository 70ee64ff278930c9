// elex/wasm in Node (CommonJS): the WebAssembly build, whatever native binary exists.
'use strict'
const { createApi } = require('./js/api.mjs')
const { fileStore } = require('./js/store-node.mjs')
const { loadWasmForNode } = require('./js/wasm-node.cjs')
module.exports = createApi(loadWasmForNode(), 'wasm', fileStore)
