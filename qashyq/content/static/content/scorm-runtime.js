/*
 * Qashyq's SCORM runtime, put by the server at the start of the <head> of a SCO's launch page, right after
 * scorm-again (scorm12.min.js or scorm2004.min.js). The page runs in a sandboxed frame with an opaque
 * origin, so it cannot reach an API in the parent page: the API lives here, in the content's own window,
 * where the standard discovery (window, then parents, then opener) finds it first.
 *
 * data-qashyq-scorm holds {version, commitUrl, preview, cmi}: the learner's stored state (status, score,
 * location, suspend data, total time, entry) is loaded before the SCO calls Initialize. Commits go to
 * commitUrl as text/plain JSON (a CORS "simple" request from the "null" origin: no preflight, no cookie),
 * each with scorm-again's commitSequence so the server drops replays; LMSCommit/Commit waits for the server's
 * answer, LMSFinish/Terminate is sent with navigator.sendBeacon, which survives the page closing. A SCO that
 * is left without finishing is finished on pagehide, so its last state is kept. Each answer says what course
 * progress now shows ("progress"); the next commit sends it back, so the server writes progress only when
 * it changes.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var config;
  try {
    config = JSON.parse(script.getAttribute("data-qashyq-scorm"));
  } catch (error) {
    return;
  }
  var progress = "";
  var settings = {
    lmsCommitUrl: config.commitUrl,
    dataCommitFormat: "json",
    commitRequestDataType: "text/plain;charset=UTF-8",
    terminationCommitContentType: "text/plain;charset=UTF-8",
    includeCommitSequence: true,
    sendFullCommit: true,
    autocommit: true,
    autocommitSeconds: 60,
    logLevel: 4,
    requestHandler: function (commit) {
      if (progress && commit && typeof commit === "object" && !Array.isArray(commit)) {
        commit.progress = progress;
      }
      return commit;
    },
    xhrResponseHandler: function (xhr) {
      var answer = null;
      if (xhr.status >= 200 && xhr.status <= 299) {
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (error) {
          answer = null;
        }
      }
      if (!answer) {
        return { result: "false", errorCode: 101 };
      }
      if (typeof answer.progress === "string") {
        progress = answer.progress;
      }
      return { result: answer.result, errorCode: answer.errorCode || 0 };
    }
  };
  var api;
  if (config.version === "1.2") {
    api = new window.Scorm12API(settings);
    api.loadFromJSON(config.cmi, "cmi");
    window.API = api;
  } else {
    api = new window.Scorm2004API(settings);
    api.loadFromJSON(config.cmi, "cmi");
    window.API_1484_11 = api;
  }
  window.addEventListener("pagehide", function () {
    if (api.isInitialized() && !api.isTerminated()) {
      if (config.version === "1.2") {
        api.LMSFinish("");
      } else {
        api.Terminate("");
      }
    }
  });
})();
