// Warns before the portal signs someone out for inactivity, and keeps the session on request.
// The server decides (accounts/middleware.py); this only asks it how long is left, so several
// open tabs agree. Without JavaScript the session ends after the same time, without a warning.

const dialog = document.querySelector("[data-module='app-session-timeout']");

if (dialog && typeof dialog.showModal === "function") {
  const warning = Number(dialog.dataset.warning);
  const statusUrl = dialog.dataset.statusUrl;
  const countdown = dialog.querySelector("[data-countdown]");
  let timer = null;
  let ticker = null;
  let endsAt = 0;

  const words = (seconds) => {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  };

  const wait = (seconds, then) => {
    clearTimeout(timer);
    timer = setTimeout(then, Math.max(0, seconds) * 1000);
  };

  // The server has signed the session out: loading the page again (without any #fragment, which
  // would only scroll) shows the sign-in page with the reason, and comes back here afterwards.
  const signedOut = () => {
    const here = new URL(window.location.href);
    here.hash = "";
    window.location.assign(here.toString());
  };

  const close = () => {
    clearInterval(ticker);
    if (dialog.open) dialog.close();
  };

  const tick = () => {
    const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    countdown.textContent = words(left);
  };

  const schedule = (secondsLeft) => {
    close();
    wait(secondsLeft - warning, check);
  };

  const open = (secondsLeft) => {
    endsAt = Date.now() + secondsLeft * 1000;
    tick();
    if (!dialog.open) dialog.showModal();
    clearInterval(ticker);
    ticker = setInterval(tick, 1000);
    wait(secondsLeft + 1, check);
  };

  const ask = async (method) => {
    const options = { method, credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } };
    if (method === "POST") options.headers["X-CSRFToken"] = dialog.dataset.csrfToken;
    const response = await fetch(statusUrl, options);
    if (!response.ok) throw new Error(`The session check answered ${response.status}`);
    return response.json();
  };

  const act = (state) => {
    if (!state.signed_in || state.seconds_left <= 0) signedOut();
    else if (state.seconds_left > warning) schedule(state.seconds_left);
    else open(state.seconds_left);
  };

  async function check() {
    try {
      act(await ask("GET"));
    } catch {
      wait(15, check); // a network blip: ask again shortly
    }
  }

  const staySignedIn = async () => {
    try {
      act(await ask("POST"));
    } catch {
      signedOut();
    }
  };

  const signOut = () => {
    const form = document.createElement("form");
    form.method = "post";
    form.action = dialog.dataset.signOutUrl;
    const token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = dialog.dataset.csrfToken;
    form.append(token);
    document.body.append(form);
    form.submit();
  };

  dialog.querySelector("[data-stay-signed-in]").addEventListener("click", staySignedIn);
  dialog.querySelector("[data-sign-out]").addEventListener("click", signOut);
  // Escape closes a modal dialog: take it as "Stay signed in", the safe choice.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });

  schedule(Number(dialog.dataset.secondsLeft));
}
