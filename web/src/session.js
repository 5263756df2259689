// The warning before a session ends (idle or absolute timeout), on every page with a session.
// The server counts the seconds (no clock skew); this module asks again just before warning,
// because activity elsewhere (an open meeting connection, another tab) may have moved the end.
import { t } from './messages.js'

/** The CSRF token of this page (server/middleware/csrf.py), for fetch requests that change state. */
export function csrfToken () {
  return document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') || ''
}

/**
 * @typedef {Object} Status
 * @property {number} ends_in seconds until the session ends without activity
 * @property {number} expires_in seconds until it ends regardless (absolute timeout)
 */

const box = document.getElementById('session-warning')
if (box) watch(box)

/** @param {HTMLElement} box */
function watch (box) {
  const data = box.dataset
  const warn = Number(data.warn || 300)
  const query = `?as=${encodeURIComponent(data.session || '')}`
  let timer = 0

  /** @param {Status} status */
  function schedule (status) {
    clearTimeout(timer)
    const left = Math.min(status.ends_in, status.expires_in)
    if (left <= 0) return ended()
    if (left > warn) {
      timer = window.setTimeout(check, (left - warn) * 1000)
      return
    }
    show(status)
    timer = window.setTimeout(check, Math.min(left, 60) * 1000)
  }

  async function check () {
    const response = await fetch(`/session${query}`, { credentials: 'same-origin' })
    if (response.status === 401) return ended()
    if (response.ok) schedule(await response.json())
    else timer = window.setTimeout(check, 30_000)
  }

  /** @param {Status} status */
  function show (status) {
    const idle = status.ends_in < status.expires_in
    const minutes = Math.max(1, Math.ceil(Math.min(status.ends_in, status.expires_in) / 60))
    const key = idle ? 'session.idle_warning' : 'session.end_warning'
    const text = t(key, { minutes })
    const message = document.createElement('p')
    message.textContent = text
    /** @type {HTMLElement[]} */
    const parts = [message]
    if (idle) {
      const stay = document.createElement('button')
      stay.type = 'button'
      stay.className = 'button primary'
      stay.textContent = t('session.stay')
      stay.addEventListener('click', keepAlive)
      parts.push(stay)
    }
    box.replaceChildren(...parts)
    box.classList.add('shown')
  }

  async function keepAlive () {
    const response = await fetch(`/session/keepalive${query}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrfToken() }
    })
    if (response.status === 401) return ended()
    if (!response.ok) return
    const message = document.createElement('p')
    message.textContent = t('session.stayed')
    box.replaceChildren(message)
    box.classList.remove('shown')
    schedule(await response.json())
  }

  function ended () {
    clearTimeout(timer)
    const message = document.createElement('p')
    message.textContent = t('session.ended')
    /** @type {HTMLElement[]} */
    const parts = [message]
    if (data.staff === '1') {
      const link = document.createElement('a')
      link.className = 'button primary'
      link.href = '/login'
      link.textContent = t('session.login_again')
      parts.push(link)
    }
    box.replaceChildren(...parts)
    box.classList.add('shown')
  }

  schedule({ ends_in: Number(data.endsIn), expires_in: Number(data.expiresIn) })
}
