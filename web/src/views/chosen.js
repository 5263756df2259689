// What a picker shows once something is chosen. An option's words in the list may say more
// than its value (the owner picker lists what each person offered: "Oma Ria: Kan op woensdag
// koken en oppassen."), but a closed <select> is one line that cuts what does not fit: there
// the chosen option shows its short words (the name). The shared screen shows no <select> at
// all, but the chosen value as text that wraps in full, in its own writing direction.
import { h } from '../dom.js'

/**
 * An <option> whose words in the list (`listed`) may be longer than what stays in view once
 * it is chosen (`shown`).
 * @param {string} value
 * @param {string} listed
 * @param {string} [shown]
 */
export function choice (value, listed, shown = listed) {
  return h('option', { value, 'data-listed': listed, 'data-shown': shown }, listed)
}

/**
 * `text` cut to at most `max` characters at a word, with "…" when cut (a goal in a picker).
 * @param {string} text @param {number} max
 */
export function shorten (text, max) {
  const chars = Array.from(text)
  if (chars.length <= max) return text
  const cut = chars.slice(0, max - 1).join('')
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
}

/**
 * The text the shared screen shows for a read-only picker: its chosen option's full words.
 * @returns {HTMLParagraphElement}
 */
export const chosenText = () => h('p', { class: 'chosen', dir: 'auto' })

/**
 * Keep `select`'s chosen option on its short words and the others on their list words, and
 * `mirror` (if any) on the chosen option's full words. Returns the update, to run whenever the
 * value is set from the document; it also runs when the options are replaced or changed here.
 * @param {HTMLSelectElement} select
 * @param {HTMLElement | null} mirror
 */
export function showChosen (select, mirror) {
  const update = () => {
    for (const option of select.options) {
      const { listed, shown } = option.dataset
      if (listed === undefined || shown === undefined) continue
      const text = option.selected ? shown : listed
      if (option.textContent !== text) option.textContent = text
    }
    if (mirror) {
      const option = select.selectedOptions[0]
      const text = option?.value ? (option.dataset.shown ?? option.textContent ?? '') : ''
      if (mirror.textContent !== text) mirror.textContent = text
    }
  }
  // the choices are replaced when goals or people change (only the direct children: an
  // option's own words changed by `update` do not call it again)
  new MutationObserver(update).observe(select, { childList: true })
  select.addEventListener('change', update)
  return update
}
