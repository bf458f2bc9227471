// The join page: checks what the learner typed as the class will, asks the class, and goes on
// to the terminal, whose session cookie the class has just set.
"use strict";
(function () {
  const form = document.getElementById("join");
  const code = document.getElementById("code");
  const name = document.getElementById("name");
  const lang = document.getElementById("lang");
  const error = document.getElementById("error");
  const go = document.getElementById("go");
  let words;

  const browserLang = (navigator.language || "en").toLowerCase().startsWith("ko") ? "ko" : "en";
  lang.value = localStorage.getItem("cloudlings.lang") || browserLang;
  words = window.cloudlingsApply(lang.value);
  lang.addEventListener("change", function () {
    localStorage.setItem("cloudlings.lang", lang.value);
    words = window.cloudlingsApply(lang.value);
    error.hidden = true;
  });

  function show(key) {
    error.textContent = words[key];
    error.hidden = false;
    go.disabled = false;
    go.textContent = words.join;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const typed = name.value.trim();
    if (!code.value.trim()) return show("noCode");
    if (!typed) return show("noName");
    if ([...typed].length > 40) return show("longName");
    if (/[\u0000-\u001f\u007f-\u009f]/.test(typed)) return show("plainName");
    error.hidden = true;
    go.disabled = true;
    go.textContent = words.joining;
    let answer;
    try {
      answer = await fetch("/api/join", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ code: code.value, name: typed, lang: lang.value }),
      });
    } catch (_) {
      return show("unreachable");
    }
    if (answer.ok) {
      location.assign("/terminal");
      return;
    }
    const reasons = { 403: "wrongCode", 409: "roomFull", 429: "tooFast" };
    show(reasons[answer.status] || "joinFailed");
  });
})();
