// The journal's cells post with htmx.
(() => {
  "use strict";
  // A refused score comes back as 400 (403, 404) with the cell showing the message: swap it like a success
  // instead of treating it as a failed request.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const detail = event.detail;
    const status = detail.xhr ? detail.xhr.status : 0;
    if ((status === 400 || status === 403 || status === 404) && detail.elt && detail.elt.closest("#journal")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
  // While settling a swapped cell htmx copies the old input's attributes to the new one; a style attribute
  // that something else put there (an extension, the browser) would then be an inline style the CSP refuses.
  if (window.htmx) {
    window.htmx.config.attributesToSettle = ["class", "width", "height"];
  }
})();
