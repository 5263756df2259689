// Attendance, in the welcome step: who is at the table without a device, who is absent and
// who sent word. The coordinator marks it (rights.js ATTENDANCE_MARK; the server refuses
// anyone else); everyone else reads it. It goes into the plan version and shows in the
// presence band. People with a device of their own show by their presence and need no mark:
// while connected (and not marked) they are shown so, never offered as "without a device".
import { h } from '../dom.js'
import { both, t } from '../messages.js'
import { ATTENDANCE_MARK, mayWrite } from '../rights.js'
import { ATTENDANCE } from '../schema.js'

/**
 * The marked people, by mark: [person id, name, mark] in the document's order.
 * @param {import('yjs').Doc} doc
 * @returns {[string, string, string][]}
 */
export function marked (doc) {
  const people = doc.getMap('people')
  return [...doc.getMap('attendance').entries()]
    .filter(([id, mark]) => people.has(id) && ATTENDANCE.includes(mark))
    .map(([id, mark]) => [id, String(people.get(id)?.get?.('name') ?? ''), String(mark)])
}

/**
 * Who is connected now, by person id, from the presence the server stamps.
 * @param {import('y-protocols/awareness').Awareness} awareness
 * @returns {Set<string>}
 */
function connectedPeople (awareness) {
  const ids = new Set()
  for (const state of awareness.getStates().values()) {
    const user = /** @type {import('../types.js').AwarenessState | null} */ (state)?.user
    if (user?.person_id) ids.add(user.person_id)
  }
  return ids
}

/**
 * @param {import('../types.js').Context} ctx
 * @param {import('y-protocols/awareness').Awareness} awareness
 */
export function attendanceView (ctx, awareness) {
  const editable = ctx.canWrite && mayWrite(ATTENDANCE_MARK, ctx.role, ctx.personId)
  const people = ctx.doc.getMap('people')
  const marks = ctx.doc.getMap('attendance')
  const list = h('ul', { class: 'attendance-list' })
  const empty = h('p', { class: 'muted attendance-none' }, t('meeting.attendance.none_marked'))
  let online = connectedPeople(awareness)
  /** @type {(() => void)[]} each row shows the mark it has now */
  let shows = []
  const showAll = () => {
    shows.forEach((show) => show())
    empty.hidden = editable || [...list.children].some((row) => !(/** @type {HTMLElement} */ (row).hidden))
  }
  const build = () => {
    const rows = [...people.entries()].filter(([id, p]) => id !== ctx.personId && p?.get?.('role') !== 'coordinator')
    const built = rows.map(([id, person]) => editable
      ? markRow(marks, id, String(person.get('name') ?? ''), () => online.has(id))
      : readRow(marks, id, String(person.get('name') ?? '')))
    list.replaceChildren(...built.map((row) => row.node))
    shows = built.map((row) => row.show)
    showAll()
  }
  // a mark or a device coming and going changes the rows in place: the coordinator's select keeps its focus
  marks.observe(showAll)
  awareness.on('change', () => {
    online = connectedPeople(awareness)
    showAll()
  })
  people.observe(build)
  build()
  return h('section', { class: 'attendance', 'aria-labelledby': 'attendance-title' },
    h('h3', { id: 'attendance-title' }, both('meeting.attendance.heading')),
    h('p', { class: 'help' }, t(editable ? 'meeting.attendance.help' : 'meeting.attendance.help_read')),
    list, empty)
}

/**
 * One person with a choice of marks; "not marked" deletes the mark (null is no mark). Someone
 * connected with a device of their own and not marked gets no choice, only that they are
 * (a mark made before stays choosable: the plan keeps the mark over the device).
 * @param {import('yjs').Map<any>} marks
 * @param {string} id
 * @param {string} name
 * @param {() => boolean} connected
 * @returns {{node: HTMLElement, show: () => void}}
 */
function markRow (marks, id, name, connected) {
  const selectId = `attendance-${id}`
  const select = h('select', { id: selectId, 'data-attendance': id },
    h('option', { value: '' }, t('meeting.attendance.unmarked')),
    ATTENDANCE.map((mark) => h('option', { value: mark }, t(`common.attendance.${mark}`))))
  const device = h('span', { class: 'attendance-connected', 'data-connected': id }, t('meeting.attendance.connected'))
  const label = h('label', { for: selectId }, name)
  const show = () => {
    select.value = marks.get(id) ?? ''
    const own = connected() && !marks.has(id)
    select.hidden = own
    device.hidden = !own
  }
  select.addEventListener('change', () => {
    if (select.value) marks.set(id, select.value)
    else marks.delete(id)
  })
  show()
  return { node: h('li', { class: 'attendance-row' }, label, select, device), show }
}

/**
 * One person and their mark, to read (shown once marked).
 * @param {import('yjs').Map<any>} marks
 * @param {string} id
 * @param {string} name
 * @returns {{node: HTMLElement, show: () => void}}
 */
function readRow (marks, id, name) {
  const mark = h('span', { 'data-attendance': id })
  const node = h('li', { class: 'attendance-row' }, h('span', { class: 'seat-name' }, name), mark)
  // only who has been marked: a list of "not filled in" tells a reader nothing
  const show = () => {
    node.hidden = !marks.has(id)
    mark.textContent = marks.has(id) ? t(`common.attendance.${marks.get(id)}`) : ''
  }
  show()
  return { node, show }
}
