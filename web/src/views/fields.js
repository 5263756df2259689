// Labelled form fields bound to the live document. Each follows rights.js: a field the viewer
// may not write is shown read-only with a short note who writes it (everything stays visible),
// and a text's length limit is shown by a counter before it is reached.
import { h } from '../dom.js'
import { bindField, bindText } from '../bind-text.js'
import { entry, readableDate, t } from '../messages.js'
import { uiLanguage } from '../read-aloud.js'
import { mayWrite, TEXTS } from '../rights.js'
import { TEXT_LANGS } from '../schema.js'
import { choice, chosenText, showChosen } from './chosen.js'

let counter = 0
const nextId = () => `f${++counter}`

/** the counter shows from this share of a text's limit on */
const COUNT_FROM = 0.8

/**
 * How a field behaves for the viewer: whether they may write it, its limit, and (read-only)
 * the note that says who does.
 * @typedef {{editable: boolean, limit?: number, note?: string}} Access
 */

/**
 * The viewer's access to one field of the rights table (`item`: the list item it belongs to).
 * The shared screen writes nothing and gets no notes: it is read from across the room.
 * @param {import('../types.js').Context} ctx
 * @param {import('../rights.js').FieldRights} spec
 * @param {any} [item]
 * @returns {Access}
 */
export function access (ctx, spec, item) {
  const editable = ctx.canWrite && mayWrite(spec, ctx.role, ctx.personId, item)
  const note = editable || ctx.role === 'screen' ? undefined : writersNote(spec)
  return { editable, limit: spec.kind === 'text' ? spec.limit : undefined, note }
}

/**
 * "Only … can change this", from the field's writers.
 * @param {import('../rights.js').FieldRights} spec
 */
function writersNote (spec) {
  const who = [...spec.writers].sort().join('_') + (spec.author_too ? '_author' : '')
  const notes = /** @type {Record<string, string>} */ (entry('meeting.rights.only'))
  return notes[who] ?? notes.other
}

/**
 * A counter under a text field, shown from COUNT_FROM of the limit on ("Nog 40 tekens").
 * @param {HTMLTextAreaElement|HTMLInputElement} el
 * @param {number} limit
 * @param {string} id
 * @param {() => number} [used] characters used so far (default: the field's)
 * @returns {{node: HTMLElement, update: () => void}}
 */
export function lengthCounter (el, limit, id, used = () => el.value.length) {
  const node = h('p', { class: 'counter', id, 'aria-live': 'polite', hidden: true })
  const update = () => {
    const left = limit - used()
    node.hidden = used() < limit * COUNT_FROM
    node.classList.toggle('full', left <= 0)
    const text = left > 0 ? t('meeting.limits.left', { n: left }) : t('meeting.limits.full', { n: limit })
    if (node.textContent !== text) node.textContent = text
  }
  el.addEventListener('input', update)
  return { node, update }
}

/**
 * `text` cut to `limit` characters, as the server counts them (code points: a pair is kept whole).
 * @param {string} text @param {number} limit
 */
export const fit = (text, limit) => Array.from(text).slice(0, limit).join('')

/**
 * Disable `controls` with a short note once `yarray` holds `max` items (rights.js max_items);
 * returns the note, to put next to them.
 * @param {import('yjs').Array<any>} yarray
 * @param {number} max
 * @param {(HTMLButtonElement|HTMLInputElement)[]} controls
 */
export function listLimit (yarray, max, controls) {
  const note = h('p', { class: 'counter full', 'aria-live': 'polite', hidden: true })
  const update = () => {
    const full = yarray.length >= max
    for (const control of controls) control.disabled = full
    note.hidden = !full
    note.textContent = full ? t('meeting.limits.list_full', { n: max }) : ''
  }
  yarray.observe(update)
  update()
  return note
}

/**
 * One of the plan's own texts (vision, strengths, concerns, minutes), labelled, as the viewer
 * may write it. The edit that gives the empty text its first words notes its language.
 * @param {import('../types.js').Context} ctx
 * @param {keyof typeof TEXTS} name
 * @param {{help?: string, rows?: number}} [options]
 */
export function planTextField (ctx, name, options = {}) {
  return textField(ctx.doc.getText(name), t(`meeting.texts.${name}`), {
    ...options, name, ...access(ctx, TEXTS[name]), onFirstWords: () => noteLanguage(ctx.doc, name)
  })
}

/**
 * Set a plan text's language (meta's TEXT_LANGS key) to this page's language, inside the edit
 * that gives the empty text its first words: the first words decide, so someone fixing a typo
 * on a page in another language leaves it as it was. Read aloud and the plan page speak and
 * mark the text in it.
 * @param {import('yjs').Doc} doc
 * @param {string} name
 */
export function noteLanguage (doc, name) {
  doc.getMap('meta').set(TEXT_LANGS[name], uiLanguage())
}

/**
 * A labelled textarea bound to a Y.Text. `editable: false` shows it read-only (with `note`
 * saying who writes it); `limit` stops input at that many characters and counts down near it.
 * @param {import('yjs').Text} ytext
 * @param {string} label
 * @param {{help?: string, rows?: number, editable?: boolean, name?: string, limit?: number,
 *   note?: string, onFirstWords?: () => void}} [options]
 */
export function textField (ytext, label, options = {}) {
  const id = nextId()
  const editable = options.editable !== false
  const helpId = options.help ? `${id}-help` : null
  const noteId = !editable && options.note ? `${id}-note` : null
  const limit = editable ? options.limit : undefined
  const countId = limit ? `${id}-count` : null
  const area = h('textarea', {
    id,
    rows: options.rows || 2,
    'aria-describedby': [helpId, noteId, countId].filter(Boolean).join(' ') || null,
    'data-field': options.name,
    readonly: !editable,
    maxlength: limit,
    placeholder: ' ' // invisible; lets the shared screen's stylesheet leave out empty fields
  })
  const count = limit && countId ? lengthCounter(area, limit, countId) : null
  bindText(ytext, area, { writable: editable, limit, onChange: count?.update, onFirstWords: options.onFirstWords })
  count?.update()
  return h('div', { class: editable ? 'field' : 'field read-only' },
    h('label', { for: id }, label),
    helpId && h('p', { class: 'help', id: helpId }, options.help),
    area,
    noteId && h('p', { class: 'note', id: noteId }, options.note),
    count?.node)
}

/**
 * A labelled <select> bound to one key of a Y.Map (disabled when not `editable`).
 * @param {import('yjs').Map<any>} ymap
 * @param {string} key
 * @param {string} label
 * @param {HTMLElement[]} choices options and optgroups
 * @param {{help?: string, name?: string, editable?: boolean, note?: string}} [options]
 */
export function selectField (ymap, key, label, choices, options = {}) {
  const id = nextId()
  const editable = options.editable !== false
  const helpId = options.help ? `${id}-help` : null
  const noteId = !editable && options.note ? `${id}-note` : null
  const select = h('select', {
    id,
    'aria-describedby': [helpId, noteId].filter(Boolean).join(' ') || null,
    'data-field': options.name || key,
    disabled: !editable
  }, ...choices)
  // read-only, the shared screen shows the chosen value as text instead (chosen.js)
  const mirror = editable ? null : chosenText()
  bindField(ymap, key, select, { writable: editable, onShow: showChosen(select, mirror) })
  return h('div', { class: editable ? 'field' : 'field read-only' },
    h('label', { for: id }, label),
    helpId && h('p', { class: 'help', id: helpId }, options.help),
    select, mirror,
    noteId && h('p', { class: 'note', id: noteId }, options.note))
}

/**
 * A labelled date input bound to one key of a Y.Map (ISO date or null; readonly when not
 * `editable`).
 * @param {import('yjs').Map<any>} ymap
 * @param {string} key
 * @param {string} label
 * @param {{editable?: boolean, note?: string}} [options]
 */
export function dateField (ymap, key, label, options = {}) {
  const id = nextId()
  const editable = options.editable !== false
  const noteId = !editable && options.note ? `${id}-note` : null
  const input = h('input', {
    id, type: 'date', 'data-field': key, readonly: !editable, 'aria-describedby': noteId
  })
  // the date in words of the page's language, with its day ("dinsdag 15 december 2026"): a
  // date input shows the browser's own digits ("12/15/2026"), whatever the page's language.
  // The shared screen shows only the words.
  const words = h('p', { class: 'date-words', dir: 'auto' })
  const onShow = () => {
    words.textContent = input.value ? readableDate(input.value, { weekday: true }) : ''
    words.hidden = !input.value
  }
  bindField(ymap, key, input, { writable: editable, onShow })
  input.addEventListener('input', onShow) // while she picks, before the change is written
  return h('div', { class: editable ? 'field' : 'field read-only' },
    h('label', { for: id }, label), input, words,
    noteId && h('p', { class: 'note', id: noteId }, options.note))
}

/**
 * Radio buttons 0–10 for a goal's score (big touch targets, keyboard: arrow keys).
 * @param {import('../types.js').Goal} goal
 * @param {number|null|undefined} lastTime the score in the previous plan version
 * @param {{editable?: boolean, note?: string}} [options]
 */
export function scoreField (goal, lastTime, options = {}) {
  const editable = options.editable !== false
  const name = nextId()
  const helpId = `${name}-help`
  /** @type {HTMLSpanElement[]} */
  const radios = []
  for (let n = 0; n <= 10; n++) {
    const input = h('input', { type: 'radio', name, value: n, id: `${name}-${n}`, disabled: !editable })
    input.addEventListener('change', () => { if (editable) goal.set('score', n) })
    radios.push(h('span', { class: 'score-choice' }, input, h('label', { for: `${name}-${n}` }, n)))
  }
  const show = () => {
    const score = goal.get('score')
    for (const wrap of radios) {
      const input = /** @type {HTMLInputElement} */ (wrap.firstChild)
      input.checked = score !== null && score !== undefined && Number(input.value) === Math.round(score)
    }
  }
  goal.observe((event) => { if (event.keysChanged.has('score')) show() })
  show()
  const noteId = !editable && options.note ? `${name}-note` : null
  return h('fieldset', {
    class: editable ? 'score' : 'score read-only',
    'aria-describedby': [helpId, noteId].filter(Boolean).join(' ')
  },
  h('legend', {}, t('meeting.goals.score')),
  h('p', { class: 'help', id: helpId }, t('meeting.goals.score_help'),
    lastTime !== null && lastTime !== undefined ? ' ' + t('meeting.goals.last_time', { score: lastTime }) : ''),
  h('div', { class: 'score-row' }, radios),
  noteId && h('p', { class: 'note', id: noteId }, options.note))
}

/**
 * People as <option>s, grouped so the family and its network come before professionals; each
 * says what the person offered ("Fatima El Amrani: Kan Daan naar voetbal brengen."), so the
 * table sees who could help where the owner is chosen; once chosen, the name shows (chosen.js).
 * @param {import('yjs').Map<import('../types.js').Person>} people
 * @param {string} emptyLabel
 * @returns {HTMLElement[]}
 */
export function peopleChoices (people, emptyLabel) {
  const groups = ['family', 'network', 'professional', 'coordinator'].flatMap((role) => {
    const members = [...people.entries()]
      .filter(([, p]) => p?.get?.('role') === role)
      .map(([id, p]) => choice(id, p.get('offers')
        ? t('meeting.actions.offers', { name: p.get('name'), offers: p.get('offers') })
        : String(p.get('name') ?? ''), String(p.get('name') ?? '')))
    return members.length ? [h('optgroup', { label: t(`meeting.actions.groups.${role}`) }, members)] : []
  })
  return [h('option', { value: '' }, emptyLabel), ...groups]
}

/**
 * The display name of a person id, from the document's people.
 * @param {import('yjs').Map<import('../types.js').Person>} people
 * @param {string} id
 */
export function personName (people, id) {
  return people.get(id)?.get?.('name') || ''
}

/**
 * Keep a people picker's options in step with the document's people, which the server
 * changes while the meeting runs (someone added, renamed or removed in the family's file).
 * The chosen value stays as `current()` says; the observer leaves once the picker is gone.
 * @param {HTMLSelectElement} select
 * @param {import('yjs').Map<import('../types.js').Person>} people
 * @param {string} emptyLabel
 * @param {() => string} current
 */
export function followPeople (select, people, emptyLabel, current) {
  const refresh = () => {
    if (!select.isConnected) {
      people.unobserveDeep(refresh)
      return
    }
    select.replaceChildren(...peopleChoices(people, emptyLabel))
    select.value = current()
  }
  people.observeDeep(refresh)
}
