// The meeting room: the agenda as guided steps over one live Yjs document.
// Tablet first; the same page is the coordinator's laptop and (role "screen") the shared screen.
import { connect } from './collab.js'
import { h } from './dom.js'
import { t } from './messages.js'
import { announcer } from './views/announcer.js'
import { presenceBar } from './views/presence.js'
import { textField } from './views/fields.js'
import { goalsView } from './views/goals.js'
import { actionsView } from './views/actions.js'
import { reviewView } from './views/review.js'
import { contactsView } from './views/contacts.js'
import { closingView } from './views/closing.js'
import { csrfToken } from './session.js'
import { tablePanel } from './views/table.js'

/**
 * @typedef {object} Context
 * @property {import('yjs').Doc} doc
 * @property {string} meetingId
 * @property {string} familyId
 * @property {string} personId
 * @property {string} role
 * @property {boolean} canWrite
 * @property {Map<string, number|null>} lastScores goal id → score in the last plan version
 * @property {(path: string, init?: RequestInit) => Promise<any>} api
 */

const root = document.getElementById('app')
const data = root.dataset
const live = connect({ meetingId: data.meeting, sessionId: data.session })
const announce = announcer(document.getElementById('announcer'))

/** JSON API call with this page's session; throws with the server's Dutch message. */
async function api (path, init = {}) {
  const sep = path.includes('?') ? '&' : '?'
  const headers = { ...(init.headers || {}), 'X-CSRF-Token': csrfToken() }
  const response = await fetch(`${path}${sep}as=${encodeURIComponent(data.session)}`,
    { ...init, headers })
  const body = await response.json().catch(() => ({}))
  if (!response.ok) throw new Error(body.message || response.statusText)
  return body
}

/** @type {Context} */
const ctx = {
  doc: live.doc,
  meetingId: data.meeting,
  familyId: data.family,
  personId: data.person,
  role: data.role,
  canWrite: data.role !== 'screen',
  lastScores: new Map(Object.entries(JSON.parse(data.lastScores || '{}'))),
  api
}

const me = { person_id: data.person || `screen-${data.session}`, name: data.name, role: data.role }
const STEPS = t('meeting.agenda.steps')
const VIEWS = [
  () => welcomeView(),
  () => h('div', {},
    textField(ctx.doc.getText('strengths'), t('meeting.texts.strengths'), { rows: 3, name: 'strengths' }),
    textField(ctx.doc.getText('concerns'), t('meeting.texts.concerns'),
      { help: t('meeting.texts.concerns_help'), rows: 3, name: 'concerns' })),
  () => reviewView(ctx),
  () => goalsView(ctx),
  () => actionsView(ctx),
  () => contactsView(ctx),
  () => closingView(ctx)
]

function welcomeView () {
  const present = h('div', { class: 'presence-big' })
  presenceBar(live.awareness, present, me)
  return h('div', {}, h('p', { class: 'lead' }, t('meeting.welcome.heading')), present,
    h('p', {}, t('meeting.welcome.join_help', { url: `${location.origin}/code` })))
}

// -- the agenda: a shared step (moved by the coordinator), and the step this screen shows --
const meta = ctx.doc.getMap('meta')
let following = true
let shown = 0
const sections = VIEWS.map((_, i) => h('section', {
  class: 'step', id: `step-${i}`, hidden: true, 'aria-labelledby': `step-${i}-title`, tabindex: '-1'
}, h('h2', { id: `step-${i}-title` }, `${i + 1}. ${STEPS[i].title}`), h('p', { class: 'help' }, STEPS[i].help)))
const built = new Set()
const stepButtons = STEPS.map((step, i) => h('button', {
  type: 'button', class: 'step-button', 'data-step': i, onclick: () => choose(i)
}, h('span', { class: 'n' }, i + 1), h('span', { class: 'title' }, step.title)))
const followButton = h('button', { class: 'button', type: 'button', hidden: true, onclick: () => { following = true; show(sharedStep()) } },
  t('meeting.agenda.follow'))
const browsingNote = h('p', { class: 'browsing', hidden: true }, t('meeting.agenda.browsing'), ' ', followButton)

const sharedStep = () => Math.max(0, Math.min(STEPS.length - 1, Math.round(meta.get('agenda_step') ?? 0)))

function choose (i) {
  if (ctx.role === 'coordinator') meta.set('agenda_step', i)
  else if (ctx.role !== 'screen') following = i === sharedStep()
  show(i)
}

function show (i, focus = true) {
  if (ctx.role === 'screen') i = sharedStep()
  if (!built.has(i)) { sections[i].append(VIEWS[i]()); built.add(i) }
  sections.forEach((s, n) => { s.hidden = n !== i })
  shown = i
  const shared = sharedStep()
  stepButtons.forEach((b, n) => {
    b.classList.toggle('shared', n === shared)
    if (n === i) b.setAttribute('aria-current', 'step')
    else b.removeAttribute('aria-current')
    b.querySelector('.now')?.remove()
    if (n === shared) b.append(h('span', { class: 'now' }, t('meeting.agenda.now')))
  })
  browsingNote.hidden = following || ctx.role === 'coordinator' || ctx.role === 'screen'
  followButton.hidden = browsingNote.hidden
  prev.disabled = i === 0
  next.disabled = i === STEPS.length - 1
  if (focus) sections[i].focus({ preventScroll: false })
}

const prev = h('button', { class: 'button', type: 'button', onclick: () => choose(Math.max(0, shown - 1)) }, t('meeting.agenda.previous'))
const next = h('button', { class: 'button primary', type: 'button', onclick: () => choose(Math.min(STEPS.length - 1, shown + 1)) }, t('meeting.agenda.next'))

meta.observe((event, transaction) => {
  if (event.keysChanged.has('agenda_step')) {
    const step = sharedStep()
    if (!transaction.local) announce(t('meeting.agenda.moved', { n: step + 1, title: STEPS[step].title }))
    if (following || ctx.role === 'screen') show(step, false)
    else show(shown, false)
  }
  if (event.keysChanged.has('status')) applyStatus()
})

// -- joining at the table: the join code (screen, coordinator), admission and removal --
const tableRoot = document.getElementById('table')
const panel = tableRoot ? tablePanel(tableRoot, ctx, announce) : null

// -- closed meetings are read-only for everyone --
const editable = document.getElementById('editable')
const closedBanner = document.getElementById('closed')
function applyStatus () {
  const closed = meta.get('status') === 'closed'
  editable.disabled = closed || ctx.role === 'screen'
  closedBanner.hidden = !closed
  document.body.classList.toggle('closed', closed)
  if (closed) {
    panel?.stop() // the join code stops working with the meeting
    announce(t('meeting.announce.closed'))
  }
}

// -- remote additions are announced politely --
for (const [name, key] of [['goals', 'meeting.goals.added'], ['actions', 'meeting.actions.added']]) {
  ctx.doc.getArray(name).observe((event, transaction) => {
    if (transaction.local) return
    for (const item of event.changes.added) {
      for (const map of item.content.getContent()) announce(t(key, { text: String(map.get?.('text') ?? '') }))
    }
  })
}

// -- save state and connection --
const saveState = document.getElementById('save-state')
const connectionNote = document.getElementById('connection')
let wasOffline = false
live.onSaveState((state) => {
  saveState.dataset.state = state
  saveState.textContent = t(`meeting.save.${state}`)
  saveState.title = state === 'offline' ? t('meeting.save.offline_help') : ''
  if (state === 'offline' && !wasOffline) connectionNote.textContent = t('meeting.save.lost')
  if ((state === 'saved' || state === 'saving') && wasOffline) connectionNote.textContent = t('meeting.save.back_online')
  if (state === 'offline') wasOffline = true
  else if (state !== 'connecting') wasOffline = false
})
live.provider.on('status', ({ status }) => {
  if (status === 'disconnected' && !wasOffline) {
    wasOffline = true
    connectionNote.textContent = t('meeting.save.lost')
    saveState.dataset.state = 'offline'
    saveState.textContent = t('meeting.save.offline')
  }
})
const REFUSALS = new Set([4401, 4403, 4410])
live.onRefused((code) => {
  const message = t(`meeting.refused.${REFUSALS.has(code) ? code : 'other'}`)
  document.getElementById('refused').textContent = message
  document.getElementById('refused').hidden = false
  if (code === 4410) {
    // removed by the coordinator: the plan is no longer this screen's to see
    panel?.stop()
    for (const id of ['presence', 'agenda', 'editable']) document.getElementById(id).closest('section, nav, fieldset').hidden = true
    live.doc.destroy()
    document.body.dataset.removed = 'true'
  }
})

// -- start once the document is here (the server seeded it; we never do) --
presenceBar(live.awareness, document.getElementById('presence'), me)
live.awareness.setLocalState({ step: 0 })
document.getElementById('agenda').append(h('ol', {}, stepButtons.map((b) => h('li', {}, b))))
document.getElementById('steps').append(browsingNote, ...sections,
  h('div', { class: 'step-nav' }, prev, next))
live.whenSynced.then(() => {
  applyStatus()
  show(sharedStep(), false)
  document.body.dataset.ready = 'true'
})
