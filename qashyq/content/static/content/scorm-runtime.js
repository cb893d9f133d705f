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
 * is left without finishing is finished on pagehide, so its last state is kept.
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
  var settings = {
    lmsCommitUrl: config.commitUrl,
    dataCommitFormat: "json",
    commitRequestDataType: "text/plain;charset=UTF-8",
    terminationCommitContentType: "text/plain;charset=UTF-8",
    includeCommitSequence: true,
    sendFullCommit: true,
    autocommit: true,
    autocommitSeconds: 60,
    logLevel: 4
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
