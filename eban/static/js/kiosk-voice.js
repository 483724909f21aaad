// Voice prompts of the kiosk app. Each page declares its prompt in a JSON script
// (#kiosk-prompt: {key, text, lang, audio}, made by the kiosk_prompt template tag). With the
// voice on, the prompt is played from its pre-generated recording when one exists
// (eban/static/kiosk/voice/<language>/<key>.mp3) and the recorded voice is chosen, otherwise
// spoken by the browser's speech synthesis in the page's language. The choice (off, computer
// voice, recorded voice) is kept for the terminal in localStorage.
// A terminal's Chromium runs with --autoplay-policy=no-user-gesture-required so that the first
// prompt is heard before anyone touches the screen.
(function () {
  "use strict";
  var KEY = "eban-kiosk-voice"; // "off" | "speech" | "audio"
  var prompt = {};
  try { prompt = JSON.parse(document.getElementById("kiosk-prompt").textContent) || {}; } catch (e) { prompt = {}; }
  var toggle = document.getElementById("voice-toggle");
  var source = document.getElementById("voice-source");
  var player = null;
  var lastOn = "audio";

  function mode() {
    var value = null;
    try { value = window.localStorage.getItem(KEY); } catch (e) { value = null; }
    return value === "off" || value === "speech" || value === "audio" ? value : "audio";
  }
  function setMode(value) {
    try { window.localStorage.setItem(KEY, value); } catch (e) { /* private mode: this page only */ }
    render();
  }
  function stop() {
    if (window.speechSynthesis) { window.speechSynthesis.cancel(); }
    if (player) { player.pause(); player.removeAttribute("src"); player = null; }
  }
  function synthesise(text) {
    if (!("speechSynthesis" in window) || !window.SpeechSynthesisUtterance) { return; }
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = prompt.lang || document.documentElement.lang || "zh-CN";
    utterance.rate = 0.9; // a little slower than usual
    window.speechSynthesis.speak(utterance);
  }
  function speak(text, recording) {
    stop();
    if (mode() === "off" || !text) { return; }
    if (recording && mode() === "audio") {
      player = new Audio(recording);
      var played = player.play();
      if (played && played.catch) { played.catch(function () { synthesise(text); }); }
      return;
    }
    synthesise(text);
  }
  function render() {
    var on = mode() !== "off";
    if (toggle) {
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.textContent = on ? toggle.dataset.on : toggle.dataset.off;
    }
    if (source) {
      source.hidden = !on || !prompt.audio; // a choice only where both exist
      source.textContent = mode() === "audio" ? source.dataset.recorded : source.dataset.synthetic;
    }
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      if (mode() === "off") { setMode(lastOn); speak(prompt.text, prompt.audio); }
      else { lastOn = mode(); setMode("off"); stop(); }
    });
  }
  if (source) {
    source.addEventListener("click", function () {
      setMode(mode() === "audio" ? "speech" : "audio");
      speak(prompt.text, prompt.audio);
    });
  }
  window.kioskVoice = {
    say: function (text) { speak(text, ""); },
    stop: stop,
    mode: mode,
  };
  render();
  window.addEventListener("pagehide", stop);
  if (document.readyState === "complete") { speak(prompt.text, prompt.audio); }
  else { window.addEventListener("load", function () { speak(prompt.text, prompt.audio); }); }
})();
