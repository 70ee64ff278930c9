// Identities, signatures, AES-256-GCM, sealed snapshots and save/load, once per backend.
// Interop: Node's own crypto verifies and decrypts what elex produces, and the reverse.
import crypto from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const elex = require('../index.js')
const { Identity, QTable, VectorIndex, verify, generateKey, encrypt, decrypt, save, load } = elex
const bytes = (s) => new TextEncoder().encode(s)

function codeOf(fn) {
  try { fn() } catch (e) { expect(e).toBeInstanceOf(Error); return e.code }
  throw new Error('expected a throw')
}
async function codeOfAsync(p) {
  try { await p } catch (e) { expect(e).toBeInstanceOf(Error); return e.code }
  throw new Error('expected a rejection')
}

// Node's KeyObjects for raw Ed25519 keys (JWK is the raw-key door in node:crypto).
const b64url = (u8) => Buffer.from(u8).toString('base64url')
const nodePublicKey = (raw) => crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(raw) }, format: 'jwk' })
const rawPublicKey = (keyObject) => new Uint8Array(Buffer.from(keyObject.export({ format: 'jwk' }).x, 'base64url'))

/** `snapshot` with byte `i` set to `value` and its CRC-32 trailer recomputed (a forgery). */
function forge(snapshot, i, value) {
  const out = snapshot.slice()
  out[i] = value
  const view = new DataView(out.buffer)
  view.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true)
  return out
}

describe(`security (${elex.backend})`, () => {
  it('identities sign, verify strictly, and come back from their secret key', () => {
    const id = Identity.generate()
    expect(id.publicKey).toBeInstanceOf(Uint8Array)
    expect(id.publicKey.length).toBe(32)
    expect(id.agentId).toMatch(/^agent-[0-9a-f]{32}$/)
    const sig = id.sign(bytes('config change 42'))
    expect(sig.length).toBe(64)
    expect(verify(id.publicKey, bytes('config change 42'), sig)).toBe(true)
    expect(verify(id.publicKey, bytes('config change 43'), sig)).toBe(false)
    const bad = sig.slice(); bad[0] ^= 1
    expect(verify(id.publicKey, bytes('config change 42'), bad)).toBe(false)
    expect(verify(id.publicKey, bytes('config change 42'), sig.subarray(0, 63))).toBe(false)
    const again = Identity.fromSecretKey(id.secretKey())
    expect(again.agentId).toBe(id.agentId)
    expect(Array.from(again.publicKey)).toEqual(Array.from(id.publicKey))
    expect(Identity.generate().agentId).not.toBe(id.agentId)
    // A small-order public key never verifies (R = identity, S = 0 would pass loose rules).
    const weak = new Uint8Array(32); weak[0] = 1
    const trivial = new Uint8Array(64); trivial[0] = 1
    expect(verify(weak, bytes('anything'), trivial)).toBe(false)
    expect(codeOf(() => verify(new Uint8Array(31), bytes('x'), sig))).toBe('INVALID_KEY')
    expect(codeOf(() => Identity.fromSecretKey(new Uint8Array(31)))).toBe('INVALID_KEY')
    expect(codeOf(() => Identity.fromSecretKey('secret'))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => id.sign('text'))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => new Identity())).toBe('INVALID_ARGUMENT')
  })

  it('Ed25519 interop with node:crypto, both directions', () => {
    const id = Identity.generate()
    const msg = bytes('signed by elex')
    expect(crypto.verify(null, msg, nodePublicKey(id.publicKey), id.sign(msg))).toBe(true)
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519')
    const theirs = crypto.sign(null, bytes('signed by node'), privateKey)
    expect(verify(rawPublicKey(publicKey), bytes('signed by node'), new Uint8Array(theirs))).toBe(true)
    // And the same key imported as an elex identity signs identically (Ed25519 is deterministic).
    const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d, 'base64url')
    expect(Buffer.from(Identity.fromSecretKey(new Uint8Array(seed)).sign(bytes('signed by node'))).equals(theirs)).toBe(true)
  })

  it('AES-256-GCM: nonce || ciphertext || tag, tamper-evident, interoperable with node:crypto', () => {
    const key = generateKey()
    expect(key.length).toBe(32)
    const aad = bytes('header')
    const sealed = encrypt(key, bytes('counter snapshot'), aad)
    expect(sealed.length).toBe(12 + 16 + 16)
    expect(new TextDecoder().decode(decrypt(key, sealed, aad))).toBe('counter snapshot')
    expect(Buffer.from(encrypt(key, bytes('counter snapshot'), aad)).equals(Buffer.from(sealed))).toBe(false)
    for (const i of [0, 11, 12, 20, sealed.length - 1]) {
      const t = sealed.slice(); t[i] ^= 0x40
      expect(codeOf(() => decrypt(key, t, aad))).toBe('DECRYPTION_FAILED')
    }
    expect(codeOf(() => decrypt(key, sealed))).toBe('DECRYPTION_FAILED') // aad missing
    expect(codeOf(() => decrypt(generateKey(), sealed, aad))).toBe('DECRYPTION_FAILED')
    expect(codeOf(() => decrypt(key, sealed.subarray(0, 27), aad))).toBe('DECRYPTION_FAILED')
    expect(codeOf(() => encrypt(key.subarray(0, 16), bytes('x')))).toBe('INVALID_KEY')
    expect(codeOf(() => decrypt(new Uint8Array(33), sealed))).toBe('INVALID_KEY')
    expect(codeOf(() => encrypt('key', bytes('x')))).toBe('INVALID_ARGUMENT')

    // node:crypto opens ours ...
    const d = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12))
    d.setAAD(aad); d.setAuthTag(sealed.subarray(sealed.length - 16))
    expect(Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]).toString()).toBe('counter snapshot')
    // ... and we open node's.
    const nonce = crypto.randomBytes(12)
    const c = crypto.createCipheriv('aes-256-gcm', key, nonce)
    c.setAAD(aad)
    const body = Buffer.concat([c.update('from node'), c.final()])
    const theirs = new Uint8Array(Buffer.concat([nonce, body, c.getAuthTag()]))
    expect(new TextDecoder().decode(decrypt(key, theirs, aad))).toBe('from node')
  })

  it('sealed snapshots open only with their key, and the header cannot be swapped', () => {
    const key = generateKey()
    const q = new QTable({ actions: 3, seed: 2 })
    q.update(1, 2, 0.5, 3); q.update('s', 0, -1, null)
    const sealed = q.toBytes({ key })
    const back = QTable.fromBytes(sealed, { key })
    expect(Array.from(back.qValues(1))).toEqual(Array.from(q.qValues(1)))
    expect(codeOf(() => QTable.fromBytes(sealed))).toBe('INVALID_KEY')
    expect(codeOf(() => QTable.fromBytes(sealed, { key: generateKey() }))).toBe('DECRYPTION_FAILED')
    expect(codeOf(() => QTable.fromBytes(q.toBytes(), { key }))).toBe('DECRYPTION_FAILED') // not sealed
    expect(codeOf(() => q.toBytes({ key: new Uint8Array(16) }))).toBe('INVALID_KEY')
    expect(codeOf(() => q.toBytes({ secret: key }))).toBe('INVALID_ARGUMENT')
    // Relabelled as an index (kind byte 6), or as unsealed (flags byte 7), with a valid CRC.
    expect(codeOf(() => VectorIndex.fromBytes(forge(sealed, 6, 2), { key }))).toBe('DECRYPTION_FAILED')
    expect(codeOf(() => QTable.fromBytes(forge(sealed, 7, 0), { key }))).toBe('DECRYPTION_FAILED')
    expect(codeOf(() => QTable.fromBytes(forge(sealed, 30, sealed[30] ^ 1), { key }))).toBe('DECRYPTION_FAILED')

    const ix = new VectorIndex({ dim: 4, seed: 1 })
    ix.addBatch(new Uint32Array([1, 2, 3]), Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)))
    const ixBack = VectorIndex.fromBytes(ix.toBytes({ key }), { key })
    expect(Array.from(ixBack.search(new Float32Array([1, 0, 0, 0]), 3).ids)).toEqual(Array.from(ix.search(new Float32Array([1, 0, 0, 0]), 3).ids))
  })

  it('save/load: files written atomically, the stored kind comes back, sealed or not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'elex-save-'))
    const q = new QTable({ actions: 2, seed: 3 }); q.update(5, 1, 1, null)
    const ix = new VectorIndex({ dim: 2, metric: 'l2' }); ix.add(9, new Float32Array([1, 2]))
    const key = generateKey()
    await save(join(dir, 'q.elex'), q)
    await save(join(dir, 'ix.elex'), ix, { key })
    await save(join(dir, 'q.elex'), q) // overwrite in place
    const q2 = await load(join(dir, 'q.elex'))
    expect(q2).toBeInstanceOf(QTable)
    expect(q2.qValues(5)[1]).toBeCloseTo(q.qValues(5)[1], 6)
    const ix2 = await load(join(dir, 'ix.elex'), { key })
    expect(ix2).toBeInstanceOf(VectorIndex)
    expect(ix2.has(9)).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['ix.elex', 'q.elex']) // no temporary files left
    expect(await codeOfAsync(load(join(dir, 'ix.elex')))).toBe('INVALID_KEY')
    expect(await codeOfAsync(load(join(dir, 'missing.elex')))).toBe('INVALID_ARGUMENT')
    writeFileSync(join(dir, 'junk.elex'), 'not a snapshot')
    expect(await codeOfAsync(load(join(dir, 'junk.elex')))).toBe('CORRUPT_DATA')
    const damaged = readFileSync(join(dir, 'q.elex')); damaged[20] ^= 1
    writeFileSync(join(dir, 'damaged.elex'), damaged)
    expect(await codeOfAsync(load(join(dir, 'damaged.elex')))).toBe('CORRUPT_DATA')
    expect(await codeOfAsync(save(join(dir, 'x'), { toBytes: () => new Uint8Array(1) }))).toBe('INVALID_ARGUMENT')
    expect(await codeOfAsync(save('', q))).toBe('INVALID_ARGUMENT')
    expect(await codeOfAsync(save(join(dir, 'no-such-dir', 'q.elex'), q))).toBe('INVALID_ARGUMENT')
  })
})
