// The instructor's page: the class's table, live from /api/teacher/events (server-sent
// events), a learner's terminal to watch, and the instructor's actions, posted as JSON.
// Every value from the class is set as text, never as markup.
"use strict";
(function () {
  const langSelect = document.getElementById("lang");
  const status = document.getElementById("status");
  const head = document.getElementById("head");
  const rows = document.getElementById("rows");
  const empty = document.getElementById("empty");
  const done = document.getElementById("done");
  let lang = localStorage.getItem("cloudlings.lang") ||
    ((navigator.language || "en").toLowerCase().startsWith("ko") ? "ko" : "en");
  let table = null;
  let words = apply();

  function apply() {
    langSelect.value = lang;
    const chosen = window.cloudlingsApply(lang);
    for (const element of document.querySelectorAll("[data-placeholder]")) {
      element.placeholder = chosen[element.dataset.placeholder];
    }
    status.textContent = chosen[status.dataset.state];
    if (table) {
      document.getElementById("class-code").textContent = chosen.code + " " + table.code;
    }
    return chosen;
  }
  langSelect.addEventListener("change", function () {
    lang = langSelect.value;
    localStorage.setItem("cloudlings.lang", lang);
    words = apply();
    if (table) draw(table);
  });

  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function button(label, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "small";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  // One menu for the three resets, each asked for again before it is done.
  function resets(learner) {
    const menu = document.createElement("select");
    menu.className = "small";
    menu.setAttribute("aria-label", words.reset + " " + learner.name);
    const choices = [
      ["", words.reset, ""],
      ["step", words.resetStep, words.confirmReset],
      ["lesson", words.resetLesson, words.confirmReset],
      ["cloud", words.resetCloud, words.confirmResetCloud],
    ];
    for (const [scope, label] of choices) {
      const option = document.createElement("option");
      option.value = scope;
      option.textContent = label;
      menu.appendChild(option);
    }
    menu.addEventListener("change", function () {
      const chosen = choices.find(function (choice) { return choice[0] === menu.value; });
      menu.value = "";
      if (chosen && chosen[0] && confirm(chosen[2])) {
        act("reset", { learner: learner.id, scope: chosen[0] });
      }
    });
    return menu;
  }

  function title(lesson) {
    return (lang === "ko" && lesson.title.ko) || lesson.title.en;
  }

  function since(seconds) {
    if (seconds < 60) return seconds + (lang === "ko" ? "초" : "s");
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + (lang === "ko" ? "분" : "m");
    return Math.floor(minutes / 60) + (lang === "ko" ? "시간 " : "h ") + (minutes % 60) + (lang === "ko" ? "분" : "m");
  }

  function draw(data) {
    table = data;
    head.replaceChildren();
    const columns = [words.learner, words.nowAt, words.onStep, words.hintsSolutions, words.lastCheck];
    for (const name of columns) {
      const th = document.createElement("th");
      th.textContent = name;
      head.appendChild(th);
    }
    data.lessons.forEach(function (lesson, index) {
      const th = document.createElement("th");
      th.textContent = String(index + 1);
      th.title = title(lesson);
      th.className = "lesson";
      head.appendChild(th);
    });
    head.appendChild(document.createElement("th"));

    rows.replaceChildren();
    empty.hidden = data.learners.length > 0;
    const skew = Math.floor(Date.now() / 1000) - data.now;
    for (const learner of data.learners) {
      const row = document.createElement("tr");
      row.dataset.learner = learner.id;
      const report = learner.report;
      const name = cell(row, learner.name, "name");
      name.dataset.online = learner.online ? "yes" : "no";
      name.title = words.account + " " + learner.account;
      const lesson = report && data.lessons.find(function (l) { return l.id === report.lesson; });
      cell(row, lesson ? title(lesson) + " · " + report.step_number + "/" + report.steps : "–", "where");
      const on = cell(row, report && report.lesson ? since(Math.max(0, Math.floor(Date.now() / 1000) - skew - report.since)) : "–", "since");
      if (report && report.lesson) on.dataset.since = report.since + skew;
      cell(row, report ? report.hints + " · " + report.solutions : "–", "help");
      const check = report && report.last_check;
      const last = cell(row, check ? (check.passed ? "✓ " + words.passed : "✗ " + check.reasons.join(" ")) : "–", "check");
      if (check) last.dataset.passed = check.passed ? "yes" : "no";
      for (const l of data.lessons) {
        const passed = (report && report.passed[l.id]) || 0;
        const td = cell(row, passed === l.steps ? "✓" : passed + "/" + l.steps, "lesson");
        td.dataset.complete = passed === l.steps ? "yes" : passed > 0 ? "some" : "no";
      }
      const actions = cell(row, "", "actions");
      if (learner.browser) {
        actions.appendChild(button(words.watch, function () { watch(learner); }));
      }
      actions.appendChild(button(words.clockHour, function () { act("clock", { learner: learner.id, advance: "1h" }); }));
      actions.appendChild(resets(learner));
      rows.appendChild(row);
    }
  }

  setInterval(function () {
    for (const td of document.querySelectorAll("td[data-since]")) {
      td.textContent = since(Math.max(0, Math.floor(Date.now() / 1000) - Number(td.dataset.since)));
    }
  }, 1000);

  async function act(action, body) {
    const answer = await fetch("/api/teacher/" + action, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
    done.textContent = answer.ok ? words.doneOk : words.doneFailed;
    setTimeout(function () { done.textContent = ""; }, 3000);
  }

  for (const b of document.querySelectorAll("button[data-clock]")) {
    b.addEventListener("click", function () {
      act("clock", { learner: "all", advance: b.dataset.clock });
    });
  }
  document.getElementById("message").addEventListener("submit", function (event) {
    event.preventDefault();
    const text = document.getElementById("text");
    if (!text.value.trim()) return;
    act("message", { learner: "all", text: text.value });
    text.value = "";
  });

  // Watching a learner's terminal: read-only, the keys stay with the learner.
  const panel = document.getElementById("watch");
  let viewer = null;
  function watch(learner) {
    unwatch();
    panel.hidden = false;
    document.getElementById("watching").textContent = learner.name;
    const term = new Terminal({
      disableStdin: true,
      fontFamily: '"Noto Sans Mono CJK KR", "D2Coding", "NanumGothicCoding", "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: { background: "#0f1724", foreground: "#e6edf3" },
    });
    const fit = new FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open(document.getElementById("screen"));
    fit.fit();
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(scheme + "//" + location.host + "/api/teacher/terminal?learner=" + encodeURIComponent(learner.id));
    socket.binaryType = "arraybuffer";
    socket.onmessage = function (message) { term.write(new Uint8Array(message.data)); };
    viewer = { term: term, socket: socket };
    window.cloudlingsWatched = term;
  }
  function unwatch() {
    if (viewer) {
      viewer.socket.close();
      viewer.term.dispose();
      viewer = null;
    }
    panel.hidden = true;
  }
  document.getElementById("unwatch").addEventListener("click", unwatch);

  function connect() {
    status.dataset.state = "connecting";
    status.textContent = words.connecting;
    const events = new EventSource("/api/teacher/events");
    events.onopen = function () {
      status.dataset.state = "connected";
      status.textContent = words.connected;
    };
    events.onmessage = function (message) {
      const data = JSON.parse(message.data);
      if (data) {
        document.getElementById("class-code").textContent = words.code + " " + data.code;
        draw(data);
      }
    };
    events.onerror = function () {
      status.dataset.state = "reconnecting";
      status.textContent = words.reconnecting;
    };
  }
  connect();
})();
