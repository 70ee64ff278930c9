// elex/wasm in Node (CommonJS): the WebAssembly build, whatever native binary exists.
'use strict'
const { createApi } = require('./js/api.mjs')
module.exports = createApi(require('./wasm/node/elex_wasm.js'), 'wasm')
