// save / load: one API over a byte store (files in Node, IndexedDB in browsers). The bytes
// are exactly the object's snapshot (sealed when a key is given), so a file written by one
// backend loads in the other.
import { call, codedError, describe, typeError } from './checks.mjs'
import { keyOption } from './security.mjs'

export function makeStorage(raw, classes, store) {
  const location = (where) => {
    if (typeof where !== 'string' || where.length === 0) throw typeError(`location must be a non-empty string, got ${describe(where)}`)
    return where
  }
  return {
    async save(where, object, options) {
      location(where)
      const key = keyOption(options, 'save')
      const known = Object.values(classes).some((C) => object instanceof C)
      if (!known) throw typeError(`save stores a QTable, a VectorIndex or a Swarm, got ${describe(object)}`)
      if (!store) throw codedError('INTERNAL', 'save/load are not available in this environment')
      const bytes = object.toBytes(key === undefined ? undefined : { key })
      await store.write(where, bytes)
    },
    async load(where, options) {
      location(where)
      const key = keyOption(options, 'load')
      if (!store) throw codedError('INTERNAL', 'save/load are not available in this environment')
      const bytes = await store.read(where)
      const kind = call(() => raw.snapshotKind(bytes))
      const C = classes[kind]
      if (!C) throw codedError('CORRUPT_DATA', `${where} holds a ${kind} snapshot, which this version cannot load yet`)
      return C.fromBytes(bytes, key === undefined ? undefined : { key })
    },
    /** Whether something is stored at `where`. */
    async exists(where) {
      location(where)
      if (!store) throw codedError('INTERNAL', 'save/load are not available in this environment')
      return store.exists(where)
    },
    /** Removes what is stored at `where`; false if there was nothing. */
    async remove(where) {
      location(where)
      if (!store) throw codedError('INTERNAL', 'save/load are not available in this environment')
      return store.remove(where)
    },
  }
}
