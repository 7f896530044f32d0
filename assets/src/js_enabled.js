// Marks the page as running JavaScript before anything is drawn (the NHS.UK frontend's
// js-enabled and, in browsers with module support, nhsuk-frontend-supported), so components
// show their scripted form from the start. A file rather than an inline script: the
// Content-Security-Policy allows scripts only from Waypoint itself. Loaded as a classic,
// blocking script at the top of <body>, where document.body exists.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
