// The receipt's "Print" button (no inline script: the page's CSP allows only files with its nonce).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-qh-print]");
  if (button) {
    window.print();
  }
});
