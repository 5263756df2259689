// Attendance, in the welcome step: who is at the table without a device, who is absent and
// who sent word. The coordinator marks it (rights.js ATTENDANCE_MARK; the server refuses
// anyone else); everyone else reads it. It goes into the plan version and shows in the
// presence band. People with a device of their own show by their presence and need no mark.
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

/** @param {import('../types.js').Context} ctx */
export function attendanceView (ctx) {
  const editable = ctx.canWrite && mayWrite(ATTENDANCE_MARK, ctx.role, ctx.personId)
  const people = ctx.doc.getMap('people')
  const marks = ctx.doc.getMap('attendance')
  const list = h('ul', { class: 'attendance-list' })
  /** @type {(() => void)[]} each row shows the mark it has now */
  let shows = []
  const build = () => {
    const rows = [...people.entries()].filter(([id, p]) => id !== ctx.personId && p?.get?.('role') !== 'coordinator')
    const built = rows.map(([id, person]) => (editable ? markRow : readRow)(marks, id, String(person.get('name') ?? '')))
    list.replaceChildren(...built.map((row) => row.node))
    shows = built.map((row) => row.show)
  }
  // a mark changes the rows in place: the coordinator's select keeps its focus
  marks.observe(() => shows.forEach((show) => show()))
  people.observe(build)
  build()
  return h('section', { class: 'attendance', 'aria-labelledby': 'attendance-title' },
    h('h3', { id: 'attendance-title' }, both('meeting.attendance.heading')),
    h('p', { class: 'help' }, t(editable ? 'meeting.attendance.help' : 'meeting.attendance.help_read')),
    list)
}

/**
 * One person with a choice of marks; "not marked" deletes the mark (null is no mark).
 * @param {import('yjs').Map<any>} marks
 * @param {string} id
 * @param {string} name
 * @returns {{node: HTMLElement, show: () => void}}
 */
function markRow (marks, id, name) {
  const selectId = `attendance-${id}`
  const select = h('select', { id: selectId, 'data-attendance': id },
    h('option', { value: '' }, t('meeting.attendance.unmarked')),
    ATTENDANCE.map((mark) => h('option', { value: mark }, t(`common.attendance.${mark}`))))
  const show = () => { select.value = marks.get(id) ?? '' }
  select.addEventListener('change', () => {
    if (select.value) marks.set(id, select.value)
    else marks.delete(id)
  })
  show()
  return { node: h('li', { class: 'attendance-row' }, h('label', { for: selectId }, name), select), show }
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
