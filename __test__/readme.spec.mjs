// Every ```js block of the README runs as written: each is saved as an ES module inside the
// package (so `import … from 'elex'` resolves to this checkout, as it would for a user who
// installed it) and run in its own Node process, once per backend.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/^```js\n([^]*?)^```$/gm)].map((m) => m[1])
const folder = mkdtempSync(join(root, '.readme-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

describe('README snippets', () => {
  it('there are snippets to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4)
  })

  blocks.forEach((code, i) => {
    const title = code.split('\n').find((l) => l.trim() && !l.startsWith('import')) ?? ''
    for (const backend of ['native', 'wasm']) {
      it(`#${i + 1} (${backend}): ${title.slice(0, 60)}`, () => {
        const file = join(folder, `snippet-${i + 1}.mjs`)
        writeFileSync(file, code)
        const run = spawnSync(process.execPath, [file], { env: { ...process.env, ELEX_BACKEND: backend }, encoding: 'utf8', timeout: 60_000 })
        expect(run.stderr).toBe('')
        expect(run.status).toBe(0)
      })
    }
  })
})
