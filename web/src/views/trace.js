// The trace of a plan item in the meeting room: who wrote it and who changed it (stamped by the
// server: rights.js STAMPS, SET_STAMPS), and removing or lifting it after a confirmation.
// Removing sets `removed_at`: the item stays in the document, out of sight, and the plan
// version says what was removed and by whom (nobody may delete an item outright).
import { h } from '../dom.js'
import { readableDate, t } from '../messages.js'
import { LISTS, mayWrite } from '../rights.js'
import { personName } from './fields.js'

/** @param {import('../types.js').Item} item */
export const isRemoved = (item) => Boolean(item.get('removed_at'))

/** Today as an ISO date, in the tablet's own time zone (a date people read). */
function today () {
  const now = new Date()
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10)
}

/**
 * "Bedacht door Daan (gezin); aangepast door Lotte (regisseur, namens het gezin)", kept up to date.
 * @param {import('../types.js').Context} ctx
 * @param {import('../types.js').Item} item
 * @param {string} authorKey `author_id` or `decided_by`
 * @param {string} wroteKey the message of the first half (meeting.trace.*)
 */
export function byLine (ctx, item, authorKey, wroteKey) {
  const people = ctx.doc.getMap('people')
  const line = h('p', { class: 'muted by', 'data-trace': '' })
  const who = (/** @type {string} */ id, onBehalf = false) => {
    const role = people.get(id)?.get?.('role') || ''
    const name = personName(people, id) || t('meeting.trace.unknown')
    if (onBehalf && role === 'coordinator') return t('meeting.trace.for_family', { name })
    return role ? `${name} (${t(`common.roles.${role}`)})` : name
  }
  const show = () => {
    const author = item.get(authorKey)
    const changer = item.get('changed_by')
    const parts = []
    if (author) parts.push(t(`meeting.trace.${wroteKey}`, { who: who(author) }))
    if (changer && changer !== author) parts.push(t('meeting.trace.changed', { who: who(changer, wroteKey === 'thought') }))
    line.textContent = parts.join('; ')
    line.hidden = !parts.length
  }
  item.observe((event) => { if (event.keysChanged.has('changed_by') || event.keysChanged.has(authorKey)) show() })
  show()
  return line
}

/**
 * A button that asks first, then sets `key` to today (only for who may write it).
 * @param {import('../types.js').Context} ctx
 * @param {string} list goals, actions or decisions
 * @param {import('../types.js').Item} item
 * @param {{key: string, label: string, question: string, yes: string}} words
 */
function confirmedSet (ctx, list, item, words) {
  const spec = LISTS[/** @type {'goals'|'actions'|'decisions'} */ (list)].fields
  const field = /** @type {import('../rights.js').FieldRights} */ (/** @type {any} */ (spec)[words.key])
  if (!ctx.canWrite || !mayWrite(field, ctx.role, ctx.personId, item)) return null
  const yes = h('button', { class: 'button danger', type: 'button' }, words.yes)
  const no = h('button', { class: 'button', type: 'button' }, t('meeting.trace.keep'))
  const what = h('p', { class: 'plan-change-title' })
  const question = h('p', {}, words.question)
  const dialog = h('dialog', { class: 'table-dialog', 'aria-label': words.label }, what, question,
    h('div', { class: 'dialog-buttons' }, yes, no))
  const open = h('button', { class: 'button', type: 'button', 'data-action': words.key }, words.label)
  open.addEventListener('click', () => {
    what.textContent = String(item.get('text') ?? '') // which one: the words as they are now
    dialog.showModal()
  })
  no.addEventListener('click', () => dialog.close())
  yes.addEventListener('click', () => {
    item.set(words.key, today())
    dialog.close()
  })
  return h('div', { class: 'add-row trace-controls' }, open, dialog)
}

/**
 * "Doel weghalen" and the like, after a confirmation.
 * @param {import('../types.js').Context} ctx
 * @param {'goals'|'actions'|'decisions'} list
 * @param {import('../types.js').Item} item
 */
export function removeControl (ctx, list, item) {
  return confirmedSet(ctx, list, item, {
    key: 'removed_at',
    label: t(`meeting.trace.remove.${list}`),
    question: t(`meeting.trace.remove_confirm.${list}`),
    yes: t('meeting.trace.remove_yes')
  })
}

/**
 * A decision's lifting: the button (for who may lift), and once lifted, when and by whom.
 * @param {import('../types.js').Context} ctx
 * @param {import('../types.js').Item} decision
 */
export function liftControl (ctx, decision) {
  const people = ctx.doc.getMap('people')
  const note = h('p', { class: 'note lifted', 'data-lifted': '' })
  const control = confirmedSet(ctx, 'decisions', decision, {
    key: 'lifted_at',
    label: t('meeting.trace.lift'),
    question: t('meeting.trace.lift_confirm'),
    yes: t('meeting.trace.lift_yes')
  })
  const show = () => {
    const at = decision.get('lifted_at')
    note.hidden = !at
    note.textContent = at
      ? t('meeting.trace.lifted', { date: readableDate(at), name: personName(people, decision.get('lifted_by')) || t('meeting.trace.unknown') })
      : ''
    if (control) control.hidden = Boolean(at)
  }
  decision.observe((event) => { if (event.keysChanged.has('lifted_at') || event.keysChanged.has('lifted_by')) show() })
  show()
  return h('div', {}, note, control)
}
