// The NHS.UK timeout warning, and nothing typed is lost when a session ends.
//
// Some time before the session ends a modal dialog offers "Stay signed in" (which asks the server
// for a full idle time again) or "Sign out". A session also has an absolute end that nothing moves
// (waypoint.core.session); when that is the one coming, the dialog says so and offers only to sign
// in again. Text typed into forms is kept in sessionStorage, keyed by
// the page's address, as it is typed; if the session ends anyway, the person signs in again, comes
// back to the same page and finds their text put back. A submit that reaches another page clears it.
// Kept text belongs to the person who typed it: on a shared computer, whoever signs in next in the
// same tab never sees it, and it is deleted as soon as someone else signs in.

const dialog = document.getElementById("session-timeout");
const DRAFTS = "waypoint-draft:";
const DRAFT = `${DRAFTS}${dialog ? dialog.dataset.user : ""}:`;
const SUBMITTED = "waypoint-submitted";
const here = location.pathname + location.search;
const TEXT = "textarea, input:not([type]), input[type=text], input[type=search], input[type=email], input[type=tel], input[type=number], input[type=url], input[type=date]";

function fieldKey(field) {
  const form = field.form;
  const index = form ? Array.prototype.indexOf.call(document.forms, form) : -1;
  return `${index}:${field.name}`;
}

function keptFields() {
  return Array.from(document.querySelectorAll(TEXT)).filter((f) => f.name && !f.disabled && !f.readOnly);
}

function save() {
  const values = {};
  for (const field of keptFields()) {
    if (field.value !== field.defaultValue) values[fieldKey(field)] = field.value;
  }
  if (Object.keys(values).length) sessionStorage.setItem(DRAFT + here, JSON.stringify(values));
  else sessionStorage.removeItem(DRAFT + here);
}

function restore() {
  const kept = sessionStorage.getItem(DRAFT + here);
  if (!kept) return;
  let values;
  try {
    values = JSON.parse(kept);
  } catch {
    sessionStorage.removeItem(DRAFT + here);
    return;
  }
  let restored = 0;
  for (const field of keptFields()) {
    const value = values[fieldKey(field)];
    if (typeof value === "string" && field.value === field.defaultValue && value !== field.value) {
      field.value = value;
      restored += 1;
    }
  }
  if (restored) {
    const note = document.createElement("div");
    note.className = "nhsuk-inset-text";
    note.id = "draft-restored";
    note.setAttribute("role", "status");
    note.innerHTML = "<span class=\"nhsuk-u-visually-hidden\">Information: </span><p>What you typed before you were signed out has been put back. Check it, then save.</p>";
    const main = document.getElementById("maincontent");
    if (main) main.prepend(note);
  }
}

function forgetSubmitted() {
  // The last submit led to another page: it worked, so its kept text is no longer needed.
  const submitted = sessionStorage.getItem(SUBMITTED);
  if (submitted && submitted !== here) sessionStorage.removeItem(DRAFT + submitted);
  sessionStorage.removeItem(SUBMITTED);
}

function words(seconds) {
  if (seconds >= 120) return `in ${Math.ceil(seconds / 60)} minutes`;
  if (seconds >= 60) return "in 1 minute";
  return seconds === 1 ? "in 1 second" : `in ${Math.max(seconds, 0)} seconds`;
}

function forgetOtherPeoplesText() {
  for (let i = sessionStorage.length - 1; i >= 0; i -= 1) {
    const key = sessionStorage.key(i);
    if (key && key.startsWith(DRAFTS) && !key.startsWith(DRAFT)) sessionStorage.removeItem(key);
  }
}

if (dialog) {
  forgetOtherPeoplesText();
  forgetSubmitted();
  restore();
  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches(TEXT)) save();
  });
  document.addEventListener("submit", (event) => {
    if (event.target.method.toLowerCase() === "post") {
      save();
      sessionStorage.setItem(SUBMITTED, here);
    }
  });

  const warnBefore = Number(dialog.dataset.warnBefore);
  const lefts = dialog.querySelectorAll("[data-timeout-left]");
  const stay = dialog.querySelector("[data-timeout-stay]");
  const signOut = dialog.querySelector("[data-timeout-sign-out]");
  const signInAgain = dialog.querySelector("[data-timeout-sign-in-again]");
  const idleText = dialog.querySelector("[data-timeout-idle]");
  const lifetimeText = dialog.querySelector("[data-timeout-lifetime]");
  const loadedAt = Date.now();
  let endsAt = loadedAt + Number(dialog.dataset.expiresIn) * 1000;
  const lifetimeEndsAt = loadedAt + Number(dialog.dataset.lifetimeLeft) * 1000;
  let returnFocus = null;
  let ticking = null;

  function remaining() {
    return Math.round((endsAt - Date.now()) / 1000);
  }

  // The absolute end is the one coming: staying signed in cannot move it.
  function byLifetime() {
    return endsAt >= lifetimeEndsAt - 1000;
  }

  function show(seconds) {
    const last = byLifetime();
    idleText.hidden = last;
    lifetimeText.hidden = !last;
    stay.hidden = last;
    signOut.hidden = last;
    signInAgain.hidden = !last;
    for (const left of lefts) left.textContent = words(seconds);
  }

  function signedOut() {
    save();
    const login = new URL(dialog.dataset.loginUrl, location.href);
    login.searchParams.set("next", here);
    location.assign(login.toString());
  }

  function close() {
    if (dialog.open) dialog.close();
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  }

  function tick() {
    const seconds = remaining();
    if (seconds <= 0) {
      clearInterval(ticking);
      signedOut();
      return;
    }
    if (seconds <= warnBefore && !dialog.open) {
      returnFocus = document.activeElement;
      show(seconds);
      dialog.showModal();
      (byLifetime() ? signInAgain : stay).focus();
    } else if (dialog.open) {
      show(seconds);
    }
  }

  stay.addEventListener("click", async () => {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    try {
      const response = await fetch(dialog.dataset.extendUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
      });
      if (!response.ok) {
        signedOut();
        return;
      }
      const body = await response.json();
      endsAt = Date.now() + Number(body.expires_in) * 1000;
      if (remaining() > warnBefore) {
        close();
      } else {
        // Stayed, but the absolute end is now the one coming, within the warning time.
        show(remaining());
        signInAgain.focus();
      }
    } catch {
      for (const left of lefts) left.textContent = "soon: Waypoint could not be reached. Save your work if you can";
    }
  });
  signInAgain.addEventListener("click", () => {
    save();
    const form = document.querySelector("form.nhsuk-header__account-form");
    if (!form) {
      signedOut();
      return;
    }
    // Signed out now, then straight back to this page's sign-in, which brings the person here.
    const next = document.createElement("input");
    next.type = "hidden";
    next.name = "next";
    next.value = here;
    form.append(next);
    form.submit();
  });
  signOut.addEventListener("click", () => {
    save();
    const form = document.querySelector("form.nhsuk-header__account-form");
    if (form) form.submit();
  });
  // Escape closes a modal dialog; here it means "not now", so the countdown carries on.
  dialog.addEventListener("cancel", () => {
    returnFocus = returnFocus || document.activeElement;
  });
  ticking = setInterval(tick, 1000);
  tick();
}
