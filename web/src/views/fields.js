// Labelled form fields bound to the live document.
import { h } from '../dom.js'
import { bindField, bindText } from '../bind-text.js'
import { t } from '../messages.js'

let counter = 0
const nextId = () => `f${++counter}`

/**
 * A labelled textarea bound to a Y.Text.
 * @param {import('yjs').Text} ytext
 * @param {string} label
 * @param {{help?: string, rows?: number, editable?: boolean, name?: string}} [options]
 */
export function textField (ytext, label, options = {}) {
  const id = nextId()
  const helpId = options.help ? `${id}-help` : null
  const area = h('textarea', {
    id, rows: options.rows || 2, 'aria-describedby': helpId, 'data-field': options.name,
    readonly: options.editable === false
  })
  bindText(ytext, area)
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    helpId && h('p', { class: 'help', id: helpId }, options.help),
    area)
}

/**
 * A labelled <select> bound to one key of a Y.Map.
 * @param {import('yjs').Map<any>} ymap
 * @param {string} key
 * @param {string} label
 * @param {HTMLElement[]} choices options and optgroups
 * @param {{help?: string, name?: string}} [options]
 */
export function selectField (ymap, key, label, choices, options = {}) {
  const id = nextId()
  const helpId = options.help ? `${id}-help` : null
  const select = h('select', { id, 'aria-describedby': helpId, 'data-field': options.name || key },
    ...choices)
  bindField(ymap, key, select)
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    helpId && h('p', { class: 'help', id: helpId }, options.help),
    select)
}

/**
 * A labelled date input bound to one key of a Y.Map (ISO date or null).
 * @param {import('yjs').Map<any>} ymap
 * @param {string} key
 * @param {string} label
 */
export function dateField (ymap, key, label) {
  const id = nextId()
  const input = h('input', { id, type: 'date', 'data-field': key })
  bindField(ymap, key, input)
  return h('div', { class: 'field' }, h('label', { for: id }, label), input)
}

/**
 * Radio buttons 0–10 for a goal's score (big touch targets, keyboard: arrow keys).
 * @param {import('../types.js').Goal} goal
 * @param {number|null|undefined} lastTime the score in the previous plan version
 */
export function scoreField (goal, lastTime) {
  const name = nextId()
  const helpId = `${name}-help`
  /** @type {HTMLSpanElement[]} */
  const radios = []
  for (let n = 0; n <= 10; n++) {
    const input = h('input', { type: 'radio', name, value: n, id: `${name}-${n}` })
    input.addEventListener('change', () => goal.set('score', n))
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
  return h('fieldset', { class: 'score', 'aria-describedby': helpId },
    h('legend', {}, t('meeting.goals.score')),
    h('p', { class: 'help', id: helpId }, t('meeting.goals.score_help'),
      lastTime !== null && lastTime !== undefined ? ' ' + t('meeting.goals.last_time', { score: lastTime }) : ''),
    h('div', { class: 'score-row' }, radios))
}

/**
 * People as <option>s, grouped so the family and its network come before professionals.
 * @param {import('yjs').Map<import('../types.js').Person>} people
 * @param {string} emptyLabel
 * @returns {HTMLElement[]}
 */
export function peopleChoices (people, emptyLabel) {
  const groups = ['family', 'network', 'professional', 'coordinator'].flatMap((role) => {
    const members = [...people.entries()]
      .filter(([, p]) => p?.get?.('role') === role)
      .map(([id, p]) => h('option', { value: id }, p.get('name')))
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
