// Step 6: one contact person per domain of help, and decisions (with reason and choices).
import * as Y from 'yjs'
import { h, keyedList, newId } from '../dom.js'
import { both, t } from '../messages.js'
import { LIFE_DOMAINS } from '../schema.js'
import { CONTACT, LISTS } from '../rights.js'
import { byLine, isRemoved, liftControl, removeControl } from './trace.js'
import { itemPieces, readAloudButton, uiLanguage } from '../read-aloud.js'
import { chosenText, showChosen } from './chosen.js'
import { access, followPeople, listLimit, peopleChoices, textField } from './fields.js'

/** @param {import('../types.js').Context} ctx */
export function contactsView (ctx) {
  const contacts = ctx.doc.getMap('contacts')
  const people = ctx.doc.getMap('people')
  const { editable, note } = access(ctx, CONTACT)
  const rows = LIFE_DOMAINS.map((domain) => {
    const id = `contact-${domain}`
    const select = h('select', { id, 'data-field': 'contact', disabled: !editable },
      ...peopleChoices(people, t('meeting.contacts.nobody')))
    // the chosen person by name; on the shared screen as text that wraps (chosen.js)
    const mirror = editable ? null : chosenText()
    const named = showChosen(select, mirror)
    const show = () => { select.value = contacts.get(domain) ?? ''; named() }
    select.addEventListener('change', () => {
      if (!editable) show()
      else if (select.value) contacts.set(domain, select.value)
      else contacts.delete(domain)
    })
    contacts.observe(show)
    show()
    followPeople(select, people, t('meeting.contacts.nobody'), () => contacts.get(domain) ?? '')
    return h('div', { class: 'field contact' },
      h('label', { for: id }, t(`common.domains.${domain}`)), select, mirror)
  })
  return h('div', {},
    h('h3', {}, both('meeting.contacts.heading')),
    h('p', { class: 'help' }, t('meeting.contacts.help')),
    note && h('p', { class: 'note' }, note),
    h('div', { class: 'grid contacts' }, rows),
    decisionsView(ctx))
}

/** @param {import('../types.js').Context} ctx */
function decisionsView (ctx) {
  const decisions = ctx.doc.getArray('decisions')
  const rule = LISTS.decisions
  const list = h('div', { class: 'decisions' })
  keyedList(list, decisions, (decision) => h('article', { class: 'card decision', 'data-id': decision.get('id') },
    textField(decision.get('text') ?? new Y.Text(), t('meeting.decisions.text'),
      { name: 'decision-text', ...access(ctx, rule.fields.text, decision) }),
    textField(decision.get('reason') ?? new Y.Text(), t('meeting.decisions.reason'),
      { name: 'decision-reason', ...access(ctx, rule.fields.reason, decision) }),
    textField(decision.get('options') ?? new Y.Text(), t('meeting.decisions.options'),
      { name: 'decision-options', ...access(ctx, rule.fields.options, decision) }),
    ctx.role !== 'screen' && readAloudButton(ctx.reader, () => itemPieces(decision, [
      ['text', t('meeting.decisions.text')], ['reason', t('meeting.decisions.reason')],
      ['options', t('meeting.decisions.options')]]), t('voice.what.decision')),
    byLine(ctx, decision, 'decided_by', 'decided'),
    liftControl(ctx, decision),
    removeControl(ctx, 'decisions', decision)),
  { empty: t('meeting.decisions.none'), keep: (d) => !isRemoved(d) })
  const add = h('button', { class: 'button', type: 'button' }, t('meeting.decisions.add'))
  add.addEventListener('click', () => {
    if (decisions.length >= rule.max_items) return
    // decided_by is the server's to stamp (from the session), never ours
    decisions.push([new Y.Map(Object.entries({
      id: newId('besluit'),
      text: new Y.Text(),
      reason: new Y.Text(),
      options: new Y.Text(),
      decided_by: null,
      lang: uiLanguage()
    }))])
    /** @type {HTMLTextAreaElement | null} */
    const first = list.querySelector('article:last-of-type textarea')
    first?.focus()
  })
  return h('section', { 'aria-labelledby': 'decisions-heading' },
    h('h3', { id: 'decisions-heading' }, both('meeting.decisions.heading')),
    h('p', { class: 'help' }, t('meeting.decisions.help')),
    list,
    ctx.canWrite && rule.adders.includes(ctx.role) && h('div', { class: 'add-row' }, add, listLimit(decisions, rule.max_items, [add])))
}
