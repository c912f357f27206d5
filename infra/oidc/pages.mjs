// The sign-in page of the development provider: a plain GOV.UK-like form that a person can use in
// a browser and a test can drive with httpx (fields `username` and `password`).
export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:arial,sans-serif;margin:0;color:#0b0c0c}
header{background:#0b0c0c;color:#fff;padding:10px 30px;font-weight:bold}
main{max-width:640px;padding:30px}label{display:block;font-weight:bold;margin:20px 0 5px}
input{font-size:19px;padding:5px;width:20em;border:2px solid #0b0c0c}
button{margin-top:25px;font-size:19px;padding:8px 12px;background:#00703c;color:#fff;border:0}
.error{border-left:5px solid #d4351c;padding-left:15px;color:#d4351c;font-weight:bold}
.inset{border-left:10px solid #b1b4b6;padding-left:15px}`;

export function loginPage({ uid, username = '', failed = false }) {
  const error = failed
    ? '<p class="error" id="error">Enter the email address and password of a demo account</p>'
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${failed ? 'Error: ' : ''}Sign in – development identity provider</title>
<style>${STYLE}</style></head>
<body><header>Development sign-in</header><main>
<h1>Sign in</h1>
<p class="inset">This development identity provider stands in for GOV.UK One Login and staff single sign-on.</p>
${error}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" novalidate>
  <label for="username">Email address</label>
  <input id="username" name="username" type="email" autocomplete="username" value="${escapeHtml(username)}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password">
  <div><button type="submit">Continue</button></div>
</form></main></body></html>`;
}

export function logoutPage(form) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signing out – development identity provider</title>
<style>${STYLE}</style></head>
<body><header>Development sign-in</header><main>
<h1>Signing you out</h1>
${form.replace('</form>', '<input type="hidden" name="logout" value="yes"><button type="submit">Continue</button></form>')}
<script>document.forms[0].submit();</script>
</main></body></html>`;
}
