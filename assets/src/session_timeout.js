// The NHS.UK timeout warning, and nothing typed is lost when a session ends.
//
// Some time before the session ends a modal dialog offers "Stay signed in" (which asks the server
// for a full session again) or "Sign out". Text typed into forms is kept in sessionStorage, keyed by
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
  const left = dialog.querySelector("[data-timeout-left]");
  const stay = dialog.querySelector("[data-timeout-stay]");
  const signOut = dialog.querySelector("[data-timeout-sign-out]");
  let endsAt = Date.now() + Number(dialog.dataset.expiresIn) * 1000;
  let returnFocus = null;
  let ticking = null;

  function remaining() {
    return Math.round((endsAt - Date.now()) / 1000);
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
      left.textContent = words(seconds);
      dialog.showModal();
      stay.focus();
    } else if (dialog.open) {
      left.textContent = words(seconds);
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
      close();
    } catch {
      left.textContent = "soon: Waypoint could not be reached. Save your work if you can";
    }
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
