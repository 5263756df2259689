// Two-way binding between a Y.Text and a <textarea> or <input>.
// Local typing becomes the smallest delete+insert; remote changes move our caret with the
// text around it, so when two people type in one field both keep their text and nobody's
// caret jumps. With `writable: false` nothing typed here reaches the document (the field is
// someone else's to write: the server would refuse the update); with `limit` no edit makes the
// text longer than that many characters (UTF-16 units, as `maxlength` counts them: never fewer
// than the server's code points); `onFirstWords` runs inside the edit that gives an empty text
// its first words (where the plan's texts note their language).

/**
 * @param {import('yjs').Text} ytext
 * @param {HTMLTextAreaElement|HTMLInputElement} el
 * @param {{writable?: boolean, limit?: number, onChange?: () => void,
 *   onFirstWords?: () => void}} [options]
 */
export function bindText (ytext, el, options = {}) {
  const origin = {} // marks our own transactions
  const writable = options.writable !== false
  const limit = options.limit ?? Infinity
  const changed = options.onChange ?? (() => {})
  let composing = false
  // people's own words run in their own direction: Dutch in an Arabic page, Arabic in a Dutch one
  el.dir = 'auto'
  el.value = ytext.toString()

  const pushLocal = () => {
    const before = ytext.toString()
    let after = el.value
    if (before === after) return
    if (!writable) { el.value = before; return }
    if (after.length > limit && after.length > before.length) after = clip(before, after, limit, el)
    if (before === after) { changed(); return }
    const [start, endBefore, endAfter] = changedRange(before, after)
    // a Y.Text outside a document (a missing field's stand-in) has nowhere to keep an edit
    if (!ytext.doc) throw new Error('bindText: this Y.Text is not in a document')
    ytext.doc.transact(() => {
      if (endBefore > start) ytext.delete(start, endBefore - start)
      if (endAfter > start) ytext.insert(start, after.slice(start, endAfter))
      if (!before) options.onFirstWords?.()
    }, origin)
    changed()
  }

  el.addEventListener('compositionstart', () => { composing = true })
  el.addEventListener('compositionend', () => { composing = false; pushLocal() })
  el.addEventListener('input', () => { if (!composing) pushLocal() })

  ytext.observe((event, transaction) => {
    if (transaction.origin === origin) return
    const focused = document.activeElement === el
    let [start, end] = [el.selectionStart ?? 0, el.selectionEnd ?? 0]
    let index = 0
    for (const op of event.delta) {
      if (op.retain) index += op.retain
      else if (op.insert) {
        const length = typeof op.insert === 'string' ? op.insert.length : 1
        if (index < start) start += length
        if (index < end) end += length
        index += length
      } else if (op.delete) {
        if (index < start) start -= Math.min(op.delete, start - index)
        if (index < end) end -= Math.min(op.delete, end - index)
      }
    }
    el.value = ytext.toString()
    if (focused) el.setSelectionRange(start, end)
    changed()
  })
}

/**
 * `after` (the field's new value) cut back to `limit` characters by dropping the end of what
 * was just inserted; the field shows the result, the caret after the kept part.
 * @param {string} before @param {string} after @param {number} limit
 * @param {HTMLTextAreaElement|HTMLInputElement} el
 */
function clip (before, after, limit, el) {
  const [start, , endAfter] = changedRange(before, after)
  let keep = Math.max(0, endAfter - start - (after.length - limit))
  // never keep half of a surrogate pair
  if (keep > 0 && /[\uD800-\uDBFF]/.test(after[start + keep - 1])) keep--
  const clipped = after.slice(0, start + keep) + after.slice(endAfter)
  el.value = clipped
  el.setSelectionRange(start + keep, start + keep)
  return clipped
}

/**
 * Where `before` and `after` differ: [start, end in before, end in after].
 * @param {string} before @param {string} after
 * @returns {[number, number, number]}
 */
function changedRange (before, after) {
  let start = 0
  while (start < before.length && start < after.length && before[start] === after[start]) start++
  let endBefore = before.length
  let endAfter = after.length
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--
    endAfter--
  }
  return [start, endBefore, endAfter]
}

/**
 * Two-way binding between one key of a Y.Map and a <select> or <input>; with `writable: false`
 * a change here is put back instead of written; `onShow` runs each time the document's value
 * is shown.
 * @param {import('yjs').Map<any>} ymap
 * @param {string} key
 * @param {HTMLSelectElement|HTMLInputElement} el
 * @param {{parse?: (value: string) => any, writable?: boolean, onShow?: () => void}} [options]
 */
export function bindField (ymap, key, el, options = {}) {
  const parse = options.parse ?? ((v) => v || null)
  const show = () => {
    el.value = ymap.get(key) ?? ''
    // a date input has no :placeholder-shown: the shared screen hides empty fields by this
    el.toggleAttribute('data-empty', !el.value)
    options.onShow?.()
  }
  el.addEventListener('change', () => {
    if (options.writable === false) show()
    else ymap.set(key, parse(el.value))
  })
  ymap.observe((event) => { if (event.keysChanged.has(key)) show() })
  show()
}
