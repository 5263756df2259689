// Step 7: minutes, the next round table, what changed since the last plan version, and
// closing (the coordinator's act, after a confirmation).
import { h } from '../dom.js'
import { errorMessage, t } from '../messages.js'
import { META, TEXTS } from '../rights.js'
import { access, dateField, textField } from './fields.js'

/**
 * The plan diff of server/plans.py `diff`, between the last plan version and this meeting.
 * @typedef {{text: string}} PlanItem
 * @typedef {{id: string, fields: string[], before: PlanItem, after: PlanItem}} ChangedItem
 * @typedef {{added: PlanItem[], changed: ChangedItem[], removed: PlanItem[]}} ItemDiff
 * @typedef {{id: string, text: string, from: number|null, to: number|null}} ScoreChange
 * @typedef {{goals: ItemDiff, actions: ItemDiff & {finished: PlanItem[]}, scores: ScoreChange[]}} PlanDiff
 */

/** @param {import('../types.js').Context} ctx */
export function closingView (ctx) {
  const meta = ctx.doc.getMap('meta')
  const changes = h('div', { class: 'changes', 'aria-live': 'polite' })
  const show = h('button', { class: 'button', type: 'button' }, t('meeting.closing.show_changes'))
  show.addEventListener('click', async () => {
    changes.replaceChildren(renderChanges(await ctx.api(`/api/meetings/${ctx.meetingId}/changes`)))
  })
  return h('div', {},
    textField(ctx.doc.getText('minutes'), t('meeting.texts.minutes'), {
      help: t('meeting.texts.minutes_help'), rows: 6, name: 'minutes', ...access(ctx, TEXTS.minutes)
    }),
    dateField(meta, 'next_meeting', t('meeting.closing.next_meeting'), access(ctx, META.next_meeting)),
    h('h3', {}, t('meeting.closing.changes')),
    show, changes,
    ctx.role === 'coordinator' ? closeControls(ctx) : h('p', { class: 'muted' }, t('meeting.closing.only_coordinator')))
}

/** @param {{diff: PlanDiff}} changes the server's answer */
function renderChanges ({ diff }) {
  /** @type {HTMLElement[]} */
  const sections = []
  /**
   * @template T
   * @param {string} title
   * @param {T[]} items
   * @param {(item: T) => string} text
   */
  const list = (title, items, text) => items.length && sections.push(
    h('h4', {}, title), h('ul', {}, items.map((item) => h('li', {}, text(item)))))
  list(t('meeting.closing.goals_added'), diff.goals.added, (g) => g.text)
  list(t('meeting.closing.goals_changed'), diff.goals.changed, (g) => g.after.text)
  list(t('meeting.closing.goals_removed'), diff.goals.removed, (g) => g.text)
  list(t('meeting.goals.score'), diff.scores, (s) => t('meeting.closing.score_change',
    { text: s.text, from: s.from ?? '–', to: s.to ?? '–' }))
  list(t('meeting.closing.actions_added'), diff.actions.added, (a) => a.text)
  list(t('meeting.closing.actions_changed'), diff.actions.changed, (a) => a.after.text)
  list(t('meeting.closing.actions_finished'), diff.actions.finished, (a) => a.text)
  list(t('meeting.closing.actions_removed'), diff.actions.removed, (a) => a.text)
  return sections.length ? h('div', {}, sections) : h('p', {}, t('meeting.closing.no_changes'))
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
