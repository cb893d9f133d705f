/* A SCORM 2004 (4th edition) SCO: finds API_1484_11 the standard way (this window, its parents, the
   opener), resumes from suspend_data, records a visit, and on "finish" reports completion, success and a
   score. */
(function () {
  "use strict";
  var started = new Date().getTime();

  function scanForAPI(win) {
    var tries = 0;
    while (win.API_1484_11 == null && win.parent != null && win.parent != win) {
      tries += 1;
      if (tries > 500) {
        return null;
      }
      win = win.parent;
    }
    return win.API_1484_11;
  }

  function getAPI() {
    var api = scanForAPI(window);
    if (api == null && window.opener != null && typeof window.opener != "undefined") {
      api = scanForAPI(window.opener);
    }
    return api;
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
    api.Initialize("");
    var entry = api.GetValue("cmi.entry");
    var suspend = entry === "resume" ? api.GetValue("cmi.suspend_data") : "";
    var status = api.GetValue("cmi.completion_status");
    show("learner", api.GetValue("cmi.learner_name"));
    show("entry", entry);
    show("suspend", suspend);
    show("location", entry === "resume" ? api.GetValue("cmi.location") : "");
    show("status", status);
    var visits = parseInt((/visits=(\d+)/.exec(suspend) || [0, "0"])[1], 10) + 1;
    api.SetValue("cmi.suspend_data", "visits=" + visits);
    api.SetValue("cmi.location", "page-2");
    if (status !== "completed") {
      api.SetValue("cmi.completion_status", "incomplete");
    }
    api.SetValue("cmi.exit", "suspend");
    show("saved", api.Commit("") === "true" ? "saved visit " + visits : "not saved");

    document.getElementById("finish").addEventListener("click", function () {
      var seconds = Math.round((new Date().getTime() - started) / 1000);
      api.SetValue("cmi.score.min", "0");
      api.SetValue("cmi.score.max", "100");
      api.SetValue("cmi.score.raw", "90");
      api.SetValue("cmi.score.scaled", "0.9");
      api.SetValue("cmi.completion_status", "completed");
      api.SetValue("cmi.success_status", "passed");
      api.SetValue("cmi.session_time", "PT" + seconds + "S");
      var committed = api.Commit("");
      api.Terminate("");
      show("saved", committed === "true" ? "finished" : "not saved");
    });
  });
})();
