// Joining at the table. The shared screen shows the join code and its QR code; the coordinator
// also sees who waits to be admitted (Toelaten / Weigeren) and who is at the table
// (Verwijderen). Polled from the server: the lists are small and change at human speed.
import { h } from '../dom.js'
import { errorMessage, t } from '../messages.js'

const POLL_MS = { coordinator: 2000, screen: 3000 } // the screen: a newcomer at the door sees the code grow within 3 s

/**
 * The join code as server/api/table.py `code_json` sends it (`qr`: inline SVG markup).
 * `waiting`: how many wait to be admitted (the shared screen's answer only: it shows the code
 * large meanwhile).
 * @typedef {{live: false} | {live: true, code: string, url: string, qr: string, waiting?: number}} JoinCode
 */
/**
 * One seat at the table, waiting or seated (server/api/table.py `_seat_json`).
 * @typedef {object} Seat
 * @property {string|null} session_id null for staff signed in with an account
 * @property {string} person_id
 * @property {string} remove_path below /api/meetings/<id>/
 * @property {string} name
 * @property {string} role
 * @property {string} since ISO time (UTC, with its offset)
 * @property {string} since_time "14:05" in the family's time zone, made by the server
 * @property {boolean} is_you
 * @property {boolean} at_table a waiting request for someone who is at the table already
 */
/** @typedef {{join: JoinCode, waiting: Seat[], seated: Seat[]}} Table */

/**
 * @param {HTMLElement} root
 * @param {import('../types.js').Context} ctx
 * @param {import('../types.js').Announce} announce
 * @returns {{stop: () => void}}
 */
export function tablePanel (root, ctx, announce) {
  const coordinator = ctx.role === 'coordinator'
  const codeBox = h('div', { class: 'join-box' })
  let shownCode = ''
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer
  let stopped = false

  /** @param {JoinCode} join */
  function renderCode (join) {
    root.hidden = !join.live && !coordinator
    root.dataset.waiting = String(join.live && (join.waiting ?? 0) > 0)
    if (!join.live) { codeBox.replaceChildren(); shownCode = ''; return }
    if (join.code === shownCode) return
    const qr = h('div', { class: 'join-qr' })
    qr.innerHTML = join.qr // inline SVG made by the server (segno), no script, no style
    codeBox.replaceChildren(
      h('p', { class: 'join-label' }, t('meeting.table.code_label')),
      h('p', { class: 'join-code', 'data-join-code': join.code }, join.code),
      qr,
      h('p', { class: 'join-help' }, t('meeting.table.code_help', { url: join.url })))
    if (shownCode && coordinator) announce(t('meeting.table.renewed', { code: join.code }))
    shownCode = join.code
    if (summaryCode) summaryCode.textContent = t('meeting.table.summary', { code: join.code })
  }

  // -- the coordinator's lists --------------------------------------------------------------
  const waitingList = h('ul', { class: 'seat-list', 'aria-labelledby': 'waiting-title' })
  // fixed to the bottom of the window: seen wherever the coordinator is on the page, spoken
  // politely by the announcer, and never taking the focus from what she is typing
  const waiting = h('section', { class: 'waiting-requests', 'aria-labelledby': 'waiting-title', hidden: true },
    h('h2', { id: 'waiting-title', class: 'small-heading' }, t('meeting.table.waiting_heading')), waitingList)
  const seatedList = h('ul', { class: 'seat-list', 'aria-labelledby': 'seated-title' })
  const error = h('p', { class: 'error', role: 'alert', hidden: true })
  const summaryCode = coordinator ? h('span', {}, t('meeting.table.code_label')) : null
  const renew = h('button', { class: 'button', type: 'button', onclick: () => confirmThen(t('meeting.table.renew_confirm'), t('meeting.table.renew'), renewCode) },
    t('meeting.table.renew'))
  const known = new Set()

  const dialogText = h('p', {})
  const dialogYes = h('button', { class: 'button primary', type: 'button' })
  const dialogNo = h('button', { class: 'button', type: 'button', onclick: () => dialog.close() }, t('meeting.closing.confirm_no'))
  const dialog = h('dialog', { 'aria-labelledby': 'table-dialog-text', class: 'table-dialog' },
    h('div', { id: 'table-dialog-text' }, dialogText), h('div', { class: 'dialog-buttons' }, dialogYes, dialogNo))

  /**
   * Ask first; run `action` on yes.
   * @param {string} text
   * @param {string} yes the yes button's label
   * @param {() => void} action
   */
  function confirmThen (text, yes, action) {
    dialogText.textContent = text
    dialogYes.textContent = yes
    dialogYes.onclick = () => { dialog.close(); action() }
    dialog.showModal()
  }

  /**
   * @param {string} path
   * @param {string} done what to announce once it worked
   */
  async function act (path, done) {
    error.hidden = true
    try {
      await ctx.api(path, { method: 'POST' })
      announce(done)
      await refresh()
    } catch (exc) {
      error.textContent = t('meeting.table.failed', { message: errorMessage(exc) })
      error.hidden = false
    }
  }

  const base = `/api/meetings/${ctx.meetingId}`
  /** @param {Seat[]} rows */
  function renderWaiting (rows) {
    for (const row of rows) {
      if (!known.has(row.session_id)) announce(t('meeting.table.new_request', { name: row.name }))
      known.add(row.session_id)
    }
    waiting.hidden = rows.length === 0
    document.body.classList.toggle('has-requests', rows.length > 0)
    waitingList.replaceChildren(...rows.map((row) => h('li', { class: 'seat', 'data-session': row.session_id },
      h('span', { class: 'seat-name' }, row.name, ' ', h('span', { class: 'role' }, t(`common.roles.${row.role}`))),
      h('span', { class: 'muted' }, t('meeting.table.waiting_since', { time: row.since_time })),
      row.at_table && h('span', { class: 'seat-note' }, t('meeting.table.already_at_table', { name: row.name })),
      h('span', { class: 'seat-actions' },
        h('button', {
          class: 'button primary', type: 'button', 'aria-label': t('meeting.table.admit_label', { name: row.name }),
          onclick: () => act(`${base}/requests/${row.session_id}/admit`, t('meeting.table.admitted', { name: row.name }))
        }, t('meeting.table.admit')),
        h('button', {
          class: 'button', type: 'button', 'aria-label': t('meeting.table.refuse_label', { name: row.name }),
          onclick: () => act(`${base}/requests/${row.session_id}/refuse`, t('meeting.table.refused', { name: row.name }))
        }, t('meeting.table.refuse'))))))
  }

  /** @param {Seat[]} rows */
  function renderSeated (rows) {
    seatedList.replaceChildren(...(rows.length
      ? rows.map((row) => h('li', { class: 'seat', 'data-session': row.session_id || row.person_id },
          h('span', { class: 'seat-name' }, row.name,
            row.role !== 'screen' && h('span', { class: 'role' }, ' ', t(`common.roles.${row.role}`))),
          row.is_you
            ? h('span', { class: 'muted' }, t('meeting.table.you'))
            : h('button', {
                class: 'button danger', type: 'button', 'aria-label': t('meeting.table.remove_label', { name: row.name }),
                onclick: () => confirmThen(t('meeting.table.remove_confirm', { name: row.name }), t('meeting.table.remove'),
                  () => act(`${base}/${row.remove_path}`, t('meeting.table.removed', { name: row.name })))
              }, t('meeting.table.remove'))))
      : [h('li', { class: 'muted' }, t('meeting.table.seated_none'))]))
  }

  async function renewCode () {
    error.hidden = true
    try {
      renderCode(await ctx.api(`${base}/join-code`, { method: 'POST' }))
    } catch (exc) {
      error.textContent = t('meeting.table.failed', { message: errorMessage(exc) })
      error.hidden = false
    }
  }

  async function refresh () {
    if (coordinator) {
      /** @type {Table} */
      const table = await ctx.api(`${base}/table`)
      renderCode(table.join)
      renew.hidden = !table.join.live
      renderWaiting(table.waiting)
      renderSeated(table.seated)
    } else {
      renderCode(await ctx.api(`${base}/join-code`))
    }
  }

  async function loop () {
    if (stopped) return
    try { await refresh() } catch { /* offline for a moment: the next round tries again */ }
    if (!stopped) timer = setTimeout(loop, POLL_MS[coordinator ? 'coordinator' : 'screen'])
  }

  if (coordinator) {
    const details = h('details', { class: 'table-details' },
      h('summary', {}, summaryCode),
      h('div', { class: 'table-body' },
        h('div', { class: 'join-column' }, codeBox, renew),
        h('section', { class: 'seated', 'aria-labelledby': 'seated-title' },
          h('h2', { id: 'seated-title', class: 'small-heading' }, t('meeting.table.seated_heading')), seatedList)))
    root.append(error, waiting, details, dialog)
  } else {
    root.append(codeBox)
  }
  loop()
  return { stop () { stopped = true; clearTimeout(timer); root.hidden = true } }
}
