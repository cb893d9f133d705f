// MathJax 3 for the formulas of pages: \( … \) inline, \[ … \] and $$ … $$ on their own line.
// Qashyq's CSP refuses inline <style> elements, which is where MathJax's CHTML output puts its CSS; the
// rules are moved into a constructed style sheet (CSSOM, which the CSP allows) and the <style> element
// is left as a holder the browser never reads (its type is not text/css).
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
  },
  options: {
    enableMenu: false,
  },
  startup: {
    elements: [".qh-page-body"],
    ready: function () {
      "use strict";
      var CHTML = window.MathJax._.output.chtml_ts.CHTML;
      var styleSheet = CHTML.prototype.styleSheet;
      CHTML.prototype.styleSheet = function (html) {
        var first = !this.chtmlStyles;
        var node = styleSheet.call(this, html);
        if (first && node && typeof CSSStyleSheet === "function" && "adoptedStyleSheets" in document) {
          var sheet = new CSSStyleSheet();
          sheet.replaceSync(node.textContent || "");
          node.textContent = "";
          node.setAttribute("type", "text/x-qashyq-cssom");
          document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
          Object.defineProperty(node, "sheet", { value: sheet, configurable: true });
        }
        return node;
      };
      window.MathJax.startup.defaultReady();
    },
  },
};
