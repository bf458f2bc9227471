// The learner's terminal: xterm.js in the page, their cloudlings shell on the class's server
// over a WebSocket. Keys go as binary messages and the page's width as {"columns": N}; the
// screen comes back as bytes, the kept screen first, so a reload or a dropped network picks
// up where it was.
"use strict";
(function () {
  const BEHIND = 4000;
  const ENDED = 4001;
  const TOO_MANY_PAGES = 4002;
  const status = document.getElementById("status");
  const who = document.getElementById("who");
  let words = window.cloudlingsApply("en");

  const term = new Terminal({
    cursorBlink: true,
    convertEol: false,
    // A font whose Hangul is exactly two cells wide comes first, so Korean lines up.
    fontFamily: '"Noto Sans Mono CJK KR", "D2Coding", "NanumGothicCoding", "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: 15,
    scrollback: 5000,
    theme: { background: "#0f1724", foreground: "#e6edf3", cursor: "#ffb454" },
  });
  const fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(document.getElementById("terminal"));
  // For the browser tests, which read the screen as xterm.js holds it.
  window.cloudlingsTerminal = term;
  fit.fit();
  term.focus();

  let socket = null;
  let wait = 250;
  let ended = false;
  const encoder = new TextEncoder();

  function state(key) {
    status.dataset.state = key;
    status.textContent = words[key];
  }

  function size() {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ columns: term.cols }));
    }
  }

  function connect() {
    state(wait > 250 ? "reconnecting" : "connecting");
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(scheme + "//" + location.host + "/api/terminal");
    socket.binaryType = "arraybuffer";
    let first = true;
    socket.onopen = function () {
      wait = 250;
      ended = false;
      state("connected");
      size();
    };
    socket.onmessage = function (message) {
      if (first) {
        // The kept screen: drawn on a clean terminal, so nothing shows twice.
        term.reset();
        first = false;
      }
      term.write(new Uint8Array(message.data));
    };
    socket.onclose = function (closed) {
      socket = null;
      if (closed.code === ENDED) {
        ended = true;
        term.write("\r\n" + words.ended + "\r\n");
        state("reconnecting");
        return;
      }
      if (closed.code === TOO_MANY_PAGES) {
        term.write("\r\n" + words.tooManyPages + "\r\n");
        state("reconnecting");
        return;
      }
      state("reconnecting");
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 5000);
    };
  }

  term.onData(function (data) {
    if (ended) {
      if (data.includes("\r")) connect();
      return;
    }
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(encoder.encode(data));
    }
  });
  window.addEventListener("resize", function () {
    fit.fit();
    size();
  });

  fetch("/api/me", { credentials: "same-origin" })
    .then(function (answer) {
      if (answer.status === 401) {
        location.assign("/");
        return null;
      }
      return answer.json();
    })
    .then(function (me) {
      if (!me) return;
      words = window.cloudlingsApply(me.Lang);
      who.textContent = me.Name + " · " + words.account + " " + me.Account;
      // The console's sign-in for the learner's own account, as text.
      const signIn = document.getElementById("console-signin");
      if (signIn && me.ConsolePassword) {
        signIn.textContent = words.consoleSignIn
          .replace("{account}", me.Account)
          .replace("{password}", me.ConsolePassword);
      }
      connect();
    })
    .catch(function () {
      state("reconnecting");
      setTimeout(function () { location.reload(); }, 2000);
    });
})();
