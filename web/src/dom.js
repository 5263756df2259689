// A tiny DOM toolkit: element creation and keyed rendering of Y.Arrays, so existing
// nodes (and the caret in them) survive when others add, move or delete items.

/**
 * Create an element. Attributes starting with "on" become listeners; true → empty attribute.
 * Children: nodes, texts and numbers, arrays of them; null, undefined and false are skipped.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [attrs]
 * @param {...any} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h (tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value)
    else if (key === 'class') el.className = value
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    el.append(child instanceof Node ? child : String(child))
  }
  return el
}

/**
 * A new id for a goal, action or decision: unique without coordination.
 * @param {string} prefix
 */
export function newId (prefix) {
  const random = crypto.getRandomValues(new Uint32Array(2))
  return `${prefix}-${random[0].toString(36)}${random[1].toString(36)}`
}

/**
 * Keep `container`'s children in step with the Y.Maps in `yarray` (filtered by `keep`).
 * Each item's node is made once by `render` and reused; `empty` shows when nothing is left.
 * @param {HTMLElement} container
 * @param {import('yjs').Array<any>} yarray
 * @param {(item: import('./types.js').Item) => HTMLElement} render
 * @param {{keep?: (item: import('./types.js').Item) => boolean, empty?: string}} [options]
 */
export function keyedList (container, yarray, render, options = {}) {
  const nodes = new WeakMap()
  const placeholder = h('p', { class: 'muted empty' }, options.empty || '')
  const keep = options.keep || (() => true)
  const update = () => {
    const items = yarray.toArray().filter((item) => item && typeof item.get === 'function' && keep(item))
    const wanted = items.map((item) => {
      if (!nodes.has(item)) nodes.set(item, render(item))
      return nodes.get(item)
    })
    if (!wanted.length && options.empty) wanted.push(placeholder)
    wanted.forEach((node, i) => {
      if (container.children[i] !== node) container.insertBefore(node, container.children[i] || null)
    })
    while (container.lastElementChild && container.children.length > wanted.length) {
      container.lastElementChild.remove()
    }
  }
  // a change of the list itself, or of a key of one of its Y.Maps (Y.Text edits inside don't count)
  /** @param {{target: any, keysChanged?: Set<string>}} event */
  const matters = (event) => event.target === yarray || Boolean(event.keysChanged?.size)
  yarray.observeDeep((events) => {
    if (events.some(matters)) update()
  })
  update()
  return update
}

/**
 * Find the Y.Map in `yarray` whose id is `id`.
 * @param {import('yjs').Array<any>} yarray
 * @param {string} id
 * @returns {import('./types.js').Item | undefined}
 */
export function byId (yarray, id) {
  return yarray.toArray().find((item) => item?.get?.('id') === id)
}
