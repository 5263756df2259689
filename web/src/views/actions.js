// Steps 3 and 5: actions (what, who — network first — by when, status) and the evaluation of
// the actions carried over from the last plan.
import * as Y from 'yjs'
import { h, keyedList, newId } from '../dom.js'
import { both, t } from '../messages.js'
import { ACTION_STATUSES } from '../schema.js'
import { LISTS } from '../rights.js'
import { byLine, isRemoved, removeControl } from './trace.js'
import { itemPieces, readAloudButton, uiLanguage } from '../read-aloud.js'
import { choice, shorten } from './chosen.js'
import { access, dateField, fit, followPeople, listLimit, peopleChoices, personName, selectField, textField } from './fields.js'

const FIELDS = LISTS.actions.fields

/** @param {import('../types.js').Item} action */
const isCarried = (action) => action.get('carried_from') !== null && action.get('carried_from') !== undefined

/**
 * <option>s for the goals an action can belong to.
 * @param {import('yjs').Array<import('../types.js').Goal>} goals
 */
function goalChoices (goals) {
  return [h('option', { value: '' }, t('meeting.actions.no_goal')),
    ...goals.toArray().filter((g) => g?.get).filter((g) => !isRemoved(g)).map((g) => {
      const text = String(g.get('text') ?? '')
      return choice(g.get('id'), shorten(text, 60), text)
    })]
}

/**
 * A select of goals that refreshes when goals are added, removed or renamed.
 * @param {import('../types.js').Context} ctx
 * @param {import('../types.js').Action} action
 */
function goalSelect (ctx, action) {
  const goals = ctx.doc.getArray('goals')
  const field = selectField(action, 'goal_id', t('meeting.actions.goal'), goalChoices(goals),
    access(ctx, FIELDS.goal_id, action))
  const select = /** @type {HTMLSelectElement} */ (field.querySelector('select'))
  goals.observeDeep(() => {
    select.replaceChildren(...goalChoices(goals))
    select.value = action.get('goal_id') ?? ''
  })
  return field
}

function statusChoices () {
  return ACTION_STATUSES.map((s) => h('option', { value: s }, t(`common.statuses.${s}`)))
}

/**
 * One action: editable by everyone at the table (rights.js), read-only on the shared screen.
 * @param {import('../types.js').Context} ctx
 * @param {import('../types.js').Action} action
 */
function actionCard (ctx, action) {
  const people = ctx.doc.getMap('people')
  const owner = selectField(action, 'owner_id', t('meeting.actions.owner'),
    peopleChoices(people, t('meeting.actions.nobody')),
    { help: t('meeting.actions.owner_help'), ...access(ctx, FIELDS.owner_id, action) })
  followPeople(/** @type {HTMLSelectElement} */ (owner.querySelector('select')), people,
    t('meeting.actions.nobody'), () => action.get('owner_id') ?? '')
  return h('article', { class: 'card action', 'data-id': action.get('id') },
    isCarried(action) && h('p', { class: 'tag' }, t('meeting.actions.carried', { n: action.get('carried_from') })),
    textField(action.get('text') ?? new Y.Text(), t('meeting.actions.text'),
      { name: 'action-text', ...access(ctx, FIELDS.text, action) }),
    ctx.role !== 'screen' && readAloudButton(ctx.reader, () => itemPieces(action, [['text', null]]), t('voice.what.action')),
    h('div', { class: 'grid' },
      owner,
      dateField(action, 'due', t('meeting.actions.due'), access(ctx, FIELDS.due, action)),
      goalSelect(ctx, action),
      selectField(action, 'status', t('meeting.actions.status'), statusChoices(),
        access(ctx, FIELDS.status, action))),
    byLine(ctx, action, 'author_id', 'thought'),
    removeControl(ctx, 'actions', action))
}

/**
 * One carried action, for looking back: what it was, who, and how it went.
 * @param {import('../types.js').Context} ctx
 * @param {import('../types.js').Action} action
 */
function evaluationCard (ctx, action) {
  const people = ctx.doc.getMap('people')
  const ownerLine = h('p', { class: 'muted' })
  const showOwner = () => {
    const name = personName(people, action.get('owner_id'))
    // a name keeps its own direction in a page that runs the other way
    ownerLine.replaceChildren(`${t('meeting.actions.owner')} `,
      name ? h('bdi', {}, name) : t('meeting.actions.nobody'))
  }
  action.observe(showOwner)
  showOwner()
  const what = h('p', { class: 'what', dir: 'auto' })
  const text = action.get('text')
  const showText = () => { what.textContent = String(text ?? '') }
  text?.observe?.(showText)
  showText()
  return h('article', { class: 'card evaluation', 'data-id': action.get('id') },
    what, ctx.role !== 'screen' && readAloudButton(ctx.reader, () => itemPieces(action, [['text', null]]), t('voice.what.action')),
    ownerLine, lastTime(action),
    selectField(action, 'status', t('meeting.actions.status'), statusChoices(),
      { name: 'evaluation-status', ...access(ctx, FIELDS.status, action) }),
    textField(action.get('evaluation') ?? new Y.Text(), t('meeting.actions.evaluation'),
      { name: 'evaluation', ...access(ctx, FIELDS.evaluation, action) }))
}

/**
 * What the last plan said about a carried action: its status and evaluation then.
 * @param {import('../types.js').Action} action
 */
function lastTime (action) {
  const status = action.get('last_status')
  const evaluation = action.get('last_evaluation')
  if (!status && !evaluation) return null
  return h('div', { class: 'last-time', 'data-last-time': '' },
    status && h('p', {}, t('meeting.actions.last_time', { status: t(`common.statuses.${status}`) })),
    evaluation && h('p', { class: 'muted' }, t('meeting.actions.last_evaluation', { text: evaluation })))
}

/**
 * Step 5.
 * @param {import('../types.js').Context} ctx
 */
export function actionsView (ctx) {
  const list = h('div', { class: 'actions' })
  keyedList(list, ctx.doc.getArray('actions'), (a) => actionCard(ctx, a), { empty: t('meeting.actions.none'), keep: (a) => !isRemoved(a) })
  return h('div', {}, list, ctx.canWrite && LISTS.actions.adders.includes(ctx.role) && addActionForm(ctx))
}

/**
 * Step 3, the carried actions part.
 * @param {import('../types.js').Context} ctx
 */
export function evaluationView (ctx) {
  const list = h('div', { class: 'evaluations' })
  keyedList(list, ctx.doc.getArray('actions'), (a) => evaluationCard(ctx, a),
    { keep: (a) => isCarried(a) && !isRemoved(a), empty: t('meeting.actions.no_carried') })
  return h('div', {}, h('h3', {}, both('meeting.actions.carried_heading')), list)
}

/** @param {import('../types.js').Context} ctx */
function addActionForm (ctx) {
  const actions = ctx.doc.getArray('actions')
  const input = h('input', { id: 'new-action', type: 'text', autocomplete: 'off', maxlength: FIELDS.text.limit })
  const add = h('button', { class: 'button primary', type: 'submit' }, t('meeting.actions.add'))
  const full = listLimit(actions, LISTS.actions.max_items, [input, add])
  const form = h('form', { class: 'add-row' },
    h('label', { for: 'new-action' }, t('meeting.actions.new_text')), input, add, full)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const text = fit(input.value.trim(), FIELDS.text.limit)
    if (!text || actions.length >= LISTS.actions.max_items) return input.focus()
    actions.push([new Y.Map(Object.entries({
      id: newId('actie'),
      goal_id: null,
      text: new Y.Text(text),
      owner_id: null,
      due: null,
      status: 'open',
      evaluation: new Y.Text(),
      carried_from: null,
      lang: uiLanguage()
    }))])
    input.value = ''
    input.focus()
  })
  return form
}
