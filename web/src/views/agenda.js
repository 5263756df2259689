// The agenda: the meeting's steps, one shown at a time. The coordinator moves the shared step
// (meta.agenda_step) and everyone follows it; a tablet may look at another step for a while
// (browsing) and follow again with one button; the shared screen always shows the shared step.
// Someone typing when the group moves on stays where they are (their focus and caret with
// them) and sees a calm note with one button to follow.
import { h } from '../dom.js'
import { beside, entry, secondLanguage, t } from '../messages.js'
import { readAloudButton, uiLanguage } from '../read-aloud.js'

/**
 * @param {{nav: HTMLElement, steps: HTMLElement, summary: HTMLElement}} parts where the step
 *   buttons and the steps go, and the line that names the step when the buttons are folded away
 * @param {import('../types.js').Context} ctx
 * @param {(() => HTMLElement)[]} views one per step, built the first time the step is shown
 * @param {import('../types.js').Announce} announce
 * @returns {{show: (i: number, focus?: boolean) => void, sharedStep: () => number}}
 */
export function agendaView (parts, ctx, views, announce) {
  const STEPS = /** @type {import('../types.js').AgendaStep[]} */ (entry('meeting.agenda.steps'))
  const second = secondLanguage()
  const SECOND = second ? /** @type {import('../types.js').AgendaStep[]} */ (entry('meeting.agenda.steps', second)) : undefined
  const meta = ctx.doc.getMap('meta')
  let following = true
  let shown = 0
  const sections = views.map((_, i) => h('section', {
    class: 'step', id: `step-${i}`, hidden: true, 'aria-labelledby': `step-${i}-title`, tabindex: '-1'
  }, h('h2', { id: `step-${i}-title` }, `${i + 1}. `, beside(STEPS[i].title, SECOND?.[i].title)),
  h('p', { class: 'help' }, beside(STEPS[i].help, SECOND?.[i].help)),
  // the step's explanation, in the page's language
  ctx.role !== 'screen' && readAloudButton(ctx.reader, () => [STEPS[i].title, STEPS[i].help].map((text) => ({ text, lang: uiLanguage() })),
    t('voice.what.step'))))
  const built = new Set()
  const stepButtons = STEPS.map((step, i) => h('button', {
    type: 'button', class: 'step-button', 'data-step': i, onclick: () => choose(i)
  }, h('span', { class: 'n' }, i + 1), h('span', { class: 'title' }, step.title)))
  const followButton = h('button', { class: 'button primary', type: 'button', hidden: true, onclick: () => { following = true; show(sharedStep()) } },
    t('meeting.agenda.follow'))
  const browsingText = h('span', {}, t('meeting.agenda.browsing'))
  const browsingNote = h('p', { class: 'browsing', role: 'status', hidden: true }, browsingText, ' ', followButton)
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
    parts.summary.textContent = t('meeting.agenda.summary', { n: i + 1, of: STEPS.length, title: STEPS[i].title })
    browsingNote.hidden = following || ctx.role === 'coordinator' || ctx.role === 'screen' || i === sharedStep()
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

  /** Whether this person is busy in a field of the step shown (typing, choosing). */
  const busyHere = () => {
    const active = document.activeElement
    return active instanceof HTMLElement && sections[shown].contains(active)
      && active.matches('input, textarea, select')
  }

  meta.observe((event, transaction) => {
    if (!event.keysChanged.has('agenda_step')) return
    const step = sharedStep()
    const title = STEPS[step].title
    // "stap 2: Wat gaat goed?" takes no full stop after it: the catalogue leaves it out
    const moved = { n: step + 1, title, ends: /\p{Sentence_Terminal}$/u.test(title) ? 'mark' : 'other' }
    if (!transaction.local) announce(t('meeting.agenda.moved', moved))
    if (ctx.role !== 'screen' && following && step !== shown && busyHere()) {
      following = false
      browsingText.textContent = t('meeting.agenda.moved_on', moved)
    } else if (!following && ctx.role !== 'screen') {
      browsingText.textContent = t('meeting.agenda.browsing')
    }
    if (following || ctx.role === 'screen') show(step, false)
    else show(shown, false)
  })

  parts.nav.append(h('ol', {}, stepButtons.map((b) => h('li', {}, b))))
  // the note sits below the step and sticks to the bottom of the window: seen while typing
  parts.steps.append(...sections, browsingNote, h('div', { class: 'step-nav' }, prev, next))
  return { show, sharedStep }
}
