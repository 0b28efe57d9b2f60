// Buttons that play a moment of the recording: "seek" plays on from its start (a transcript
// segment), "clip" plays from its start to its end and stops (the seconds a task came from).
(function () {
  "use strict";
  var player = document.getElementById("player");
  if (!player) return;
  var stopAt = null;
  player.addEventListener("timeupdate", function () {
    if (stopAt !== null && player.currentTime >= stopAt) { player.pause(); stopAt = null; }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.seek, button.clip");
    if (!button) return;
    event.preventDefault();
    stopAt = button.classList.contains("clip") ? parseFloat(button.dataset.end) : null;
    player.currentTime = parseFloat(button.dataset.start);
    document.querySelectorAll(".playing").forEach(function (el) { el.classList.remove("playing"); });
    button.classList.add("playing");
    var playing = player.play();
    if (playing && playing.catch) playing.catch(function () {});
  });
})();
