// Step 3: looking back. Last time's actions are evaluated, and every goal gets a score —
// the natural first step of every round table.
import { h, keyedList } from '../dom.js'
import { both, t } from '../messages.js'
import { LISTS } from '../rights.js'
import { access, scoreField } from './fields.js'
import { evaluationView } from './actions.js'
import { lastScore } from './goals.js'
import { isRemoved } from './trace.js'

/** @param {import('../types.js').Context} ctx */
export function reviewView (ctx) {
  const scores = h('div', { class: 'scores' })
  keyedList(scores, ctx.doc.getArray('goals'), (goal) => {
    const title = h('h4', { dir: 'auto' })
    const text = goal.get('text')
    const show = () => { title.textContent = String(text ?? '') }
    text?.observe?.(show)
    show()
    return h('article', { class: 'card goal-score', 'data-id': goal.get('id') },
      title, scoreField(goal, lastScore(ctx, goal), access(ctx, LISTS.goals.fields.score, goal)))
  }, { empty: t('meeting.goals.none'), keep: (g) => !isRemoved(g) })
  return h('div', {}, evaluationView(ctx), h('h3', {}, both('meeting.goals.heading')), scores)
}
