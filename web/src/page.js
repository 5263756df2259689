// Small behaviour for the server-rendered pages (not the live meeting room).
// Each enhancement finds its elements by data attribute and does nothing when they are absent.
import './session.js'

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
