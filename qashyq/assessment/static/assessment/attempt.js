// The attempt pages (question, summary): autosave, unsent answers kept in this browser, the countdown from the
// server's deadline, and the log of tab switches and lost connections.
//
// Every change is saved at once (typing: 400 ms after the last key) with a per-question sequence number that
// only grows; the server stores a save only when its number is newer, so a resent or late save never
// overwrites a newer answer. Until the server acknowledges it, the answer stays in localStorage (keyed by the
// attempt) and is resent after a failure, when the connection returns, and when any page of the attempt
// loads. The countdown uses the server's clock: the offset between the server time the page was sent with
// and this computer's clock is applied, so a wrong clock here changes nothing. At the deadline the page sends
// what is unsent and submits the attempt. Texts come translated from the page (#qh-messages).
(function () {
  "use strict";
  var clock = document.getElementById("qh-clock");
  if (!clock) return;
  var messages = JSON.parse(document.getElementById("qh-messages").textContent);
  var attemptId = clock.dataset.attempt;
  var storeKey = "qashyq-attempt-" + attemptId;
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = tokenInput ? tokenInput.value : "";
  var form = document.getElementById("qh-answer");
  var statusEl = document.getElementById("qh-status");
  var alertEl = document.getElementById("qh-alert");
  var takePrefix = "/assessment/take/" + attemptId + "/";
  var finished = false;
  var leavingInside = false;
  var inflight = {};
  var failures = 0;
  var retryTimer = null;
  var queuedEvents = [];

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) {
      return values[key];
    });
  }

  // --- What is kept in this browser ------------------------------------------------------------

  function load() {
    try {
      var data = JSON.parse(window.localStorage.getItem(storeKey) || "{}");
      data.pending = data.pending || {};
      data.seqs = data.seqs || {};
      return data;
    } catch (_e) {
      return { pending: {}, seqs: {} };
    }
  }
  var state = load();

  function persist() {
    try {
      if (Object.keys(state.pending).length === 0 && finished) {
        window.localStorage.removeItem(storeKey);
      } else {
        window.localStorage.setItem(storeKey, JSON.stringify(state));
      }
    } catch (_e) {
      /* storage full or blocked: the answer is still sent */
    }
  }

  function hasPending() {
    return Object.keys(state.pending).length > 0;
  }

  function nextSeq(position, atLeast) {
    var seq = Math.max(state.seqs[position] || 0, atLeast || 0) + 1;
    state.seqs[position] = seq;
    return seq;
  }

  // --- What the student sees -------------------------------------------------------------------

  function setStatus(text) {
    if (statusEl && statusEl.textContent !== text) statusEl.textContent = text;
  }

  function timeText(iso) {
    var moment = iso ? new Date(iso) : new Date();
    return moment.toLocaleTimeString(document.documentElement.lang || undefined, {
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hour12: false,
    });
  }

  function navLink(position) {
    return document.getElementById("qh-nav-" + position);
  }

  function markNav(position, answered, unsent) {
    var link = navLink(position);
    if (!link) return;
    if (answered !== null) {
      link.classList.toggle("qh-answered", answered);
      var label = link.querySelector(".qh-nav-state");
      if (label) label.textContent = answered ? messages.answered : messages.unanswered;
    }
    link.classList.toggle("qh-unsent", unsent);
  }

  function refreshUnsent() {
    Object.keys(state.pending).forEach(function (position) {
      markNav(position, null, true);
    });
    document.body.classList.toggle("qh-has-unsent", hasPending());
  }

  // --- Sending ---------------------------------------------------------------------------------

  function scheduleRetry() {
    if (retryTimer || finished) return;
    failures += 1;
    var delay = Math.min(30000, 1000 * Math.pow(2, Math.min(failures, 5)));
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      flush();
    }, delay);
  }

  function closedNow(message) {
    finished = true;
    state.pending = {};
    persist();
    setStatus(message || messages.closed);
    window.setTimeout(function () {
      window.location.assign(clock.dataset.resultUrl);
    }, 1500);
  }

  function send(position) {
    var entry = state.pending[position];
    if (!entry || inflight[position] || finished) return;
    inflight[position] = true;
    if (form && String(position) === form.dataset.position) setStatus(messages.saving);
    window
      .fetch(entry.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ seq: entry.seq, answer: entry.answer }),
      })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            return { status: response.status, body: body };
          });
      })
      .then(function (result) {
        inflight[position] = false;
        var current = state.pending[position];
        var same = current && current.seq === entry.seq;
        var isCurrent = form && String(position) === form.dataset.position;
        if (result.status === 200) {
          failures = 0;
          if (same) delete state.pending[position];
          persist();
          markNav(position, entry.answer !== null, !!state.pending[position]);
          if (isCurrent && !state.pending[position]) setStatus(fmt(messages.saved, { time: timeText(result.body.saved_at) }));
        } else if (result.status === 409 && result.body.code === "conflict" && same) {
          current.seq = nextSeq(position, entry.seq);
          persist();
        } else if (result.status === 410) {
          closedNow(result.body.message);
          return;
        } else if (result.status === 409 || result.status === 400 || result.status === 404) {
          if (same) delete state.pending[position];
          persist();
          markNav(position, null, false);
          if (isCurrent) setStatus(fmt(messages.refused, { reason: result.body.message || result.status }));
        } else {
          if (isCurrent) setStatus(messages.unsent);
          scheduleRetry();
        }
        refreshUnsent();
        if (state.pending[position] && state.pending[position].seq !== entry.seq) send(position);
        else if (result.status === 409 && result.body.code === "conflict" && state.pending[position]) send(position);
      })
      .catch(function () {
        inflight[position] = false;
        if (form && String(position) === form.dataset.position) setStatus(messages.unsent);
        refreshUnsent();
        scheduleRetry();
      });
  }

  function flush() {
    Object.keys(state.pending).forEach(send);
  }

  function queue(position, url, answer, serverSeq) {
    var seq = nextSeq(position, serverSeq);
    state.pending[position] = { seq: seq, answer: answer, url: url };
    persist();
    markNav(position, answer !== null, true);
    refreshUnsent();
    send(position);
  }

  // --- The question on this page ---------------------------------------------------------------

  function values(name) {
    return Array.prototype.slice.call(form.querySelectorAll("[name=" + name + "]"));
  }

  function collect() {
    var qtype = form.dataset.qtype;
    var answer = null;
    if (qtype === "single") {
      var chosen = values("choice").filter(function (i) {
        return i.checked;
      })[0];
      answer = chosen ? { choice: chosen.value } : null;
    } else if (qtype === "multiple") {
      var choices = values("choices")
        .filter(function (i) {
          return i.checked;
        })
        .map(function (i) {
          return i.value;
        });
      answer = choices.length ? { choices: choices } : null;
    } else if (qtype === "true_false") {
      var value = values("value").filter(function (i) {
        return i.checked;
      })[0];
      answer = value ? { value: value.value === "true" } : null;
    } else if (qtype === "matching") {
      var pairs = {};
      values("pair").forEach(function (select) {
        if (select.value) pairs[select.dataset.pair] = select.value;
      });
      answer = Object.keys(pairs).length ? { pairs: pairs } : null;
    } else if (qtype === "ordering") {
      answer = {
        order: Array.prototype.map.call(form.querySelectorAll(".qh-order-item"), function (li) {
          return li.dataset.id;
        }),
      };
    } else if (qtype === "short" || qtype === "numeric" || qtype === "essay") {
      var text = values("text")[0].value;
      answer = text.trim() ? { text: text } : null;
    } else if (qtype === "cloze") {
      var gaps = {};
      values("gap").forEach(function (input) {
        if (input.value.trim()) gaps[input.dataset.gap] = input.value;
      });
      answer = Object.keys(gaps).length ? { gaps: gaps } : null;
    }
    return answer;
  }

  function apply(answer) {
    var qtype = form.dataset.qtype;
    answer = answer || {};
    if (qtype === "single") {
      values("choice").forEach(function (i) {
        i.checked = i.value === answer.choice;
      });
    } else if (qtype === "multiple") {
      values("choices").forEach(function (i) {
        i.checked = (answer.choices || []).indexOf(i.value) !== -1;
      });
    } else if (qtype === "true_false") {
      values("value").forEach(function (i) {
        i.checked = typeof answer.value === "boolean" && i.value === String(answer.value);
      });
    } else if (qtype === "matching") {
      values("pair").forEach(function (select) {
        select.value = (answer.pairs || {})[select.dataset.pair] || "";
      });
    } else if (qtype === "ordering" && answer.order) {
      var list = document.getElementById("qh-order");
      answer.order.forEach(function (id) {
        var item = list.querySelector('[data-id="' + id + '"]');
        if (item) list.appendChild(item);
      });
    } else if (qtype === "short" || qtype === "numeric" || qtype === "essay") {
      values("text")[0].value = answer.text || "";
    } else if (qtype === "cloze") {
      values("gap").forEach(function (input) {
        input.value = (answer.gaps || {})[input.dataset.gap] || "";
      });
    }
  }

  if (form) {
    var position = form.dataset.position;
    var saveUrl = form.dataset.saveUrl;
    var serverSeq = parseInt(form.dataset.seq, 10) || 0;
    var debounce = null;

    // An answer kept here that the server has not got yet wins over the one the page was sent with.
    var kept = state.pending[position];
    if (kept && kept.seq > serverSeq) {
      apply(kept.answer);
      setStatus(messages.unsent);
    } else if (kept) {
      delete state.pending[position];
    }
    if ((state.seqs[position] || 0) < serverSeq) state.seqs[position] = serverSeq;
    persist();

    var saveNow = function () {
      if (debounce) {
        window.clearTimeout(debounce);
        debounce = null;
      }
      if (finished) return;
      queue(position, saveUrl, collect(), serverSeq);
    };
    var saveSoon = function () {
      if (debounce) window.clearTimeout(debounce);
      debounce = window.setTimeout(saveNow, 400);
    };
    var pendingDebounce = function () {
      if (debounce) saveNow();
    };

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      saveNow();
    });
    form.addEventListener("change", function (event) {
      if (event.target.matches("input[type=text], textarea")) {
        pendingDebounce();
      } else {
        saveNow();
      }
    });
    form.addEventListener("input", function (event) {
      if (event.target.matches("input[type=text], textarea")) saveSoon();
      if (event.target.id === "qh-text" && form.dataset.qtype === "essay") countWords();
    });

    // Ordering: keyboard-operable Up/Down buttons; the focus stays on the button pressed.
    var list = document.getElementById("qh-order");
    if (list) {
      list.addEventListener("click", function (event) {
        var button = event.target.closest("button");
        if (!button) return;
        var item = button.closest(".qh-order-item");
        var up = button.classList.contains("qh-up");
        var sibling = up ? item.previousElementSibling : item.nextElementSibling;
        if (!sibling) return;
        if (up) list.insertBefore(item, sibling);
        else list.insertBefore(sibling, item);
        button.focus();
        var items = Array.prototype.slice.call(list.children);
        alertEl.textContent = fmt(messages.moved, {
          item: item.querySelector(".qh-order-text").textContent.trim(),
          place: items.indexOf(item) + 1,
          count: items.length,
        });
        saveNow();
      });
      var keep = document.getElementById("qh-order-keep");
      if (keep) {
        keep.addEventListener("click", function () {
          saveNow();
          keep.hidden = true;
        });
      }
    }

    var words = document.getElementById("qh-word-count");
    var countWords = function () {
      if (!words) return;
      var text = values("text")[0].value.trim();
      words.textContent = fmt(messages.words, { count: text ? text.split(/\s+/).length : 0 });
    };
    countWords();

    document.addEventListener("click", function (event) {
      var link = event.target.closest("a[href]");
      if (link && link.getAttribute("href").indexOf(takePrefix) === 0) {
        pendingDebounce();
        leavingInside = true;
      }
    });
    var flagForm = document.getElementById("qh-flag-form");
    if (flagForm) {
      flagForm.addEventListener("submit", function () {
        pendingDebounce();
        leavingInside = true;
      });
    }
  }

  // The summary's submit: send what is unsent first (at most five seconds).
  var submitForm = document.getElementById("submit-form");
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      if (!hasPending()) {
        leavingInside = true;
        return;
      }
      event.preventDefault();
      flush();
      var waited = 0;
      var check = window.setInterval(function () {
        waited += 250;
        if (!hasPending() || waited >= 5000) {
          window.clearInterval(check);
          leavingInside = true;
          submitForm.submit();
        }
      }, 250);
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (hasPending() && !finished && !leavingInside) {
      event.preventDefault();
      event.returnValue = messages.leave;
      return messages.leave;
    }
    return undefined;
  });

  // --- Events the teacher sees -------------------------------------------------------------------

  function report(kind) {
    if (finished) return;
    window
      .fetch(clock.dataset.eventUrl, {
        method: "POST",
        credentials: "same-origin",
        keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ kind: kind }),
      })
      .catch(function () {
        queuedEvents.push(kind);
      });
  }

  document.addEventListener("visibilitychange", function () {
    report(document.visibilityState === "hidden" ? "tab_hidden" : "tab_visible");
  });
  window.addEventListener("offline", function () {
    queuedEvents.push("offline");
    if (statusEl) setStatus(messages.offline);
    else alertEl.textContent = messages.offline;
  });
  window.addEventListener("online", function () {
    var kinds = queuedEvents.splice(0, queuedEvents.length);
    kinds.forEach(report);
    report("reconnected");
    alertEl.textContent = messages.online;
    failures = 0;
    flush();
  });

  // --- The countdown -------------------------------------------------------------------------------

  var deadline = Date.parse(clock.dataset.deadline || "");
  var offset = Date.parse(clock.dataset.serverNow) - Date.now();
  var timerValue = document.getElementById("qh-timer-value");
  var warned = {};

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function timeUp() {
    finished = true;
    alertEl.textContent = messages.timeup;
    flush();
    var waited = 0;
    var check = window.setInterval(function () {
      waited += 250;
      var busy = Object.keys(inflight).some(function (p) {
        return inflight[p];
      });
      if (!busy || waited >= 4000) {
        window.clearInterval(check);
        leavingInside = true;
        document.getElementById("qh-auto-submit").submit();
      }
    }, 250);
  }

  function tick() {
    var left = Math.max(0, Math.floor((deadline - (Date.now() + offset)) / 1000));
    var hours = Math.floor(left / 3600);
    var text = (hours ? hours + ":" : "") + pad(Math.floor((left % 3600) / 60)) + ":" + pad(left % 60);
    if (timerValue && timerValue.textContent !== text) timerValue.textContent = text;
    if (left <= 300 && left > 60 && !warned.five) {
      warned.five = true;
      alertEl.textContent = messages.five;
    } else if (left <= 60 && left > 0 && !warned.one) {
      warned.one = true;
      alertEl.textContent = messages.one;
    }
    if (left <= 0) {
      timeUp();
      return;
    }
    window.setTimeout(tick, 1000 - ((Date.now() + offset) % 1000) + 5);
  }

  if (!isNaN(deadline)) {
    warned.five = deadline - (Date.now() + offset) <= 300000;
    warned.one = deadline - (Date.now() + offset) <= 60000;
    tick();
  }

  refreshUnsent();
  flush();
})();
