// IndexedDB for save/load in browsers: one object store of snapshots by key, written in
// read-write transactions with strict durability (the browser flushes before completing).
import { codedError } from './checks.mjs'

const DB = 'elex', STORE = 'snapshots'
let opening = null

function database() {
  opening ??= new Promise((resolve, reject) => {
    const req = globalThis.indexedDB.open(DB, 1)
    req.onupgradeneeded = () => req.result.createObjectStore(STORE)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  return opening.catch((e) => {
    opening = null
    throw codedError('INTERNAL', `IndexedDB is not available: ${e && e.message}`)
  })
}

const done = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve()
  tx.onerror = tx.onabort = () => reject(codedError('INTERNAL', `IndexedDB: ${tx.error && tx.error.message}`))
})

export const indexedDbStore = {
  async write(key, bytes) {
    const db = await database()
    const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' })
    tx.objectStore(STORE).put(bytes.slice(), key)
    await done(tx)
  },
  async read(key) {
    const db = await database()
    const tx = db.transaction(STORE, 'readonly')
    const req = tx.objectStore(STORE).get(key)
    await done(tx)
    if (req.result === undefined) throw codedError('INVALID_ARGUMENT', `nothing saved under ${JSON.stringify(key)}`)
    return req.result instanceof Uint8Array ? req.result : new Uint8Array(req.result)
  },
  async exists(key) {
    const db = await database()
    const tx = db.transaction(STORE, 'readonly')
    const req = tx.objectStore(STORE).count(key)
    await done(tx)
    return req.result > 0
  },
  async remove(key) {
    const db = await database()
    const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' })
    const store = tx.objectStore(STORE)
    const counted = store.count(key)
    store.delete(key)
    await done(tx)
    return counted.result > 0
  },
}
