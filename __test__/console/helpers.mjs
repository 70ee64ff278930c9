// Shared by the console tests: the package API, an in-process app, and `elex` as a child process.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildApp } from '../../js/server/app.mjs'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = join(ROOT, 'bin', 'elex.mjs')
export const elex = createRequire(import.meta.url)(join(ROOT, 'index.js'))

/** An app on a fresh swarm, answering app.inject() (no socket). */
export async function testApp({ token, catalog, onLearned } = {}) {
  const swarm = new elex.Swarm(catalog ? { catalog, seed: 1 } : { seed: 1 })
  const app = await buildApp({ elex, swarm, token, onLearned, packageRoot: ROOT, features: catalog ?? elex.defaultCatalog() })
  return { app, swarm }
}

export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'elex-console-'))
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Runs `elex args…` to completion: { code, stdout, stderr }. Killed after timeoutMs. */
export function runCli(args, { env = {}, timeoutMs = 60_000, cwd = ROOT } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

const running = new Set()

/**
 * `elex serve --port 0 …` as a child; resolves once it printed its URL.
 * Returns { url, child, exited (a promise of { code, signal }), stderr() }.
 */
export function serve(args = [], { env = {}, timeoutMs = 60_000 } = {}) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let stdout = ''
  let stderr = ''
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { running.delete(child); resolve({ code, signal }) }))
  child.stderr.on('data', (d) => (stderr += d))
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs)
    child.stdout.on('data', (d) => {
      stdout += d
      const m = /^elex console: (http:\/\/\S+\/)\n/.exec(stdout)
      if (m) { clearTimeout(timer); resolve(m[1]) }
    })
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`exited ${code} before listening: ${stderr}`)) })
  })
  return ready.then((url) => ({ url, child, exited, stdout: () => stdout, stderr: () => stderr }))
}

/** Kills every server a test started and left running. */
export async function killAll() {
  await Promise.all([...running].map((child) => {
    const gone = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    return gone
  }))
}

export const json = (res) => JSON.parse(res.body)
