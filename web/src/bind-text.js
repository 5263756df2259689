// Two-way binding between a Y.Text and a <textarea> or <input>.
// Local typing becomes the smallest delete+insert; remote changes move our caret with the
// text around it, so when two people type in one field both keep their text and nobody's
// caret jumps.

/**
 * @param {import('yjs').Text} ytext
 * @param {HTMLTextAreaElement|HTMLInputElement} el
 */
export function bindText (ytext, el) {
  const origin = {} // marks our own transactions
  let composing = false
  el.value = ytext.toString()

  const pushLocal = () => {
    const before = ytext.toString()
    const after = el.value
    if (before === after) return
    let start = 0
    while (start < before.length && start < after.length && before[start] === after[start]) start++
    let endBefore = before.length
    let endAfter = after.length
    while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
      endBefore--
      endAfter--
    }
    // a Y.Text outside a document (a missing field's stand-in) has nowhere to keep an edit
    if (!ytext.doc) throw new Error('bindText: this Y.Text is not in a document')
    ytext.doc.transact(() => {
      if (endBefore > start) ytext.delete(start, endBefore - start)
      if (endAfter > start) ytext.insert(start, after.slice(start, endAfter))
    }, origin)
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
  })
}

/**
 * Two-way binding between one key of a Y.Map and a <select> or <input>.
 * @param {import('yjs').Map<any>} ymap
 * @param {string} key
 * @param {HTMLSelectElement|HTMLInputElement} el
 * @param {(value: string) => any} [parse]
 */
export function bindField (ymap, key, el, parse = (v) => v || null) {
  const show = () => { el.value = ymap.get(key) ?? '' }
  el.addEventListener('change', () => ymap.set(key, parse(el.value)))
  ymap.observe((event) => { if (event.keysChanged.has(key)) show() })
  show()
}
