// The webcam snapshot of the start form: the camera's picture is put into the form's file input (which stays
// usable by itself: choosing a photo works without a camera or without this script).
(function () {
  "use strict";
  var panel = document.getElementById("qh-camera");
  var input = document.getElementById("id_identity");
  var texts = document.getElementById("qh-camera-messages");
  if (!panel || !input || !texts || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var video = document.getElementById("qh-camera-video");
  var canvas = document.getElementById("qh-camera-canvas");
  var on = document.getElementById("qh-camera-on");
  var take = document.getElementById("qh-camera-take");
  var status = document.getElementById("qh-camera-status");
  var stream = null;
  panel.hidden = false;

  on.addEventListener("click", function () {
    navigator.mediaDevices
      .getUserMedia({ video: { width: 640, height: 480 }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        take.disabled = false;
        status.textContent = texts.dataset.ready;
        take.focus();
      })
      .catch(function () {
        status.textContent = texts.dataset.failed;
      });
  });

  take.addEventListener("click", function () {
    if (!stream) return;
    canvas.width = video.videoWidth || 640;
    canvas.height = video.videoHeight || 480;
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(
      function (blob) {
        if (!blob) return;
        var transfer = new DataTransfer();
        transfer.items.add(new File([blob], "snapshot.jpg", { type: "image/jpeg" }));
        input.files = transfer.files;
        status.textContent = texts.dataset.taken;
        stream.getTracks().forEach(function (track) {
          track.stop();
        });
        stream = null;
        take.disabled = true;
      },
      "image/jpeg",
      0.85,
    );
  });
})();
