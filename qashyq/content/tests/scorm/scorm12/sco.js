/* A SCORM 1.2 SCO: finds the API the standard way (ADL's findAPI: this window, its parents, the opener),
   resumes from suspend_data, records a visit, and on "finish" reports completion and a score. */
(function () {
  "use strict";
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
    var seconds = Math.round((new Date().getTime() - started) / 1000);
    return pad(Math.floor(seconds / 3600)) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60);
  }

  function show(id, text) {
    document.getElementById(id).textContent = text;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var api = getAPI();
    if (api == null) {
      show("saved", "No LMS API");
      return;
    }
    api.LMSInitialize("");
    var suspend = api.LMSGetValue("cmi.suspend_data");
    var status = api.LMSGetValue("cmi.core.lesson_status");
    show("learner", api.LMSGetValue("cmi.core.student_name"));
    show("entry", api.LMSGetValue("cmi.core.entry"));
    show("suspend", suspend);
    show("location", api.LMSGetValue("cmi.core.lesson_location"));
    show("status", status);
    var visits = parseInt((/visits=(\d+)/.exec(suspend) || [0, "0"])[1], 10) + 1;
    api.LMSSetValue("cmi.suspend_data", "visits=" + visits);
    api.LMSSetValue("cmi.core.lesson_location", "page-2");
    if (status === "not attempted" || status === "") {
      api.LMSSetValue("cmi.core.lesson_status", "incomplete");
    }
    api.LMSSetValue("cmi.core.exit", "suspend");
    show("saved", api.LMSCommit("") === "true" ? "saved visit " + visits : "not saved");

    document.getElementById("finish").addEventListener("click", function () {
      api.LMSSetValue("cmi.core.score.min", "0");
      api.LMSSetValue("cmi.core.score.max", "100");
      api.LMSSetValue("cmi.core.score.raw", "85");
      api.LMSSetValue("cmi.core.lesson_status", "passed");
      api.LMSSetValue("cmi.core.session_time", sessionTime());
      var committed = api.LMSCommit("");
      api.LMSFinish("");
      show("saved", committed === "true" ? "finished" : "not saved");
    });
  });
})();
