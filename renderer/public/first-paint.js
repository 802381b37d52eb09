/* global window, document */
// Runs before the page is painted (a classic script in <head>): the colour scheme Mantine will choose ("auto":
// the system's) is set now, so a first paint put into the page by the browser shell (renderer/firstPaint.tsx)
// shows in the right one; and a window opening on another page than the clients list does not show it.
(function () {
  var root = document.documentElement;
  root.setAttribute('data-mantine-color-scheme', window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  var route = window.location.hash.replace(/^#/, '').split('?')[0];
  if (route && route !== '/' && route !== '/clients') root.classList.add('no-first-paint');
})();
