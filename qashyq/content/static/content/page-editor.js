// The rich-text editor of a page (django-prose-editor's tiptap build), made to work under Qashyq's CSP:
// tiptap's own inline <style> is switched off (its rules are in page-editor.css), and the editor gets the
// label of its field, and its toolbar tells assistive technology what each button is and whether it can be
// used now, in the page's language (editor-strings.js). Also: uploading an image and inserting it where the
// cursor is.
import {
  Blockquote, Bold, BulletList, Code, CodeBlock, Document, Dropcursor, Editor, Gapcursor, HardBreak, Heading,
  History, HorizontalRule, HTML, Image, Italic, Link, ListItem, Menu, NoSpellCheck, OrderedList, Paragraph,
  Strike, Subscript, Superscript, Table, TableCell, TableHeader, TableRow, Text, Underline,
} from "django-prose-editor/editor";

const ATTRIBUTE = "data-qashyq-page-editor";
const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

function labelFor(textarea) {
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (!label) return {};
  if (!label.id) label.id = `${textarea.id}-label`;
  const attributes = { "aria-labelledby": label.id };
  const described = textarea.getAttribute("aria-describedby");
  if (described) attributes["aria-describedby"] = described;
  return attributes;
}

// The toolbar's buttons show an icon font's ligature ("format_bold") and are named by an aria-label ("bold"),
// which does not contain what a speech-input user sees while the font has not arrived. The name becomes the
// button's hidden text and the ligature is hidden from assistive technology; a greyed-out button says so.
function describeButton(button) {
  const translate = window.gettext || ((text) => text);
  if (button.title && !button.dataset.qashyqNamed) {
    button.dataset.qashyqNamed = "1";
    button.title = translate(button.title);
    if (button.getAttribute("aria-label")) button.setAttribute("aria-label", button.title);
  }
  const name = button.getAttribute("aria-label") || button.title;
  if (button.classList.contains("material-icons") && name && !button.querySelector("[aria-hidden]")) {
    const icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.append(...button.childNodes);
    const label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = name;
    button.append(icon, label);
    button.removeAttribute("aria-label");
  }
  const disabled = String(button.classList.contains("disabled"));
  if (button.getAttribute("aria-disabled") !== disabled) button.setAttribute("aria-disabled", disabled);
}

function describeToolbar(wrapper) {
  const update = () => wrapper.querySelectorAll(".prose-menubar__button").forEach(describeButton);
  new MutationObserver(update).observe(wrapper, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["class"],
  });
  update();
}

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) return null;
  const config = JSON.parse(textarea.getAttribute(ATTRIBUTE) || "{}");
  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  describeToolbar(wrapper);
  const editor = new Editor({
    element: wrapper,
    injectCSS: false,
    editable: !textarea.disabled,
    content: textarea.value,
    editorProps: {
      attributes: { role: "textbox", "aria-multiline": "true", ...labelFor(textarea) },
    },
    extensions: [
      Document, Paragraph, Text, HardBreak, Dropcursor, Gapcursor, History, Menu, HTML, NoSpellCheck,
      Heading.configure({ levels: config.headingLevels || [2, 3, 4] }),
      Bold, Italic, Underline, Strike, Subscript, Superscript, Code, CodeBlock,
      BulletList, OrderedList, ListItem, Blockquote, HorizontalRule,
      Link.configure({ openOnClick: false }),
      Image,
      Table, TableRow, TableHeader, TableCell,
    ],
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    onDestroy() {
      wrapper.before(textarea);
      wrapper.remove();
    },
  });
  textarea.qashyqEditor = editor;
  textarea.dispatchEvent(new CustomEvent("prose-editor:ready", { detail: { editor, textarea }, bubbles: true }));
  return editor;
}

function say(status, text, failed) {
  if (!status) return;
  status.textContent = text;
  status.classList.toggle("text-danger", Boolean(failed));
}

function insertImage(form) {
  form.addEventListener("submit", async (event) => {
    const textarea = document.getElementById(form.dataset.editor);
    const editor = textarea && textarea.qashyqEditor;
    if (!editor) return; // without the editor the form is sent as usual
    event.preventDefault();
    const status = document.getElementById("image-status");
    const button = form.querySelector("[type=submit]");
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const answer = await response.json();
      if (!response.ok) {
        say(status, (answer.errors || []).join(" ") || form.dataset.failed, true);
        return;
      }
      editor.chain().focus().insertContent({ type: "image", attrs: { src: answer.url, alt: answer.alt || "" } }).run();
      form.reset();
      say(status, form.dataset.done, false);
    } catch (error) {
      say(status, form.dataset.failed, true);
    } finally {
      button.disabled = false;
    }
  });
}

for (const textarea of document.querySelectorAll(`textarea[${ATTRIBUTE}]`)) createEditor(textarea);
for (const form of document.querySelectorAll("form[data-editor]")) insertImage(form);
