// "What changed since the last plan version", in the closing step: the one place the meeting
// room asks for and shows the plan diff (server/plans.py `diff`, through
// /api/meetings/<id>/changes). The coordinator and tablets ask with a button; the shared
// screen, where nobody can press one, shows it by itself and keeps it fresh while the step is
// on. A richer diff (issue 17) drops in here: the fetch and the renderer are all it takes.
import { h } from '../dom.js'
import { errorMessage, t } from '../messages.js'

/** the screen asks again at most this often while the document changes (each ask is audited) */
const SCREEN_REFRESH_MS = 10000

/**
 * The plan diff of server/plans.py `diff`, between the last plan version and this meeting.
 * @typedef {{text: string}} PlanItem
 * @typedef {{id: string, fields: string[], before: PlanItem, after: PlanItem}} ChangedItem
 * @typedef {{added: PlanItem[], changed: ChangedItem[], removed: PlanItem[]}} ItemDiff
 * @typedef {{id: string, text: string, from: number|null, to: number|null}} ScoreChange
 * @typedef {{goals: ItemDiff, actions: ItemDiff & {finished: PlanItem[]}, scores: ScoreChange[]}} PlanDiff
 */

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

/**
 * The changes block: a button for people, the changes themselves on the shared screen.
 * @param {import('../types.js').Context} ctx
 * @returns {HTMLElement}
 */
export function changesSinceLastVersion (ctx) {
  const out = h('div', { class: 'changes', 'aria-live': 'polite' })
  const load = async () => {
    try {
      out.replaceChildren(renderChanges(await ctx.api(`/api/meetings/${ctx.meetingId}/changes`)))
    } catch (exc) {
      out.replaceChildren(h('p', { class: 'error' }, errorMessage(exc)))
    }
  }
  if (ctx.role !== 'screen') {
    const show = h('button', { class: 'button', type: 'button', onclick: load }, t('meeting.closing.show_changes'))
    return h('div', {}, show, out)
  }
  let dirty = false
  ctx.doc.on('update', () => { dirty = true })
  setInterval(() => {
    const shown = out.isConnected && !out.closest('section')?.hidden
    if (dirty && shown && ctx.doc.getMap('meta').get('status') !== 'closed') { dirty = false; load() }
  }, SCREEN_REFRESH_MS)
  load()
  return out
}
