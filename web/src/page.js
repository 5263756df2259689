// Small behaviour for the server-rendered pages (not the live meeting room).
// Each enhancement finds its elements by data attribute and does nothing when they are absent.
import './session.js'
import { wireReadAloud } from './read-aloud.js'

/** Copy buttons: <button data-copy="text to copy" data-copied="Gekopieerd">. */
for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('[data-copy]'))) {
  button.addEventListener('click', async () => {
    await navigator.clipboard.writeText(button.dataset.copy || '')
    const label = button.textContent
    button.textContent = button.dataset.copied || label
    setTimeout(() => { button.textContent = label }, 2000)
  })
}

/** Print buttons (plan pages): <button data-print> opens the browser's print dialog. */
for (const button of document.querySelectorAll('[data-print]')) {
  button.addEventListener('click', () => window.print())
}

/** The print view (/plan/print) opens the print dialog by itself, once the page is shown. */
if (document.querySelector('[data-autoprint]')) {
  window.addEventListener('load', () => window.print())
}

/** Forms that ask first: <form data-confirm="Weet u het zeker?">; no means nothing is sent. */
for (const form of /** @type {NodeListOf<HTMLFormElement>} */ (document.querySelectorAll('form[data-confirm]'))) {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm || '')) event.preventDefault()
  })
}

/**
 * Printed pages say whose plan they are: <article data-print-head="Gezinsplan … · versie 3">
 * goes into the top margin of every page, beside the page number (app.css @page). The text
 * differs per plan, so it is added through the CSSOM (a strict style-src allows that, not an
 * inline <style>), as a CSS string with its quotes and backslashes escaped.
 */
const head = /** @type {HTMLElement | null} */ (document.querySelector('[data-print-head]'))
const sheet = [...document.styleSheets].find((s) => s.href?.endsWith('/static/app.css'))
/** @param {string} text */
const cssString = (text) => `"${text.replace(/[\\"]/g, '\\$&').replace(/[\n\r]/g, ' ')}"`
if (head && sheet) {
  sheet.insertRule(`@page { @top-left { content: ${cssString(head.dataset.printHead || '')}; } }`, sheet.cssRules.length)
  // "Pagina {page} van {pages}" in the reader's language: the server fills in %p and %n
  const pages = head.dataset.printPage
  if (pages) {
    const content = pages.split(/(%p|%n)/).filter(Boolean)
      .map((part) => part === '%p' ? 'counter(page)' : part === '%n' ? 'counter(pages)' : cssString(part)).join(' ')
    sheet.insertRule(`@page { @bottom-right { content: ${content}; } }`, sheet.cssRules.length)
  }
}

/** Voorlezen buttons (plan pages): <article data-read-family data-read-session> holds them. */
const plan = /** @type {HTMLElement | null} */ (document.querySelector('[data-read-family]'))
if (plan) {
  wireReadAloud(plan, { familyId: plan.dataset.readFamily || '', sessionId: plan.dataset.readSession || '' })
}
