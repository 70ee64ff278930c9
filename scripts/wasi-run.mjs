// Cargo runner for wasm32-wasip1 test binaries: runs them in Node's WASI implementation
// (no extra runtime to install). Exit code is the test binary's. Run with --no-warnings:
// node:wasi is marked experimental in Node 20.
import { readFile } from 'node:fs/promises'
import { argv, env, exit } from 'node:process'
import { WASI } from 'node:wasi'

const [file, ...args] = argv.slice(2)
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env, preopens: { '/': '/' }, returnOnExit: true })
const module = await WebAssembly.compile(await readFile(file))
const instance = await WebAssembly.instantiate(module, wasi.getImportObject())
exit(wasi.start(instance))
