// Identities, signatures and AES-256-GCM over the raw backends (the Rust engine does the
// cryptography; this layer checks argument types and maps errors, as everywhere).
import { call, rawOf, describe, typeError, uint8 } from './checks.mjs'

/** The `{ key }` of toBytes / fromBytes / save / load options: a Uint8Array or undefined. */
export function keyOption(options, what) {
  if (options === undefined) return undefined
  if (options === null || typeof options !== 'object') throw typeError(`${what} options must be an object, got ${describe(options)}`)
  for (const name of Object.keys(options)) {
    if (name !== 'key') throw typeError(`unknown ${what} option ${JSON.stringify(name)} (known: key)`)
  }
  return options.key === undefined ? undefined : uint8('key', options.key)
}

export function makeSecurity(raw) {
  const ADOPT = Symbol('adopt')
  let adopting = null

  class Identity {
    #raw
    #h

    constructor(token) {
      if (token !== ADOPT) throw typeError('use Identity.generate() or Identity.fromSecretKey(secretKey)')
      this.#raw = adopting
      adopting = null
      this.#h = this.#raw.handle
      rawOf.set(this, this.#raw)
    }

    static generate() {
      adopting = call(() => raw.Identity.generate())
      return new Identity(ADOPT)
    }

    static fromSecretKey(secretKey) {
      uint8('secretKey', secretKey)
      adopting = call(() => raw.Identity.fromSecretKey(secretKey))
      return new Identity(ADOPT)
    }

    /** 32 bytes, raw Ed25519 (a fresh copy each time). */
    get publicKey() {
      return call(() => raw.identityPublicKey(this.#h))
    }

    get agentId() {
      return call(() => raw.identityAgentId(this.#h))
    }

    sign(message) {
      uint8('message', message)
      return call(() => raw.identitySign(this.#h, message))
    }

    secretKey() {
      return call(() => raw.identitySecretKey(this.#h))
    }
  }

  return {
    Identity,
    verify(publicKey, message, signature) {
      uint8('publicKey', publicKey); uint8('message', message); uint8('signature', signature)
      return call(() => raw.verify(publicKey, message, signature))
    },
    generateKey: () => call(() => raw.generateKey()),
    encrypt(key, plaintext, aad) {
      uint8('key', key); uint8('plaintext', plaintext)
      if (aad !== undefined) uint8('aad', aad)
      return call(() => raw.encrypt(key, plaintext, aad))
    },
    decrypt(key, sealed, aad) {
      uint8('key', key); uint8('sealed', sealed)
      if (aad !== undefined) uint8('aad', aad)
      return call(() => raw.decrypt(key, sealed, aad))
    },
  }
}
