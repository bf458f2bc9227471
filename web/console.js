// The panel beside a learner's terminal: their account as a console shows it, read from
// /api/console every two seconds, and the bill drawn over the cloud's own (simulated) time.
// Every value is set as text.
"use strict";
(function () {
  const panel = document.getElementById("console");
  const chart = document.getElementById("chart");
  const samples = [];
  const SVG = "http://www.w3.org/2000/svg";

  function words() {
    return window.cloudlingsWords[document.documentElement.lang] || window.cloudlingsWords.en;
  }

  function list(id, items, line) {
    const ul = document.getElementById(id);
    ul.replaceChildren();
    if (items.length === 0) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = words().none;
      ul.appendChild(li);
      return;
    }
    for (const item of items) {
      const li = document.createElement("li");
      for (const [text, className] of line(item)) {
        const span = document.createElement("span");
        span.textContent = text;
        if (className) span.className = className;
        li.appendChild(span);
      }
      ul.appendChild(li);
    }
  }

  function dollars(cents) {
    return "$" + (cents / 100).toFixed(2);
  }

  function draw() {
    chart.replaceChildren();
    if (samples.length < 2) return;
    const first = samples[0].t;
    const span = Math.max(1, samples[samples.length - 1].t - first);
    const top = Math.max(1, ...samples.map(function (s) { return s.cents; }));
    // A step line: the bill holds its value until the next reading.
    let path = "";
    samples.forEach(function (s, i) {
      const x = ((s.t - first) / span) * 296 + 2;
      const y = 66 - (s.cents / top) * 60;
      path += (i === 0 ? "M" : "H" + x.toFixed(1) + " V") + (i === 0 ? x.toFixed(1) + " " + y.toFixed(1) : y.toFixed(1));
    });
    const line = document.createElementNS(SVG, "path");
    line.setAttribute("d", path);
    line.setAttribute("class", "line");
    chart.appendChild(line);
  }

  function show(cloud) {
    const w = words();
    const now = new Date(cloud.Now);
    document.getElementById("now").textContent = now.toISOString().slice(0, 16).replace("T", " ") + " UTC";
    const month = new Intl.DateTimeFormat(document.documentElement.lang, { year: "numeric", month: "long", timeZone: "UTC" });
    document.getElementById("bill").textContent = dollars(cloud.Bill.TotalCents) + " · " + month.format(now);
    const last = samples[samples.length - 1];
    if (!last || last.cents !== cloud.Bill.TotalCents || now.getTime() - last.t > 3600 * 1000) {
      samples.push({ t: now.getTime(), cents: cloud.Bill.TotalCents });
      if (samples.length > 500) samples.shift();
    }
    draw();
    list("instances", cloud.Instances, function (i) {
      return [
        [i.Name || i.Id, "name"],
        [i.Type, "muted"],
        [w.states[i.State] || i.State, "state state-" + i.State],
      ];
    });
    list("groups", cloud.SecurityGroups, function (g) {
      const rules = g.Inbound.map(function (r) {
        // As the console says it: "all traffic" rather than protocol -1 on every port.
        const what = r.Protocol === "all" ? w.allTraffic : r.Protocol + " " + r.Ports;
        return what + " ← " + r.Source;
      });
      return [[g.Name, "name"], [w.inbound + ": " + (rules.join(", ") || "–"), "muted"]];
    });
    list("buckets", cloud.Buckets, function (b) {
      return [[b.Name, "name"], [b.Objects + " " + w.objects, "muted"]];
    });
    list("distributions", cloud.Distributions, function (d) {
      return [[d.DomainName, "name"], [d.Status, "muted"]];
    });
  }

  async function look() {
    try {
      const answer = await fetch("/api/console", { credentials: "same-origin" });
      if (answer.ok) show(await answer.json());
    } catch (_) {
      // The terminal says when the class cannot be reached; the panel waits for it.
    }
  }
  if (panel) {
    look();
    setInterval(look, 2000);
  }
})();
