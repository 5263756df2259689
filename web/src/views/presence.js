// Who is at the table, from awareness. Name, role and colour are set by the server. With the
// document, the band also says who sits at the table without a device, who sent word and who
// is absent (the coordinator's attendance marks).
import { h } from '../dom.js'
import { t } from '../messages.js'
import { marked } from './attendance.js'

/**
 * @param {import('y-protocols/awareness').Awareness} awareness
 * @param {HTMLElement} container
 * @param {import('../types.js').Identity} me this screen's own person: the server stamps our
 *   identity for the others, our own copy of our state stays unstamped
 * @param {import('yjs').Doc} [doc] the meeting's document, for the attendance marks
 */
export function presenceBar (awareness, container, me, doc) {
  const render = () => {
    /** @type {Map<string, import('../types.js').Identity>} */
    const people = new Map([[me.person_id, me]])
    for (const [clientId, state] of awareness.getStates()) {
      const user = /** @type {import('../types.js').AwarenessState | null} */ (state)?.user
      if (clientId !== awareness.clientID && user?.person_id) people.set(user.person_id, user)
    }
    const chips = [...people.values()].map((user) => h('li', { class: 'chip' },
      dot(user.color),
      user.role === 'screen' ? t('meeting.presence.screen') : user.name,
      user.role !== 'screen' && h('span', { class: 'role' }, t(`common.roles.${user.role}`))))
    container.replaceChildren(chips.length
      ? h('ul', { class: 'chips' }, chips)
      : h('p', { class: 'muted' }, t('meeting.presence.nobody')), ...(doc ? marks(doc) : []))
  }
  awareness.on('change', render)
  doc?.getMap('attendance').observe(render)
  doc?.getMap('people').observe(render)
  render()
}

/**
 * A coloured dot; set through CSSOM, which a strict style-src CSP allows.
 * @param {string} [color]
 */
function dot (color) {
  const el = h('span', { class: 'dot', 'aria-hidden': 'true' })
  if (color && /^#[0-9a-f]{6}$/i.test(color)) el.style.backgroundColor = color
  return el
}

/**
 * "Aan tafel zonder apparaat: Mark · Afgemeld: Daan", one line per mark that has people.
 * @param {import('yjs').Doc} doc
 */
function marks (doc) {
  const all = marked(doc)
  return ['at_table', 'sent_word', 'absent'].flatMap((mark) => {
    const names = all.filter(([, , m]) => m === mark).map(([, name]) => name)
    return names.length
      ? [h('p', { class: `attendance-band attendance-${mark}` }, h('span', { class: 'role' }, t(`meeting.attendance.band_${mark}`)), ' ', names.join(', '))]
      : []
  })
}
