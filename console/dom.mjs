// Small DOM helpers shared by the panels: element building, readable errors, copy buttons,
// risk badges and number formatting. No framework: the page is a handful of panels.

/** h('div.answer', { id: 'x', onclick }, child, 'text', [more]) → an element. */
export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.')
  const el = document.createElement(name)
  if (classes.length) el.className = classes.join(' ')
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs)
    attrs = null
  }
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v)
    else if (k === 'dataset') Object.assign(el.dataset, v)
    else if (k in el && k !== 'list' && typeof v !== 'string') el[k] = v
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  el.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false))
  return el
}

export const $ = (selector, root = document) => root.querySelector(selector)

/** Replaces a panel's content. */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false))
  return el
}

/** An error as the engine or the server gave it: its code, then its message. */
export function errorBox(e, doing) {
  const code = e?.code ?? 'ERROR'
  const message = e?.message ?? String(e)
  return h('div.error', { role: 'alert' },
    h('strong', doing ? `${doing} failed: ` : ''), h('code.error-code', code), ' ', h('span.error-message', message))
}

/** Shows `work()`'s result in `el`, or its error; never leaves the panel blank. */
export async function inPanel(el, doing, work) {
  el.setAttribute('aria-busy', 'true')
  try {
    const content = await work()
    if (content !== undefined) fill(el, content)
  } catch (e) {
    fill(el, errorBox(e, doing))
  } finally {
    el.removeAttribute('aria-busy')
  }
}

// navigator.clipboard needs a secure context and focus; the hidden textarea covers the rest
// (plain http on a LAN address, or a browser that refuses the permission).
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    const area = h('textarea.offscreen', { 'aria-hidden': 'true', readonly: true })
    area.value = text
    document.body.append(area)
    area.select()
    const ok = document.execCommand('copy')
    area.remove()
    return ok
  }
}

export function copyButton(text, label = 'Copy') {
  const button = h('button.copy', { type: 'button', title: `Copy: ${text}`, 'aria-label': `Copy ${text}` }, label)
  button.addEventListener('click', async () => {
    const ok = await copyText(text)
    button.textContent = ok ? 'Copied' : 'Copy failed'
    button.dataset.copied = String(ok)
    setTimeout(() => { button.textContent = label }, 1500)
  })
  return button
}

/** A command line ready to paste, with its copy button. */
export function commandLine(command, extra) {
  return h('div.command', h('code', command), copyButton(command), extra)
}

export const riskBadge = (risk) => h('span.risk', { dataset: { risk }, title: `risk ${risk}` }, risk)
export const statusBadge = (status) => h('span.status', { dataset: { status } }, status)

export const percent = (x) => `${(x * 100).toFixed(0)} %`
export function micros(us) {
  if (!Number.isFinite(us)) return '–'
  return us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us.toFixed(0)} µs`
}
export const bytes = (n) => (n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`)

/** A value typed in a form field as the engine wants it: number, boolean or text. */
export function parseValue(text) {
  const t = text.trim()
  if (t === '') return undefined
  if (t === 'true' || t === 'false') return t === 'true'
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return Number(t)
  return t
}

/** A confidence or score as a small labelled bar. */
export function meter(value, label) {
  const v = Math.max(0, Math.min(1, value))
  return h('span.meter', { role: 'img', 'aria-label': `${label} ${percent(v)}` },
    h('span.meter-bar', h('span.meter-fill', { style: `width:${(v * 100).toFixed(1)}%` })),
    h('span.meter-text', percent(v)))
}
