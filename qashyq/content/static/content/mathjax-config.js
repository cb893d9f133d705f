// MathJax 3 for the formulas of pages: \( … \) inline, \[ … \] and $$ … $$ on their own line.
//
// Loaded before vendor/mathjax/startup.js, which then loads only what pages need: the TeX input, the CHTML
// output and the hidden MathML copy screen readers read (a11y/assistive-mml). The combined tex-chtml.js is
// not used because its context menu injects <style> elements, which Qashyq's CSP (style-src 'self')
// refuses. The CHTML output keeps its CSS in a <style> element too: its rules are moved into a constructed
// style sheet (the CSSOM, which the CSP allows), and MathJax keeps a <template> as the holder it looks for.
window.MathJax = {
  loader: {
    load: ["input/tex", "output/chtml", "a11y/assistive-mml"],
  },
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
  },
  startup: {
    elements: [".qh-page-body"],
    ready: function () {
      "use strict";
      var CHTML = window.MathJax._.output.chtml_ts.CHTML;
      var styleSheet = CHTML.prototype.styleSheet;
      CHTML.prototype.styleSheet = function (html) {
        if (this.chtmlStyles) return styleSheet.call(this, html); // later rules go through holder.sheet
        var node = styleSheet.call(this, html); // a detached <style> holding every rule so far
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(node.textContent || "");
        document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
        var holder = document.createElement("template");
        holder.id = node.id;
        Object.defineProperty(holder, "sheet", { value: sheet });
        this.chtmlStyles = holder;
        return holder;
      };
      window.MathJax.startup.defaultReady();
    },
  },
};
