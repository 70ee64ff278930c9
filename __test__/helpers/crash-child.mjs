// Crash-test child: grows a Q-table and an index and saves both after every step, forever,
// until the parent kills it (SIGKILL). It resumes from what the last run saved.
//   node crash-child.mjs <folder>      (backend from ELEX_BACKEND)
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const { QTable, VectorIndex, save, load } = require('../../index.js')
const folder = process.argv[2]
const [qPath, ixPath] = [join(folder, 'q.elex'), join(folder, 'ix.elex')]
export const DIM = 8
export const vectorOf = (id) => Float32Array.from({ length: DIM }, (_, j) => Math.sin(id * 0.37 + j))

const q = existsSync(qPath) ? await load(qPath) : new QTable({ actions: 3, alpha: 0.5, seed: 1 })
const ix = existsSync(ixPath) ? await load(ixPath) : new VectorIndex({ dim: DIM, seed: 1 })
let told = false
for (let step = q.size + 1; ; step++) {
  // State `step` gets one update: Q(step, step % 3) = alpha * step (terminal, from 0).
  q.update(step, step % 3, step, null)
  // The index holds ids 1..size; a kill between the two saves can leave it one behind.
  for (let id = ix.size + 1; id <= step; id++) ix.add(id, vectorOf(id))
  await save(qPath, q)
  await save(ixPath, ix)
  if (!told) { process.stdout.write('saving\n'); told = true }
}
