// The agenda: the meeting's steps, one shown at a time. The coordinator moves the shared step
// (meta.agenda_step) and everyone follows it; a tablet may look at another step for a while
// (browsing) and follow again with one button; the shared screen always shows the shared step.
import { h } from '../dom.js'
import { entry, t } from '../messages.js'

/**
 * @param {{nav: HTMLElement, steps: HTMLElement}} parts where the step buttons and the steps go
 * @param {import('../types.js').Context} ctx
 * @param {(() => HTMLElement)[]} views one per step, built the first time the step is shown
 * @param {import('../types.js').Announce} announce
 * @returns {{show: (i: number, focus?: boolean) => void, sharedStep: () => number}}
 */
export function agendaView (parts, ctx, views, announce) {
  const STEPS = /** @type {import('../types.js').AgendaStep[]} */ (entry('meeting.agenda.steps'))
  const meta = ctx.doc.getMap('meta')
  let following = true
  let shown = 0
  const sections = views.map((_, i) => h('section', {
    class: 'step', id: `step-${i}`, hidden: true, 'aria-labelledby': `step-${i}-title`, tabindex: '-1'
  }, h('h2', { id: `step-${i}-title` }, `${i + 1}. ${STEPS[i].title}`), h('p', { class: 'help' }, STEPS[i].help)))
  const built = new Set()
  const stepButtons = STEPS.map((step, i) => h('button', {
    type: 'button', class: 'step-button', 'data-step': i, onclick: () => choose(i)
  }, h('span', { class: 'n' }, i + 1), h('span', { class: 'title' }, step.title)))
  const followButton = h('button', { class: 'button', type: 'button', hidden: true, onclick: () => { following = true; show(sharedStep()) } },
    t('meeting.agenda.follow'))
  const browsingNote = h('p', { class: 'browsing', hidden: true }, t('meeting.agenda.browsing'), ' ', followButton)
  const prev = h('button', { class: 'button', type: 'button', onclick: () => choose(Math.max(0, shown - 1)) }, t('meeting.agenda.previous'))
  const next = h('button', { class: 'button primary', type: 'button', onclick: () => choose(Math.min(STEPS.length - 1, shown + 1)) }, t('meeting.agenda.next'))

  const sharedStep = () => Math.max(0, Math.min(STEPS.length - 1, Math.round(meta.get('agenda_step') ?? 0)))

  /** @param {number} i a step the person picked */
  function choose (i) {
    if (ctx.role === 'coordinator') meta.set('agenda_step', i)
    else if (ctx.role !== 'screen') following = i === sharedStep()
    show(i)
  }

  /**
   * @param {number} i the step to show (the shared screen shows the shared step whatever i is)
   * @param {boolean} [focus] move the focus to it (not when someone else moved the group)
   */
  function show (i, focus = true) {
    if (ctx.role === 'screen') i = sharedStep()
    if (!built.has(i)) { sections[i].append(views[i]()); built.add(i) }
    sections.forEach((s, n) => { s.hidden = n !== i })
    shown = i
    markButtons(i, sharedStep())
    browsingNote.hidden = following || ctx.role === 'coordinator' || ctx.role === 'screen'
    followButton.hidden = browsingNote.hidden
    prev.disabled = i === 0
    next.disabled = i === STEPS.length - 1
    if (focus) sections[i].focus({ preventScroll: false })
  }

  /**
   * @param {number} i the step shown here
   * @param {number} shared the group's step
   */
  function markButtons (i, shared) {
    stepButtons.forEach((b, n) => {
      b.classList.toggle('shared', n === shared)
      if (n === i) b.setAttribute('aria-current', 'step')
      else b.removeAttribute('aria-current')
      b.querySelector('.now')?.remove()
      if (n === shared) b.append(h('span', { class: 'now' }, t('meeting.agenda.now')))
    })
  }

  meta.observe((event, transaction) => {
    if (!event.keysChanged.has('agenda_step')) return
    const step = sharedStep()
    if (!transaction.local) announce(t('meeting.agenda.moved', { n: step + 1, title: STEPS[step].title }))
    if (following || ctx.role === 'screen') show(step, false)
    else show(shown, false)
  })

  parts.nav.append(h('ol', {}, stepButtons.map((b) => h('li', {}, b))))
  parts.steps.append(browsingNote, ...sections, h('div', { class: 'step-nav' }, prev, next))
  return { show, sharedStep }
}
