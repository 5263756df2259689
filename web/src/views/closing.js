// Step 7: minutes, the next round table, what changed since the last plan version, and
// closing (the coordinator's act, after a confirmation).
import { h } from '../dom.js'
import { errorMessage, t } from '../messages.js'
import { META } from '../rights.js'
import { changesView } from './changes.js'
import { access, dateField, planTextField } from './fields.js'

/** @param {import('../types.js').Context} ctx */
export function closingView (ctx) {
  const meta = ctx.doc.getMap('meta')
  return h('div', {},
    planTextField(ctx, 'minutes', { help: t('meeting.texts.minutes_help'), rows: 6 }),
    dateField(meta, 'next_meeting', t('meeting.closing.next_meeting'), access(ctx, META.next_meeting)),
    h('h3', {}, t('meeting.closing.changes')),
    changesView(ctx),
    ctx.role === 'coordinator' ? closeControls(ctx) : h('p', { class: 'muted' }, t('meeting.closing.only_coordinator')))
}

/** @param {import('../types.js').Context} ctx */
function closeControls (ctx) {
  const error = h('p', { class: 'error', role: 'alert' })
  const yes = h('button', { class: 'button primary', type: 'button' }, t('meeting.closing.confirm_yes'))
  const no = h('button', { class: 'button', type: 'button' }, t('meeting.closing.confirm_no'))
  const dialog = h('dialog', { 'aria-labelledby': 'close-title' },
    h('h2', { id: 'close-title' }, t('meeting.closing.confirm_title')),
    h('p', {}, t('meeting.closing.confirm_text')),
    h('div', { class: 'add-row' }, yes, no))
  const open = h('button', { class: 'button danger', type: 'button', 'data-action': 'close' },
    t('meeting.closing.close'))
  open.addEventListener('click', () => dialog.showModal())
  no.addEventListener('click', () => dialog.close())
  yes.addEventListener('click', async () => {
    yes.disabled = true
    try {
      await ctx.api(`/api/meetings/${ctx.meetingId}/close`, { method: 'POST' })
      dialog.close()
    } catch (err) {
      error.textContent = t('meeting.closing.failed', { message: errorMessage(err) })
      dialog.close()
    } finally {
      yes.disabled = false
    }
  })
  return h('div', { class: 'close-box' },
    h('p', {}, t('meeting.closing.close_help')), open, error, dialog)
}
