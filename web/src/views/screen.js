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
/** what a page starts with: a card, a field or a heading, never the middle of one */
const BLOCKS = 'article, .field, h3, h4, .change-section li'

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

  /**
   * Where `target` starts in the viewport's scrolled content, less its scroll-margin-top
   * (app.css): a moved-to block starts whole below the band at the top, its label not cut.
   * @param {Element} target
   */
  const startOf = (target) => {
    const offset = target.getBoundingClientRect().top - viewport.getBoundingClientRect().top
    return viewport.scrollTop + offset - (parseFloat(getComputedStyle(target).scrollMarginTop) || 0)
  }

  /**
   * The next page of the shown step: it starts at the first block the bottom edge cuts (or,
   * in a block taller than the screen, a screen further); null when the rest is in view.
   */
  const nextPage = () => {
    const view = viewport.getBoundingClientRect()
    const step = viewport.querySelector('section.step:not([hidden])')
    const below = [...(step?.querySelectorAll(BLOCKS) ?? [])].filter((el) =>
      el.getClientRects().length > 0 && el.getBoundingClientRect().bottom > view.bottom + 1)
    if (below.length === 0) return null
    const cut = below.find((el) => el.getBoundingClientRect().top > view.top + 1)
    return cut ? startOf(cut) : viewport.scrollTop + viewport.clientHeight * 0.85
  }

  setInterval(() => {
    const now = Date.now()
    if (wanted && now - lastMove >= (wanted.urgent ? ADDED_GAP_MS : HOLD_MS)) {
      const target = outOfView(wanted.selector)
      wanted = null
      if (target) moveTo(startOf(target)) // the item at the top, whole
    } else if (!wanted && now - Math.max(lastActivity, lastMove) >= IDLE_MS) {
      const next = nextPage()
      if (next !== null) moveTo(next)
      else if (viewport.scrollTop > 0) moveTo(0) // the end of the step: back to its start
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
