// What changed since the last plan version: the one diff, in the server's words
// (server/plan_words.py). The same sections as the compare page and the print
// (web/templates/_plan_changes.html); the closing review and the shared screen's closing step.
// People's words are marked dir="auto", as there: Dutch keeps its full stop on the right in an
// Arabic page.
import { h } from '../dom.js'
import { t } from '../messages.js'

/**
 * @typedef {{label: string, before: string, after: string}} ChangedField
 * @typedef {{label: string, value: string}} Fact
 * @typedef {{text: string, by: string, note: string, domain: string, fields: ChangedField[], facts: Fact[]}} ChangeEntry
 * @typedef {{key: string, title: string, items: ChangeEntry[]}} ChangeSection
 * @typedef {{sections: ChangeSection[], nothing: boolean}} Changes
 */

/** after a change to the document, wait this long before asking again (typing goes on) */
const REFRESH_AFTER_MS = 4000

/**
 * The changes, kept up to date while they are on screen.
 * @param {import('../types.js').Context} ctx
 */
export function changesView (ctx) {
  const box = h('div', { class: 'changes', 'aria-live': 'polite', 'data-changes-view': '' })
  const status = h('p', { class: 'muted' }, t('meeting.closing.loading_changes'))
  box.append(status)
  const load = async () => {
    try {
      const answer = await ctx.api(`/api/meetings/${ctx.meetingId}/changes`)
      box.replaceChildren(renderChanges(answer.changes))
    } catch {
      box.replaceChildren(h('p', { class: 'error' }, t('meeting.closing.changes_failed')))
    }
  }
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer
  ctx.doc.on('update', () => {
    clearTimeout(timer)
    // only while someone can see it: a hidden step does not ask the server
    timer = setTimeout(() => { if (box.isConnected && box.offsetParent !== null) load() }, REFRESH_AFTER_MS)
  })
  load()
  return box
}

/** @param {Changes} changes */
export function renderChanges (changes) {
  if (changes.nothing) return h('p', {}, t('meeting.closing.no_changes'))
  return h('div', {}, changes.sections.map((section) =>
    h('section', { class: 'change-section', 'data-changes': section.key },
      h('h4', {}, section.title),
      h('ul', { class: 'plan-changes' }, section.items.map(entry)))))
}

/** @param {ChangeEntry} item */
function entry (item) {
  return h('li', { class: 'card plan-change' },
    item.domain && h('span', { class: 'plan-domain' }, item.domain),
    item.text && h('p', { class: 'plan-change-title plan-text', dir: 'auto' }, item.text),
    item.note && h('p', { class: 'plan-change-note' }, item.note),
    item.facts.length > 0 && h('dl', { class: 'plan-facts' }, item.facts.map((fact) =>
      h('div', {}, h('dt', {}, fact.label), h('dd', { class: 'plan-text', dir: 'auto' }, fact.value)))),
    item.fields.length > 0 && h('dl', { class: 'plan-diff' }, item.fields.map((field) =>
      h('div', {}, h('dt', {}, field.label),
        h('dd', {}, h('span', { class: 'plan-diff-label' }, `${t('meeting.closing.before')}:`), ' ', h('span', { class: 'plan-text', dir: 'auto' }, field.before)),
        h('dd', {}, h('span', { class: 'plan-diff-label' }, `${t('meeting.closing.after')}:`), ' ', h('span', { class: 'plan-text', dir: 'auto' }, field.after))))),
    item.by && h('p', { class: 'muted plan-change-by' }, item.by))
}
