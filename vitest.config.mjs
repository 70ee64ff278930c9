import { defineConfig } from 'vitest/config'

// One suite, run once per backend, plus the cross-backend checks (parity, real browser).
const backend = (name) => ({
  test: {
    name,
    include: ['__test__/*.spec.mjs'],
    exclude: ['__test__/parity.spec.mjs', '__test__/browser.spec.mjs', '__test__/wasm-threads.spec.mjs', '__test__/surface.spec.mjs', '__test__/readme.spec.mjs'],
    env: { ELEX_BACKEND: name },
  },
})

export default defineConfig({
  test: {
    projects: [
      backend('native'),
      backend('wasm'),
      {
        test: {
          name: 'cross',
          include: ['__test__/parity.spec.mjs', '__test__/browser.spec.mjs', '__test__/wasm-threads.spec.mjs', '__test__/surface.spec.mjs', '__test__/readme.spec.mjs'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Nodes that learn together: several processes each, so one file at a time.
        test: {
          name: 'cluster',
          include: ['__test__/cluster/*.spec.mjs'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The console: HTTP server, CLI and the web page (server on the native addon, page in Chromium).
        test: {
          name: 'console',
          include: ['__test__/console/*.spec.mjs'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
