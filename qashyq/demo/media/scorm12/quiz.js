/* A SCORM 1.2 self-check: finds the LMS API the standard way (this window, its parents, the opener), restores
   the answers from suspend_data, and on "check" reports the score and passed/failed (mastery score 70). */
(function () {
  "use strict";
  var KEY = { q1: "b", q2: "b", q3: "a" };
  var started = new Date().getTime();

  function findAPI(win) {
    var tries = 0;
    while (win.API == null && win.parent != null && win.parent != win) {
      tries += 1;
      if (tries > 7) {
        return null;
      }
      win = win.parent;
    }
    return win.API;
  }

  function getAPI() {
    var api = findAPI(window);
    if (api == null && window.opener != null && typeof window.opener != "undefined") {
      api = findAPI(window.opener);
    }
    return api;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function sessionTime() {
    var s = Math.round((new Date().getTime() - started) / 1000);
    return pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
  }

  function answers(form) {
    var chosen = {};
    Object.keys(KEY).forEach(function (name) {
      var picked = form.querySelector("input[name=" + name + "]:checked");
      chosen[name] = picked ? picked.value : "";
    });
    return chosen;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("quiz");
    var result = document.getElementById("result");
    var api = getAPI();
    if (api == null) {
      result.textContent = "Оқу жүйесі табылмады: нәтиже сақталмайды.";
    } else {
      api.LMSInitialize("");
      var saved = api.LMSGetValue("cmi.suspend_data");
      if (saved) {
        saved.split(";").forEach(function (pair) {
          var parts = pair.split("=");
          var input = form.querySelector("input[name=" + parts[0] + "][value=" + parts[1] + "]");
          if (input) {
            input.checked = true;
          }
        });
      }
      var status = api.LMSGetValue("cmi.core.lesson_status");
      if (status === "not attempted" || status === "") {
        api.LMSSetValue("cmi.core.lesson_status", "incomplete");
      }
      api.LMSSetValue("cmi.core.exit", "suspend");
      api.LMSCommit("");
    }

    document.getElementById("check").addEventListener("click", function () {
      var chosen = answers(form);
      var right = Object.keys(KEY).filter(function (name) {
        return chosen[name] === KEY[name];
      }).length;
      var score = Math.round((100 * right) / Object.keys(KEY).length);
      result.textContent = "Дұрыс жауап: " + right + " / 3. Ұпай: " + score + ".";
      if (api == null) {
        return;
      }
      api.LMSSetValue("cmi.suspend_data", Object.keys(chosen).map(function (name) {
        return name + "=" + chosen[name];
      }).join(";"));
      api.LMSSetValue("cmi.core.score.min", "0");
      api.LMSSetValue("cmi.core.score.max", "100");
      api.LMSSetValue("cmi.core.score.raw", String(score));
      api.LMSSetValue("cmi.core.lesson_status", score >= 70 ? "passed" : "failed");
      api.LMSSetValue("cmi.core.session_time", sessionTime());
      api.LMSCommit("");
    });
  });
})();
