// Step 4: the family's goals in their own words, the professionals' view beside them.
import * as Y from 'yjs'
import { h, keyedList, newId } from '../dom.js'
import { both, t } from '../messages.js'
import { access, fit, listLimit, planTextField, textField, selectField, scoreField } from './fields.js'
import { LISTS } from '../rights.js'
import { LIFE_DOMAINS } from '../schema.js'
import { byLine, isRemoved, removeControl } from './trace.js'
import { itemPieces, readAloudButton, uiLanguage } from '../read-aloud.js'

/** <option>s for the life domains. */
export function domainChoices () {
  return [h('option', { value: '' }, t('meeting.goals.choose_domain')),
    ...LIFE_DOMAINS.map((d) => h('option', { value: d }, t(`common.domains.${d}`)))]
}

/**
 * @param {import('../types.js').Context} ctx
 */
export function goalsView (ctx) {
  const goals = ctx.doc.getArray('goals')
  const list = h('div', { class: 'goals' })
  keyedList(list, goals, (goal) => goalCard(ctx, goal), { empty: t('meeting.goals.none'), keep: (g) => !isRemoved(g) })
  return h('div', {},
    planTextField(ctx, 'vision', { help: t('meeting.texts.vision_help'), rows: 3 }),
    h('h3', {}, both('meeting.goals.heading')),
    list,
    ctx.canWrite && LISTS.goals.adders.includes(ctx.role) && addGoalForm(ctx))
}

/**
 * @param {import('../types.js').Context} ctx
 * @param {import('../types.js').Goal} goal
 */
function goalCard (ctx, goal) {
  const fields = LISTS.goals.fields
  return h('article', { class: 'card goal', 'data-id': goal.get('id') },
    h('div', { class: 'goal-words' },
      textField(goal.get('text') ?? new Y.Text(), t('meeting.goals.text'),
        { name: 'goal-text', ...access(ctx, fields.text, goal) }),
      ctx.role !== 'screen' && readAloudButton(ctx.reader, () => itemPieces(goal, [['text', null]]), t('voice.what.goal')),
      byLine(ctx, goal, 'author_id', 'thought'),
      // domain and score have the words' writers: the note under the words says it once
      selectField(goal, 'domain', t('meeting.goals.domain'), domainChoices(),
        { ...access(ctx, fields.domain, goal), note: undefined })),
    h('div', { class: 'goal-view' },
      textField(goal.get('professional_view') ?? new Y.Text(), t('meeting.goals.view'),
        { name: 'goal-view', ...access(ctx, fields.professional_view, goal) })),
    scoreField(goal, lastScore(ctx, goal), { ...access(ctx, fields.score, goal), note: undefined }),
    removeControl(ctx, 'goals', goal))
}

/**
 * Last time's score: the document's `last_score` (the carry-over's), else the last version's.
 * @param {import('../types.js').Context} ctx
 * @param {import('../types.js').Goal} goal
 * @returns {number|null|undefined}
 */
export function lastScore (ctx, goal) {
  return goal.get('last_score') ?? ctx.lastScores.get(goal.get('id'))
}

/** @param {import('../types.js').Context} ctx */
function addGoalForm (ctx) {
  const goals = ctx.doc.getArray('goals')
  const input = h('input', {
    id: 'new-goal', type: 'text', autocomplete: 'off', maxlength: LISTS.goals.fields.text.limit
  })
  const add = h('button', { class: 'button primary', type: 'submit' }, t('meeting.goals.add'))
  const full = listLimit(goals, LISTS.goals.max_items, [input, add])
  const form = h('form', { class: 'add-row' },
    h('label', { for: 'new-goal' }, t('meeting.goals.new_text')), input, add, full)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const text = fit(input.value.trim(), LISTS.goals.fields.text.limit)
    if (!text || goals.length >= LISTS.goals.max_items) return input.focus()
    // author_id / author_role are our own (the server stamps them from the session anyway)
    goals.push([new Y.Map(Object.entries({
      id: newId('doel'),
      text: new Y.Text(text),
      domain: null,
      author_id: ctx.personId,
      author_role: ctx.role,
      score: null,
      professional_view: new Y.Text(),
      lang: uiLanguage() // the words are typed in the language of this person's page
    }))])
    input.value = ''
    input.focus()
  })
  return form
}
