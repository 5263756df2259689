// Joining by code, before admission: the code page and the waiting page.
// - The QR code on the shared screen opens /code#ABCD-2345: the code rides after "#", which
//   the browser never sends, so it stays out of server logs; we fill it in and post it.
// - The waiting page asks the server every 2 s whether the coordinator decided, and opens
//   the meeting once admitted (no reload needed).

const POLL_MS = 2000

/** @type {HTMLFormElement | null} */
const form = document.querySelector('form[data-code-form]')
if (form && location.hash.length > 1) {
  const code = decodeURIComponent(location.hash.slice(1))
  history.replaceState(null, '', location.pathname) // not in the history either
  const input = /** @type {HTMLInputElement} */ (form.querySelector('input[name=code]'))
  input.value = code
  form.requestSubmit()
}

// a wrong code comes back in the field, focused, the caret at its end: corrected, not retyped
/** @type {HTMLInputElement | null | undefined} */
const retry = form?.querySelector('input[data-correct]')
if (retry) {
  retry.focus()
  retry.setSelectionRange(retry.value.length, retry.value.length)
}

/** @type {HTMLElement | null} */
const waiting = document.querySelector('[data-admission]')
if (waiting) watch(waiting)

/**
 * The waiting page: ask until the coordinator decides; open the meeting once admitted.
 * @param {HTMLElement} waiting
 */
function watch (waiting) {
  /** @param {string} status pending, admitted, refused, removed, ended… (the server's words) */
  const show = (status) => {
    waiting.dataset.admission = status
    for (const el of /** @type {NodeListOf<HTMLElement>} */ (waiting.querySelectorAll('[data-when]'))) {
      el.hidden = el.dataset.when !== status
    }
    const ended = /** @type {HTMLElement} */ (waiting.querySelector('[data-when-ended]'))
    ended.hidden = status === 'pending' || status === 'admitted'
  }
  const poll = async () => {
    let body = null
    try {
      const response = await fetch(waiting.dataset.statusUrl || '', { cache: 'no-store' })
      body = await response.json()
    } catch { /* no connection for a moment: ask again */ }
    const status = body?.status
    if (status && status !== waiting.dataset.admission) show(status)
    if (status === 'admitted' && body.meeting_url) {
      const open = /** @type {HTMLElement} */ (waiting.querySelector('[data-open-meeting]'))
      const link = /** @type {HTMLAnchorElement} */ (open.querySelector('a'))
      link.href = body.meeting_url
      open.hidden = false
      location.assign(body.meeting_url)
      return
    }
    if (!status || status === 'pending') setTimeout(poll, POLL_MS)
  }
  if (waiting.dataset.admission === 'pending' || waiting.dataset.admission === 'admitted') poll()
}
