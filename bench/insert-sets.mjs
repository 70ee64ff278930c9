// The four 10 000-vector sets that the insert benchmarks share (bench/insert-ratio.mjs,
// bench/insert-contention.mjs): `rows` vectors each, filtered by a --sets list.
import {
  clustered, fashionMnist, hasFashionMnist, randomProjection, randomUnit,
} from '../__test__/helpers/datasets.mjs'

/** [{ name, metric, dim, make() -> Float32Array of rows × dim }] for the names in `only` (all if null). */
export function insertSets(rows, only) {
  const sets = []
  const add = (name, metric, dim, make) => { if (!only || only.includes(name)) sets.push({ name, metric, dim, make }) }
  add('random', 'cosine', 128, () => randomUnit(rows, 128, 1))
  add('clustered', 'cosine', 128, () => clustered(rows, 128, { clusters: 100, seed: 5 }))
  if (hasFashionMnist()) {
    add('fashion784', 'l2', 784, () => fashionMnist('train', rows).data)
    add('fashion128', 'l2', 128, () => randomProjection(fashionMnist('train', rows).data, 784, 128))
  } else {
    console.log('(Fashion-MNIST not installed: run scripts/datasets.sh; skipping those sets)')
  }
  return sets
}

/** The --sets list from the command line, or null. */
export function setsArg(args = process.argv.slice(2)) {
  return args.includes('--sets') ? args[args.indexOf('--sets') + 1].split(',') : null
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
