// Runs at the start of <body>, as GOV.UK Frontend's template does inline (our CSP forbids
// inline script), so that styles for JavaScript-enabled pages apply before first paint.
document.body.className += ' js-enabled' +
  ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
