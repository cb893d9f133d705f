// The editor's words in the page's language. django-prose-editor reads window.gettext once, when its module is
// evaluated (for its dialogs), so this module is listed before it; page-editor.js names the toolbar's buttons
// with the same words. The strings are translated on the server (PageEditorWidget) and carried by the field.
const source = document.querySelector("[data-qashyq-editor-strings]");
const strings = source ? JSON.parse(source.getAttribute("data-qashyq-editor-strings")) : {};
if (!window.gettext) window.gettext = (text) => (Object.hasOwn(strings, text) ? strings[text] : text);
