// Polite, rate-limited announcements of what others changed, for screen-reader users.
import { t } from '../messages.js'

const QUIET_MS = 4000

/**
 * @param {HTMLElement} region an element with aria-live="polite"
 * @returns {import('../types.js').Announce}
 */
export function announcer (region) {
  /** @type {string[]} */
  let queue = []
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null
  const flush = () => {
    timer = null
    if (!queue.length) return
    region.textContent = queue.length === 1 ? queue[0] : t('meeting.announce.many', { n: queue.length })
    queue = []
    timer = setTimeout(flush, QUIET_MS)
  }
  return (message) => {
    queue.push(message)
    if (!timer) flush()
  }
}
