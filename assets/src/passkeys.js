// Passkeys (WebAuthn): adding one on the account security page, and using one to take the
// second step of signing in.
//
// The server makes the options (py_webauthn) and keeps each challenge in the session, to be used
// once; this file only moves bytes between the server's JSON (base64url) and the browser's
// navigator.credentials calls (ArrayBuffers), and shows what went wrong in words.

function fromBase64url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "===".slice((base64.length + 3) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function toBase64url(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function withBuffers(descriptors) {
  return (descriptors || []).map((d) => ({ ...d, id: fromBase64url(d.id) }));
}

function creationOptions(json) {
  return {
    ...json,
    challenge: fromBase64url(json.challenge),
    user: { ...json.user, id: fromBase64url(json.user.id) },
    excludeCredentials: withBuffers(json.excludeCredentials),
  };
}

function requestOptions(json) {
  return {
    ...json,
    challenge: fromBase64url(json.challenge),
    allowCredentials: withBuffers(json.allowCredentials),
  };
}

function registrationJSON(credential) {
  const response = credential.response;
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: toBase64url(response.clientDataJSON),
      attestationObject: toBase64url(response.attestationObject),
      transports: typeof response.getTransports === "function" ? response.getTransports() : [],
    },
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

function assertionJSON(credential) {
  const response = credential.response;
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: toBase64url(response.clientDataJSON),
      authenticatorData: toBase64url(response.authenticatorData),
      signature: toBase64url(response.signature),
      userHandle: response.userHandle ? toBase64url(response.userHandle) : undefined,
    },
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

class Problem extends Error {}

async function post(url, token, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token, Accept: "application/json" },
    body: JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch {
    // Not JSON: a locked-out or error page. Reloading shows it to the person as a page.
    location.reload();
    throw new Problem("");
  }
  if (!response.ok) {
    throw new Problem((data && data.error && data.error.message) || "Something went wrong. Try again.");
  }
  return data;
}

// What the browser says when the person cancels, waits too long or has no suitable passkey.
function browserProblem(error, adding) {
  if (error && error.name === "InvalidStateError" && adding) {
    return "This passkey is already added to your account.";
  }
  if (error && (error.name === "NotAllowedError" || error.name === "AbortError")) {
    return adding
      ? "The passkey was not added. It was cancelled, or took too long. Try again when you are ready."
      : "The passkey was not used. It was cancelled, took too long, or this device has none for Waypoint. Try again, or use another way.";
  }
  return "Your browser could not use a passkey. Try again, or use another way.";
}

function showProblem(container, message) {
  if (!container || !message) return;
  container.replaceChildren();
  const summary = document.createElement("div");
  summary.className = "nhsuk-error-summary";
  summary.setAttribute("role", "alert");
  summary.setAttribute("tabindex", "-1");
  summary.setAttribute("aria-labelledby", "passkey-problem-title");
  const title = document.createElement("h2");
  title.className = "nhsuk-error-summary__title";
  title.id = "passkey-problem-title";
  title.textContent = "There is a problem";
  const body = document.createElement("div");
  body.className = "nhsuk-error-summary__body";
  const text = document.createElement("p");
  text.textContent = message;
  body.append(text);
  summary.append(title, body);
  container.append(summary);
  summary.focus();
}

function supported() {
  return typeof window.PublicKeyCredential === "function" && !!navigator.credentials;
}

function start(panel, ceremony) {
  if (!supported()) {
    const note = document.querySelector("[data-passkey-unsupported]");
    if (note) note.hidden = false;
    return;
  }
  panel.hidden = false;
  const form = panel.querySelector("form");
  const errors = document.querySelector("[data-passkey-error]");
  const button = form.querySelector("button[type=submit]");
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    try {
      const done = await ceremony(form, token);
      location.assign(done.redirect);
    } catch (error) {
      showProblem(errors, error instanceof Problem ? error.message : browserProblem(error, ceremony === register));
      button.disabled = false;
    }
  });
}

async function register(form, token) {
  const name = form.querySelector("input[name=name]").value.trim();
  const options = await post(form.closest("[data-options-url]").dataset.optionsUrl, token, { name });
  const credential = await navigator.credentials.create({ publicKey: creationOptions(options.publicKey) });
  return post(form.closest("[data-submit-url]").dataset.submitUrl, token, registrationJSON(credential));
}

async function signIn(form, token) {
  const options = await post(form.closest("[data-options-url]").dataset.optionsUrl, token, {});
  const credential = await navigator.credentials.get({ publicKey: requestOptions(options.publicKey) });
  return post(form.closest("[data-submit-url]").dataset.submitUrl, token, assertionJSON(credential));
}

const adding = document.querySelector("[data-passkey-register]");
if (adding) start(adding, register);
const signingIn = document.querySelector("[data-passkey-sign-in]");
if (signingIn) start(signingIn, signIn);
