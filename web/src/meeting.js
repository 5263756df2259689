// The meeting room: the agenda as guided steps over one live Yjs document.
// Tablet first; the same page is the coordinator's laptop and (role "screen") the shared screen.
// meeting-page.js starts it once; nothing here runs at import.
import { connect } from './collab.js'
import { CloseCode } from './close-codes.js'
import { h } from './dom.js'
import { t } from './messages.js'
import { csrfToken } from './session.js'
import { actionsView } from './views/actions.js'
import { agendaView } from './views/agenda.js'
import { announcer } from './views/announcer.js'
import { attendanceView } from './views/attendance.js'
import { closingView } from './views/closing.js'
import { concernsView } from './views/concerns.js'
import { contactsView } from './views/contacts.js'
import { planTextField } from './views/fields.js'
import { goalsView } from './views/goals.js'
import { presenceBar } from './views/presence.js'
import { reviewView } from './views/review.js'
import { followTheTable } from './views/screen.js'
import { tablePanel } from './views/table.js'

/** @typedef {import('./types.js').Context} Context */
/** @typedef {import('./types.js').Live} Live */
/** @typedef {import('./types.js').Announce} Announce */

/**
 * The refusals the page explains in words; any other close the provider gives up on is "other".
 * @type {Set<number>}
 */
const REFUSALS = new Set([
  CloseCode.NOT_SIGNED_IN, CloseCode.NOT_ALLOWED, CloseCode.REMOVED, CloseCode.UPDATE_REFUSED,
  CloseCode.TOO_MANY
])

/**
 * The page's options from #app's data attributes.
 * @param {DOMStringMap} data
 * @returns {import('./types.js').MeetingOptions}
 */
export function readOptions (data) {
  return {
    meetingId: data.meeting ?? '',
    familyId: data.family ?? '',
    sessionId: data.session ?? '',
    personId: data.person ?? '',
    name: data.name ?? '',
    role: data.role ?? '',
    lastScores: new Map(Object.entries(JSON.parse(data.lastScores || '{}')))
  }
}

/**
 * Start the meeting room in `root` (#app): connect, build the agenda, show the shared step once
 * the server's document is here. Call once per page.
 * @param {HTMLElement} root
 * @param {import('./types.js').MeetingOptions} options
 */
export function startMeeting (root, options) {
  const live = connect({ meetingId: options.meetingId, sessionId: options.sessionId })
  const announce = announcer(part(root, 'announcer'))
  /** @type {Context} */
  const ctx = {
    doc: live.doc,
    meetingId: options.meetingId,
    familyId: options.familyId,
    personId: options.personId,
    role: options.role,
    canWrite: options.role !== 'screen',
    lastScores: options.lastScores,
    api: sessionApi(options.sessionId),
    reader: { familyId: options.familyId, sessionId: options.sessionId }
  }
  /** @type {import('./types.js').Identity} */
  const me = { person_id: options.personId || `screen-${options.sessionId}`, name: options.name, role: options.role }

  const agenda = agendaView({ nav: part(root, 'agenda'), steps: part(root, 'steps'), summary: part(root, 'agenda-summary') }, ctx, stepViews(ctx, live, me, announce), announce)
  // -- joining at the table: the join code (screen, coordinator), admission and removal --
  const tableRoot = root.querySelector('#table')
  const panel = tableRoot instanceof HTMLElement ? tablePanel(tableRoot, ctx, announce) : null
  const erased = () => showErased(root, live, () => panel?.stop())
  const applyStatus = watchStatus(root, ctx, announce, () => panel?.stop(), erased)
  announceAdditions(ctx, announce)
  showSaveState(live, ctx.doc.getMap('meta'), part(document, 'save-state'), part(root, 'offline-note'), part(root, 'connection'), options.role)
  explainRefusals(root, live, () => panel?.stop(), erased)

  foldOnPhones(root)
  const markStep = watchStep(ctx, options.role === 'screen' ? part(root, 'steps') : null)

  // -- start once the document is here (the server seeded it; we never do) --
  presenceBar(live.awareness, part(root, 'presence'), me, live.doc)
  live.awareness.setLocalState({ step: 0 })
  live.whenSynced.then(() => {
    applyStatus()
    agenda.show(agenda.sharedStep(), false)
    markStep()
    document.body.dataset.ready = 'true'
  })
}

/**
 * The page's element with this id; the template always has it.
 * @param {ParentNode} root
 * @param {string} id
 * @returns {HTMLElement}
 */
function part (root, id) {
  const el = root.querySelector(`#${id}`)
  if (!(el instanceof HTMLElement)) throw new Error(`the meeting page has no #${id}`)
  return el
}

/**
 * JSON API calls with this page's session; they throw with the server's Dutch message.
 * @param {string} sessionId
 * @returns {import('./types.js').Api}
 */
function sessionApi (sessionId) {
  return async (path, init = {}) => {
    const sep = path.includes('?') ? '&' : '?'
    const headers = { ...(init.headers || {}), 'X-CSRF-Token': csrfToken() }
    const response = await fetch(`${path}${sep}as=${encodeURIComponent(sessionId)}`,
      { ...init, headers })
    const body = await response.json().catch(() => ({}))
    if (!response.ok) throw new Error(body.message || response.statusText)
    return body
  }
}

/**
 * The agenda's steps, in order (their titles and help are meeting.agenda.steps).
 * @param {Context} ctx
 * @param {Live} live
 * @param {import('./types.js').Identity} me
 * @param {Announce} announce
 * @returns {(() => HTMLElement)[]}
 */
function stepViews (ctx, live, me, announce) {
  return [
    () => welcomeView(ctx, live, me),
    () => h('div', {},
      planTextField(ctx, 'strengths', { rows: 3 }),
      concernsView(ctx, announce)),
    () => reviewView(ctx),
    () => goalsView(ctx),
    () => actionsView(ctx),
    () => contactsView(ctx),
    () => closingView(ctx)
  ]
}

/**
 * Step 1: who is here (with a device, and the coordinator's attendance marks), and how to join.
 * @param {Context} ctx
 * @param {Live} live
 * @param {import('./types.js').Identity} me
 */
function welcomeView (ctx, live, me) {
  const present = h('div', { class: 'presence-big' })
  presenceBar(live.awareness, present, me)
  return h('div', {}, h('p', { class: 'lead' }, t('meeting.welcome.heading')), present,
    h('p', {}, t('meeting.welcome.join_help', { url: `${location.origin}/code` })),
    ctx.role !== 'screen' && attendanceView(ctx, live.awareness))
}

/**
 * On a phone the content comes first: presence and the step buttons fold away behind one line
 * each; wider screens always show them (and no summary line).
 * @param {HTMLElement} root
 */
function foldOnPhones (root) {
  const phone = window.matchMedia('(max-width: 600px)')
  const apply = () => {
    for (const fold of root.querySelectorAll('details.fold')) {
      /** @type {HTMLDetailsElement} */ (fold).open = !phone.matches
    }
  }
  phone.addEventListener('change', apply)
  apply()
}

/**
 * The shared step on <body data-step> (the page's layout may depend on it: the shared screen
 * shows the join code large in the welcome step); on the shared screen, it also follows the
 * table within the step (views/screen.js).
 * @param {Context} ctx
 * @param {HTMLElement | null} screenViewport the shared screen's scrolling part
 * @returns {() => void} marks the step now (the observer marks later moves)
 */
function watchStep (ctx, screenViewport) {
  const meta = ctx.doc.getMap('meta')
  const follower = screenViewport ? followTheTable(ctx, screenViewport) : null
  const markStep = () => { document.body.dataset.step = String(Math.round(meta.get('agenda_step') ?? 0)) }
  meta.observe((event) => {
    if (!event.keysChanged.has('agenda_step')) return
    markStep()
    follower?.stepChanged()
  })
  return markStep
}

/**
 * Closed meetings are read-only for everyone.
 * @param {HTMLElement} root
 * @param {Context} ctx
 * @param {Announce} announce
 * @param {() => void} stopJoining the join code stops working with the meeting
 * @param {() => void} erased shows that the family's data was erased
 * @returns {() => void} applies the status now (the observer applies later changes)
 */
function watchStatus (root, ctx, announce, stopJoining, erased) {
  const meta = ctx.doc.getMap('meta')
  const editable = /** @type {HTMLFieldSetElement} */ (part(root, 'editable'))
  const closedBanner = part(root, 'closed')
  const applyStatus = () => {
    if (meta.get('status') === 'erased') return erased()
    const closed = meta.get('status') === 'closed'
    editable.disabled = closed || ctx.role === 'screen'
    closedBanner.hidden = !closed
    document.body.classList.toggle('closed', closed)
    if (closed) {
      stopJoining()
      announce(t('meeting.announce.closed'))
    }
  }
  meta.observe((event) => { if (event.keysChanged.has('status')) applyStatus() })
  return applyStatus
}

/**
 * Remote additions of goals and actions are announced politely.
 * @param {Context} ctx
 * @param {Announce} announce
 */
function announceAdditions (ctx, announce) {
  for (const [name, key] of [['goals', 'meeting.goals.added'], ['actions', 'meeting.actions.added']]) {
    ctx.doc.getArray(name).observe((event, transaction) => {
      if (transaction.local) return
      for (const item of event.changes.added) {
        for (const map of item.content.getContent()) announce(t(key, { text: String(map.get?.('text') ?? '') }))
      }
    })
  }
}

/**
 * The save state in the header; while the connection is gone, a sentence on the page itself
 * (a tooltip never shows on a touch screen) that the work stays here; a spoken note when it is back.
 * A closed meeting takes no more work: the badge says "Afgesloten", whatever the connection does.
 * @param {Live} live
 * @param {import('yjs').Map<any>} meta the document's meta, for its status
 * @param {HTMLElement} saveState
 * @param {HTMLElement} offlineNote
 * @param {HTMLElement} connectionNote
 * @param {string} role the shared screen keeps no work: it says its picture may be old
 */
function showSaveState (live, meta, saveState, offlineNote, connectionNote, role) {
  let wasOffline = false
  /** @type {import('./types.js').SaveState} */
  let last = 'connecting'
  const isClosed = () => meta.get('status') === 'closed'
  const render = () => {
    const closed = isClosed()
    const state = closed ? 'closed' : last
    saveState.dataset.state = state
    saveState.textContent = t(`meeting.save.${state}`)
    offlineNote.hidden = closed || last !== 'offline'
  }
  live.onSaveState((state) => {
    last = state
    const offline = state === 'offline'
    if (offline && !wasOffline) {
      offlineNote.textContent = t(role === 'screen' ? 'meeting.save.screen_offline' : 'meeting.save.offline_help')
    }
    if ((state === 'saved' || state === 'saving') && wasOffline && !isClosed()) {
      connectionNote.textContent = t('meeting.save.back_online')
    }
    if (offline) wasOffline = true
    else if (state !== 'connecting') wasOffline = false
    render()
  })
  meta.observe((event) => { if (event.keysChanged.has('status')) render() })
}

/**
 * Say why the server closed us for good; once removed, the plan is no longer this screen's to see.
 * @param {HTMLElement} root
 * @param {Live} live
 * @param {() => void} stopJoining
 * @param {() => void} erased shows that the family's data was erased
 */
function explainRefusals (root, live, stopJoining, erased) {
  const refused = part(root, 'refused')
  live.onRefused((code) => {
    if (code === CloseCode.ERASED) return erased()
    refused.textContent = t(`meeting.refused.${REFUSALS.has(code) ? code : 'other'}`)
    refused.hidden = false
    if (code === CloseCode.REMOVED) {
      stopJoining()
      for (const id of ['presence', 'agenda', 'editable']) {
        const block = /** @type {HTMLElement} */ (part(root, id).closest('section, nav, fieldset'))
        block.hidden = true
      }
      live.doc.destroy()
      document.body.dataset.removed = 'true'
    }
  })
}

/**
 * The family's data was erased (server/privacy/erasure.py): say so in plain words and show
 * nothing of it any more — not the plan, not the names, not the meeting's title.
 * @param {HTMLElement} root
 * @param {Live} live
 * @param {() => void} stopJoining
 */
function showErased (root, live, stopJoining) {
  if (document.body.dataset.erased) return
  document.body.dataset.erased = 'true'
  stopJoining()
  const refused = part(root, 'refused')
  for (const child of [...root.children]) if (child !== refused) child.remove()
  for (const el of document.querySelectorAll('.meeting-title, header .links, #save-state')) el.remove()
  for (const key of Object.keys(root.dataset)) delete root.dataset[key]
  document.title = t('meeting.erased.title')
  refused.replaceChildren(h('strong', {}, t('meeting.erased.title')), h('br', {}), t('meeting.erased.text'))
  refused.hidden = false
  live.provider.destroy()
  live.doc.destroy()
}
