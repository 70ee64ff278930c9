// elex/wasm in Node (CommonJS): the WebAssembly build, whatever native binary exists.
'use strict'
const { createApi } = require('./js/api.mjs')
const { fileStore } = require('./js/store-node.mjs')
module.exports = createApi(require('./wasm/node/elex_wasm.js'), 'wasm', fileStore)
