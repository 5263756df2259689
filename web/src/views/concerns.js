// Step 2's concerns. The family, its network and the coordinator write them; professionals may
// only add to them (rights.js `appenders`: the server refuses any deletion of theirs). Enforcing
// "insert only" keystroke by keystroke in a textarea is fragile (select-and-type, cut, undo all
// delete), so professionals see the concerns read-only and add theirs in a box of its own: its
// words go at the end, on a new line, in one insert; when they are its first words, they set
// its language, as typing into the empty field does.
import { h } from '../dom.js'
import { t } from '../messages.js'
import { TEXTS } from '../rights.js'
import { access, fit, lengthCounter, noteLanguage, planTextField } from './fields.js'

/**
 * @param {import('../types.js').Context} ctx
 * @param {import('../types.js').Announce} [announce]
 */
export function concernsView (ctx, announce) {
  const concerns = ctx.doc.getText('concerns')
  const spec = TEXTS.concerns
  const rights = access(ctx, spec)
  const field = planTextField(ctx, 'concerns', { help: t('meeting.texts.concerns_help'), rows: 3 })
  if (rights.editable || !ctx.canWrite || !spec.appenders.includes(ctx.role)) return field

  const input = h('textarea', {
    id: 'add-concern', rows: 2, 'data-field': 'concern-add',
    'aria-describedby': 'add-concern-help add-concern-count'
  })
  // the limit is the whole text's: what is already there (and the new line) counts
  const taken = () => concerns.length + (concerns.length ? 1 : 0)
  const room = () => Math.max(0, spec.limit - taken())
  const count = lengthCounter(input, spec.limit, 'add-concern-count', () => taken() + input.value.length)
  const add = h('button', { class: 'button primary', type: 'submit' }, t('meeting.rights.concerns_add'))
  const done = h('p', { class: 'note', 'aria-live': 'polite' })
  const fitRoom = () => {
    input.maxLength = room()
    add.disabled = room() === 0
    if (room() === 0) done.textContent = t('meeting.rights.concerns_full')
    count.update()
  }
  input.addEventListener('input', fitRoom)
  concerns.observe(fitRoom)
  const form = h('form', { class: 'field add-concern' },
    h('label', { for: 'add-concern' }, t('meeting.rights.concerns_add_label')),
    h('p', { class: 'help', id: 'add-concern-help' }, t('meeting.rights.concerns_add_help')),
    input, count.node, h('div', { class: 'add-row' }, add), done)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const words = fit(input.value.trim(), room())
    if (!words) return input.focus()
    ctx.doc.transact(() => {
      if (!concerns.length) noteLanguage(ctx.doc, 'concerns')
      concerns.insert(concerns.length, (concerns.length ? '\n' : '') + words)
    })
    input.value = ''
    done.textContent = t('meeting.rights.concerns_added')
    announce?.(t('meeting.rights.concerns_added'))
    fitRoom()
    input.focus()
  })
  fitRoom()
  return h('div', {}, field, form)
}
