// Files for save/load in Node, written so that a crash at any moment leaves either the old
// file or the new one: a temporary file in the same folder, fsync, rename over the target
// (atomic on POSIX and NTFS), then fsync of the folder so the rename itself is durable.
import { access, open, readFile, rename, rm, unlink } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { codedError } from './checks.mjs'

// `temp`: the temporary file of a save, named in the message as the file being saved (its
// own name is an implementation detail).
function ioError(e, what, temp, target) {
  const code = e && e.code === 'ENOENT' ? 'INVALID_ARGUMENT' : 'INTERNAL'
  let reason = e && e.message ? e.message : String(e)
  if (temp) reason = reason.split(temp).join(target)
  const err = codedError(code, `${what}: ${reason}`)
  err.cause = e
  return err
}

export const fileStore = {
  async write(path, bytes) {
    const target = resolve(path)
    const folder = dirname(target)
    const temp = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
    try {
      const file = await open(temp, 'wx', 0o600)
      try {
        await file.writeFile(bytes)
        await file.sync()
      } finally {
        await file.close()
      }
      await rename(temp, target)
    } catch (e) {
      await rm(temp, { force: true }).catch(() => {})
      throw ioError(e, `could not save ${path}`, temp, target)
    }
    // The rename is durable once the folder is synced (not possible on Windows: skipped).
    if (process.platform !== 'win32') {
      const dir = await open(folder, 'r').catch(() => null)
      if (dir) {
        try { await dir.sync() } catch { /* some file systems refuse; the rename stands */ } finally { await dir.close() }
      }
    }
  },
  async exists(path) {
    return access(path).then(() => true, () => false)
  },
  async remove(path) {
    try {
      await unlink(path)
      return true
    } catch (e) {
      if (e && e.code === 'ENOENT') return false
      throw ioError(e, `could not remove ${path}`)
    }
  },
  async read(path) {
    try {
      const buf = await readFile(path)
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
    } catch (e) {
      throw ioError(e, `could not load ${path}`)
    }
  },
}
