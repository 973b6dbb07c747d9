// Warns before the idle sign-out and lets the user stay signed in without losing their page.
// The server keeps the real clock (another tab may have been busy), so ask it before acting.
const body = document.body;
const idle = Number(body.dataset.idleSeconds);
const warning = Number(body.dataset.warningSeconds);
const dialog = document.getElementById("session-timeout");
const SIGNED_OUT = "/account/signed-out?reason=idle";

if (idle && warning && dialog) {
  const form = dialog.querySelector("[data-session-keepalive]");
  const countdown = dialog.querySelector("[data-session-countdown]");
  let timer;

  const remaining = async () => {
    const response = await fetch("/account/session/status", { credentials: "same-origin", redirect: "manual" });
    if (!response.ok) return 0;
    return (await response.json()).remaining;
  };

  const check = async () => {
    const left = await remaining();
    if (left <= 0) {
      window.location.assign(SIGNED_OUT);
    } else if (left <= warning) {
      countdown.textContent = left >= 90 ? `${Math.round(left / 60)} minutes` : `${left} seconds`;
      if (!dialog.open) dialog.showModal();
      timer = setTimeout(check, Math.min(left, 15) * 1000);
    } else {
      if (dialog.open) dialog.close();
      timer = setTimeout(check, (left - warning) * 1000);
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual" });
    if (!response.ok) {
      window.location.assign(SIGNED_OUT);
      return;
    }
    dialog.close();
    clearTimeout(timer);
    timer = setTimeout(check, (idle - warning) * 1000);
  });

  timer = setTimeout(check, (idle - warning) * 1000);
}
