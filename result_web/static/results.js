// Render live results pushed over Socket.IO. Option names only ever go through
// textContent, never innerHTML, so a hostile name cannot inject markup.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const connection = document.getElementById("connection");
  const connectionText = document.getElementById("connection-text");
  const total = document.getElementById("total");
  const stale = document.getElementById("stale");
  const updatedAt = document.getElementById("updated-at");

  function setConnection(state, text) {
    connection.className = `connection ${state}`;
    connectionText.textContent = text;
  }

  function render(results) {
    const sum = Number(results.total) || 0;
    for (const item of document.querySelectorAll("#options .option")) {
      const count = Number(results[item.dataset.option]) || 0;
      const percent = sum ? Math.round((count / sum) * 1000) / 10 : 0;
      item.querySelector(".count").textContent = count.toLocaleString();
      item.querySelector(".percent").textContent = `${percent}%`;
      item.querySelector(".fill").style.width = `${percent}%`;
      item.querySelector(".bar").setAttribute("aria-valuenow", String(percent));
    }
    total.textContent = sum.toLocaleString();
    stale.hidden = !results.stale;
    if (results.updated_at) {
      const when = new Date(results.updated_at);
      updatedAt.dateTime = results.updated_at;
      updatedAt.textContent = when.toLocaleTimeString();
    }
  }

  const socket = io({ transports: ["websocket", "polling"] });
  socket.on("connect", () => setConnection("live", "Live"));
  socket.on("disconnect", () => setConnection("reconnecting", "Reconnecting…"));
  socket.io.on("reconnect_attempt", () => setConnection("reconnecting", "Reconnecting…"));
  socket.on("results", render);

  fetch("api/results")
    .then((response) => (response.ok ? response.json() : null))
    .then((results) => results && render(results))
    .catch(() => {});
});
