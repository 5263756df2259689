// The shared screen follows the table by itself: nobody at the table can press anything on it.
// It brings the item being edited or just added into view, calmly (one move at a time, and a
// moved-to item stays at least HOLD_MS before an edit elsewhere moves it on), and pages
// through a long step when nothing happens for IDLE_MS, so every goal gets its turn.

/** a new item is shown within this long of its arrival (issue 18: within 2 s) */
const ADDED_GAP_MS = 500
/** an edit elsewhere waits this long after the last move: nobody reads faster */
const HOLD_MS = 4000
/** with nothing happening, the next page of a long step after this long */
const IDLE_MS = 12000
const TICK_MS = 200

/**
 * @param {import('../types.js').Context} ctx
 * @param {HTMLElement} viewport the element that scrolls (#steps on the screen)
 */
export function followTheTable (ctx, viewport) {
  /** @type {{selector: string, urgent: boolean} | null} */
  let wanted = null
  let lastMove = 0
  let lastActivity = Date.now()
  const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches

  /** @param {string} selector @param {boolean} urgent */
  const want = (selector, urgent) => {
    lastActivity = Date.now()
    if (!wanted || urgent || !wanted.urgent) wanted = { selector, urgent }
  }

  for (const name of ['goals', 'actions', 'decisions']) {
    const list = ctx.doc.getArray(name)
    list.observeDeep((events) => {
      for (const event of events) {
        if (event.target === list) {
          for (const item of event.changes.added) {
            for (const map of item.content.getContent()) {
              const id = map?.get?.('id')
              if (id) want(`[data-id="${CSS.escape(String(id))}"]`, true)
            }
          }
        } else {
          const index = event.path[0]
          const id = typeof index === 'number' ? list.get(index)?.get?.('id') : null
          if (id) want(`[data-id="${CSS.escape(String(id))}"]`, false)
        }
      }
    })
  }
  for (const name of ['vision', 'strengths', 'concerns', 'minutes']) {
    ctx.doc.getText(name).observe(() => want(`[data-field="${name}"]`, false))
  }

  /** The shown step's element for `selector`, if it is there and not fully in view. */
  const outOfView = (/** @type {string} */ selector) => {
    const step = viewport.querySelector('section.step:not([hidden])')
    const el = step?.querySelector(selector)
    const target = el?.closest('article, .field') ?? el
    if (!(target instanceof HTMLElement)) return null
    const box = target.getBoundingClientRect()
    const view = viewport.getBoundingClientRect()
    return box.top >= view.top && box.bottom <= view.bottom ? null : target
  }

  /** @param {number} top */
  const moveTo = (top) => {
    viewport.scrollTo({ top: Math.max(0, top), behavior: smooth ? 'smooth' : 'auto' })
    lastMove = Date.now()
  }

  setInterval(() => {
    const now = Date.now()
    if (wanted && now - lastMove >= (wanted.urgent ? ADDED_GAP_MS : HOLD_MS)) {
      const target = outOfView(wanted.selector)
      wanted = null
      if (target) {
        // the item near the top, with a little of what came before it for context
        const offset = target.getBoundingClientRect().top - viewport.getBoundingClientRect().top
        moveTo(viewport.scrollTop + offset - viewport.clientHeight * 0.1)
      }
    } else if (!wanted && now - Math.max(lastActivity, lastMove) >= IDLE_MS) {
      const end = viewport.scrollHeight - viewport.clientHeight
      if (end > 0) moveTo(viewport.scrollTop >= end - 1 ? 0 : viewport.scrollTop + viewport.clientHeight * 0.85)
      else lastMove = now
    }
  }, TICK_MS)

  return {
    /** A new step starts at its top. */
    stepChanged () {
      viewport.scrollTo({ top: 0 })
      lastMove = lastActivity = Date.now()
      wanted = null
    }
  }
}
