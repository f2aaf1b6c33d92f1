// The console's only script (the page's policy allows no other): keeps the queue current and
// lets a canned reply fill the reply box. User text is always set as text, never as HTML.
"use strict";

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.appendChild(td);
  return td;
}

function renderQueue(table, entries) {
  const body = document.createElement("tbody");
  if (entries.length === 0) {
    const row = document.createElement("tr");
    row.className = "empty";
    cell(row, "No open cases.").colSpan = 9;
    body.appendChild(row);
  }
  for (const e of entries) {
    const row = document.createElement("tr");
    row.className = "level-" + e.level + (e.overdue ? " overdue" : "");
    row.dataset.case = e.id;
    cell(row, e.level + (e.recovered ? " (recovered)" : "")).className = "level";
    cell(row, e.reasons.join(", "));
    cell(row, Math.floor(e.waiting_seconds / 60) + " min" + (e.overdue ? " · overdue" : ""));
    cell(row, e.status + (e.claimed_by ? " by " + e.claimed_by : ""));
    cell(row, e.language || "?");
    cell(row, e.country || "?");
    cell(row, e.channel);
    cell(row, e.contact);
    const link = document.createElement("a");
    link.href = "/cases/" + encodeURIComponent(e.id);
    link.textContent = "Open";
    cell(row, "").appendChild(link);
    body.appendChild(row);
  }
  table.replaceChild(body, table.tBodies[0]);
}

function pollQueue(table) {
  const refresh = () =>
    fetch(table.dataset.poll, { credentials: "same-origin" })
      .then((reply) => (reply.ok ? reply.json() : Promise.reject(reply.status)))
      .then((entries) => renderQueue(table, entries))
      .catch(() => {});
  setInterval(refresh, 3000);
}

document.addEventListener("DOMContentLoaded", () => {
  const table = document.getElementById("queue");
  if (table) pollQueue(table);
  const canned = document.getElementById("canned");
  if (canned) {
    canned.addEventListener("change", () => {
      const target = document.getElementById(canned.dataset.target);
      if (canned.value) target.value = (target.value ? target.value + "\n\n" : "") + canned.value;
    });
  }
});
