// Small additions to the browser's own player (which stays keyboard operable and never starts by itself):
// a playback-speed choice, shown only when this script runs.
(function () {
  "use strict";
  var tools = document.getElementById("player-tools");
  if (!tools) return;
  var player = document.getElementById(tools.dataset.player);
  var speed = document.getElementById("player-speed");
  if (!player || !speed) return;
  speed.addEventListener("change", function () {
    var rate = parseFloat(speed.value);
    if (rate > 0) player.playbackRate = rate;
  });
  tools.hidden = false;
})();
