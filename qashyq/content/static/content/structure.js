// After an up/down button moved a section or item (the page reloads), the focus returns to the same button
// of the same form, so a keyboard user can press it again.
(function () {
  "use strict";
  var KEY = "qashyq.moved";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("qh-move") || !form.id) return;
    var button = event.submitter;
    if (!button || !button.value) return;
    try { sessionStorage.setItem(KEY, form.id + ":" + button.value); } catch (error) { /* storage off */ }
  });
  var saved = null;
  try { saved = sessionStorage.getItem(KEY); sessionStorage.removeItem(KEY); } catch (error) { return; }
  if (!saved) return;
  var parts = saved.split(":");
  var form = document.getElementById(parts[0]);
  if (!form) return;
  var button = form.querySelector('button[value="' + parts[1] + '"]');
  if (button && button.disabled) button = form.querySelector("button:not([disabled])");
  if (button) button.focus();
})();
