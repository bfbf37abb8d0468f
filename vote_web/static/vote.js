// Cast votes without a page reload; the plain form still works without JavaScript.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("vote-form");
  const status = document.getElementById("status");
  if (!form || !status) return;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = event.submitter;
    if (!button) return;
    const buttons = form.querySelectorAll("button.choice");
    buttons.forEach((b) => (b.disabled = true));
    status.textContent = "Sending your vote…";
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ vote: button.value }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || response.statusText);
      buttons.forEach((b) => {
        const chosen = b === button;
        b.classList.toggle("chosen", chosen);
        b.setAttribute("aria-pressed", String(chosen));
      });
      status.textContent = body.message;
    } catch (error) {
      status.textContent = `Your vote was not recorded: ${error.message}`;
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  });
});
